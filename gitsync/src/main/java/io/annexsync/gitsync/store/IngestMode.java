package io.annexsync.gitsync.store;

/** How {@link ObjectStore#ingest} takes content from a work-tree file. */
public enum IngestMode {
    /** Copy the file into the store while hashing it; the source is left alone (unlocked files). */
    COPY,
    /**
     * Hard-link the file into the store (git-annex's {@code annex.thin}); the object shares the work-tree file's
     * inode and stays writable (0644), as git-annex leaves it.
     */
    THIN,
    /** Move the file into the store (locked files); the caller then replaces it with a symlink. */
    MOVE
}
