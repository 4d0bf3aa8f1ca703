/** Bottom layer (0): the shared vocabulary, images, saliency maps, targets and the Classifier contract. */
package io.neuromask.base;
