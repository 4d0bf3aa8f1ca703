/** Models layer (1): reading PyTorch checkpoints and loading state dicts into DJL blocks. */
package io.neuromask.torch;
