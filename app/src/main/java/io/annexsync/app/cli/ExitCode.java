package io.annexsync.app.cli;

/** The documented exit codes of {@code annex-sync} (docs/cli.md). */
public final class ExitCode {
    /** Everything asked for was done. */
    public static final int OK = 0;

    /** The command ran, but at least one item failed (a file without content anywhere, a refused drop). */
    public static final int FAILED = 1;

    /** The command line was wrong. */
    public static final int USAGE = 2;

    /** The folder is not a repository, or not initialised, or annex-sync is not built/installed right. */
    public static final int NOT_A_REPOSITORY = 3;

    /** The command could not run: an I/O error, a corrupt repository, an internal error. */
    public static final int ERROR = 4;

    private ExitCode() {}
}
