package io.annexsync.app;

import io.annexsync.app.cli.AnnexSyncCommand;
import io.annexsync.gitsync.GitEnvironment;

/** The {@code annex-sync} executable. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        GitEnvironment.install(System.getenv()); // JGit sees HOME, XDG_*, GIT_CONFIG_*, GIT_AUTHOR_* as git does
        int code = AnnexSyncCommand.commandLine().execute(args);
        AnnexSyncCommand.ended(); // a shutdown hook of a signal waits for this before the JVM exits
        System.exit(code);
    }
}
