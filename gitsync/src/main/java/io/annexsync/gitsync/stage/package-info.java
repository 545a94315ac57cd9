/**
 * Staging: what {@code annex-sync add} does to the git index. Decides annexed versus plain git per file
 * ({@code annex.largefiles}, dotfiles), hashes only what changed (a SQLite stat cache), ingests content into the
 * {@link io.annexsync.gitsync.store.ObjectStore}, writes pointer blobs, symlinks and index entries, and reports one
 * outcome per file. Location logs and the git-annex branch are not written here; the caller does that from the
 * outcomes.
 */
package io.annexsync.gitsync.stage;
