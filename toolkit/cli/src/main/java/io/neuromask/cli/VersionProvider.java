package io.neuromask.cli;

import picocli.CommandLine.IVersionProvider;

/** Reports the toolkit, DJL and engine versions. */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String own = Main.class.getPackage().getImplementationVersion();
        return new String[] {"neuromask " + (own == null ? "dev" : own) + ", DJL "
                + ai.djl.engine.Engine.getDjlVersion()};
    }
}
