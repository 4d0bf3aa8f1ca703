/** Models layer (1): the classifiers, their architectures and Models.load by manifest name. */
package io.neuromask.model;
