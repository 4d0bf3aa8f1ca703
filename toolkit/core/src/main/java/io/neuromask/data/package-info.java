/** Data layer (2): readers of the CIFAR-10 and ImageNet samples, labelled images and boxes. */
package io.neuromask.data;
