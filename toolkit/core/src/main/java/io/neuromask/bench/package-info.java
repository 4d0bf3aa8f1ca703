/** Methods layer (4): timing NeuroMask against the model's own forward and backward pass. */
package io.neuromask.bench;
