package io.annexsync.gitsync.store;

/**
 * How a repository's store is laid out and shared.
 *
 * @param bare a bare repository: objects go to {@code hashdirlower} and are looked up there first, then in
 *     {@code hashdirmixed} (FORMAT.md §3.1)
 * @param groupShared {@code core.sharedRepository=group}: directories are {@code drwxrwsr-x} and key directories are
 *     not write-protected (FORMAT.md §3.3)
 */
public record StoreOptions(boolean bare, boolean groupShared) {
    /** A non-bare, unshared repository: the common case. */
    public static final StoreOptions DEFAULT = new StoreOptions(false, false);
}
