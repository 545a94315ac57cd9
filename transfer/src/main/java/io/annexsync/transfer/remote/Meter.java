package io.annexsync.transfer.remote;

import java.util.Optional;

/**
 * How the bytes of one transfer flow, as the engine wants them to: paced under its bandwidth limits, reported as
 * they arrive, stopped when the engine closes. Given by the engine to {@link Remote#retrieve} and {@link
 * Remote#store}; used by the one thread that moves the bytes.
 */
public interface Meter {
    /** The file the key is moved for, if known, for transfer records and messages. */
    Optional<String> file();

    /** The file, or else the key, for messages. */
    String label();

    /** Whether bandwidth limits apply, so reads should be small enough that the pacing is smooth. */
    boolean limited();

    /** Waits until {@code bytes} more may be read under the bandwidth limits. */
    void pace(int bytes) throws InterruptedException;

    /** Whether the transfer is to stop now (checked before each chunk). */
    boolean stopping();

    /** The partial file holds {@code bytes} bytes now (from the resume point on, growing). */
    void progress(long bytes);

    /**
     * Whether a partial file that filled its disk is to be deleted (the daemon, which goes on working on that disk)
     * rather than kept for the next try (a command, as git-annex's get keeps it).
     */
    boolean dropPartialWhenFull();
}
