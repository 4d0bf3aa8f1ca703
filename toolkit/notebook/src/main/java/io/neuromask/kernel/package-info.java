/** Notebook module: the Jupyter kernelspec installer, the kernel class path and the rapaio patch. */
package io.neuromask.kernel;
