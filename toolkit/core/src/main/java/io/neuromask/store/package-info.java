/** Models layer (1): the manifest of model and data files and their cache, mirror and download. */
package io.neuromask.store;
