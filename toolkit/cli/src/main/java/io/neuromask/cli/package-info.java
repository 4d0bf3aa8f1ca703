/** CLI module: the picocli commands behind ./neuromask. */
package io.neuromask.cli;
