package io.neuromask.cli;

import picocli.CommandLine.IVersionProvider;

/** Reports the toolkit, DJL and engine versions. */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"neuromask " + io.neuromask.Versions.toolkit() + ", DJL " + io.neuromask.Versions.djl()};
    }
}
