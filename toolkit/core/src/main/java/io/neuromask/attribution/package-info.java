/** Methods layer (4): attribution methods behind one contract, and their registry by name. */
package io.neuromask.attribution;
