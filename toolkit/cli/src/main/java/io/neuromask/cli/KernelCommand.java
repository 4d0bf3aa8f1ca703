package io.neuromask.cli;

import io.neuromask.kernel.JavaKernel;
import io.neuromask.kernel.KernelInstaller;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code neuromask kernel install}: a Jupyter kernelspec with the toolkit on its class path. */
@Command(name = "kernel", mixinStandardHelpOptions = true,
        description = "Jupyter kernel for the notebooks.",
        subcommands = {KernelCommand.Install.class})
final class KernelCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.err.println("usage: neuromask kernel install [--name " + KernelInstaller.DEFAULT_NAME
                + "] [--kernel rapaio|ijava|jjava] [--data-dir DIR] [--force]");
        return 2;
    }

    @Command(name = "install", mixinStandardHelpOptions = true,
            description = "Installs the kernelspec (default name '" + KernelInstaller.DEFAULT_NAME + "', the one the "
                    + "notebooks ask for) with the toolkit's jars on its class path. Uses an installed JJava or IJava "
                    + "when found, else rapaio-jupyter-kernel (with its start-up race fixed). Replaces a kernelspec "
                    + "it wrote itself (computed afresh, so installing twice gives the same spec); refuses one of the "
                    + "same name that it did not write (IJava's or JJava's, say), unless --force.")
    static final class Install implements Callable<Integer> {

        @Option(names = "--name", defaultValue = KernelInstaller.DEFAULT_NAME, description = "Kernelspec name (default: ${DEFAULT-VALUE}).")
        String name;

        @Option(names = "--display-name", description = "Name in Jupyter's kernel menu.")
        String displayName;

        @Option(names = "--kernel", description = "rapaio, ijava or jjava (default: installed JJava/IJava, else rapaio).")
        String kernel;

        @Option(names = "--data-dir", description = "Jupyter data directory (default: $JUPYTER_DATA_DIR or ~/.local/share/jupyter).")
        Path dataDir;

        @Option(names = "--rapaio-jar", description = "rapaio-jupyter-kernel jar (default: toolkit/cli/target/kernel/).")
        Path rapaioJar;

        @Option(names = "--force", description = "Replace a kernelspec of this name that 'kernel install' did not "
                + "write, after copying its folder to a fresh NAME.bak (NAME.bak.2, ... when that exists).")
        boolean force;

        @Override
        public Integer call() throws Exception {
            KernelInstaller.Builder b = KernelInstaller.builder().name(name).displayName(displayName).force(force);
            if (kernel != null) {
                b.kernel(JavaKernel.parse(kernel));
            }
            if (dataDir != null) {
                b.dataDir(dataDir);
            }
            if (rapaioJar != null) {
                b.rapaioJar(rapaioJar);
            }
            report(b.build().install(), name);
            return 0;
        }
    }

    /**
     * Installs the default kernelspec ({@value KernelInstaller#DEFAULT_NAME}, found kernel or rapaio) into
     * {@code dataDir} (null: default); refuses, as {@code kernel install} does, a kernelspec of that name it did not
     * write.
     */
    static void install(Path dataDir) throws Exception {
        KernelInstaller.Builder b = KernelInstaller.builder();
        if (dataDir != null) {
            b.dataDir(dataDir);
        }
        report(b.build().install(), KernelInstaller.DEFAULT_NAME);
    }

    private static void report(KernelInstaller.Installed done, String name) {
        if (done.backup() != null) {
            System.out.println("kept the former kernelspec '" + name + "' as " + done.backup() + " (Jupyter lists it as '"
                    + done.backup().getFileName() + "'; to restore it, delete " + done.directory() + " and rename the "
                    + "copy back)");
        }
        System.out.println("installed kernelspec '" + name + "' (" + done.kernel().name().toLowerCase(java.util.Locale.ROOT)
                + ") in " + done.directory());
    }
}
