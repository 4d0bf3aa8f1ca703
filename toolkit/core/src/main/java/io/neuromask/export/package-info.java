/** Presentation layer (6): writing explanations to disk, PNG, npy and JSON, all or nothing. */
package io.neuromask.export;
