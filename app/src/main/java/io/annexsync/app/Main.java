package io.annexsync.app;

import io.annexsync.app.cli.AnnexSyncCommand;

/** The {@code annex-sync} executable. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        int code = AnnexSyncCommand.commandLine().execute(args);
        AnnexSyncCommand.ended(); // a shutdown hook of a signal waits for this before the JVM exits
        System.exit(code);
    }
}
