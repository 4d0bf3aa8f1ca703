/** Notebook module: display bridges to Jupyter kernels, Show and NotebookProgress. */
package io.neuromask.notebook;
