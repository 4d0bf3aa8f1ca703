/** Engine internals (3), not exported: objective, optimiser, tensors from images; core only. */
package io.neuromask.internal;
