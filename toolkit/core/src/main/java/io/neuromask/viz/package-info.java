/** Presentation layer (6): colormaps, heatmaps, figure grids, charts and tables. */
package io.neuromask.viz;
