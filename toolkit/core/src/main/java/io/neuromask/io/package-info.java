/** Bottom layer (0): file formats, images, npy arrays, label files and atomic writes. */
package io.neuromask.io;
