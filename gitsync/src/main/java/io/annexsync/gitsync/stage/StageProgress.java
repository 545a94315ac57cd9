package io.annexsync.gitsync.stage;

/**
 * Receives staging progress for a progress bar. Called from the stager's hashing threads, concurrently: implementations
 * must be thread-safe and quick (enqueue, add to an atomic counter).
 */
public interface StageProgress {
    /** Nothing to report to. */
    StageProgress NONE = new StageProgress() { };

    /** {@code bytes} more bytes were hashed. */
    default void bytesHashed(long bytes) { }

    /** One file is done (any outcome). */
    default void fileDone(StageOutcome outcome) { }
}
