package io.annexsync.gitsync.store;

/** What {@link ObjectStore#remove} did. */
public enum RemoveOutcome {
    /** The content was deleted. */
    REMOVED,
    /** There was no content to delete. */
    MISSING,
    /** Another user (this or another process, git-annex too) holds a content lock; nothing was deleted. */
    LOCKED
}
