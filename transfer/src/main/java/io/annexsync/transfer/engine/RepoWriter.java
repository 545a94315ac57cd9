package io.annexsync.transfer.engine;

import io.annexsync.gitsync.RepoException;

/**
 * The one writer of this repository's state that DESIGN.md names: every change to its git index, refs or git-annex
 * journal goes through one repository thread. The engine's writes into this repository's location logs go through
 * it: the daemon gives its repository thread; a command, which has no other writer, writes on the calling thread
 * ({@link #DIRECT}). Implementations are thread-safe and run a write at once when called on their own thread (or
 * when they have stopped), so a write never waits for itself.
 */
@FunctionalInterface
public interface RepoWriter {
    /** One write into the repository. */
    @FunctionalInterface
    interface Write {
        void run() throws RepoException;
    }

    /** Writes on the calling thread. */
    RepoWriter DIRECT = Write::run;

    /** Runs {@code write} on the writer and waits for it; its failure is thrown here. */
    void write(Write write) throws RepoException;
}
