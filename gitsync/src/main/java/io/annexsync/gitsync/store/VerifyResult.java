package io.annexsync.gitsync.store;

/** What {@link ObjectStore#verify} found for one key. */
public enum VerifyResult {
    /** Content present, size and checksum match the key. */
    OK,
    /** No content for the key in this store. */
    MISSING,
    /** The content's size differs from the key's {@code -s} field. */
    BAD_SIZE,
    /** The content's checksum differs from the key's hash. */
    BAD_CHECKSUM,
    /** The key carries no checksum annex-sync knows (WORM, URL, external backends); only its size was checked. */
    UNVERIFIABLE
}
