package io.annexsync.app;

import io.annexsync.app.cli.AnnexSyncCommand;

/** The {@code annex-sync} executable. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(AnnexSyncCommand.commandLine().execute(args));
    }
}
