package io.annexsync.app.cli;

import picocli.CommandLine.IVersionProvider;

/** Reports the version from the jar's manifest. */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = AnnexSyncCommand.class.getPackage().getImplementationVersion();
        return new String[] {"annex-sync " + (v == null ? "(development build)" : v)};
    }
}
