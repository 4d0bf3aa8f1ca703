/**
 * The command options that the CLI (toolkit/cli) and the Spark job (toolkit/spark) share, each declared once as a
 * picocli mixin, and {@link io.neuromask.options.CliReference}, which writes docs/cli.md from the commands.
 */
package io.neuromask.options;
