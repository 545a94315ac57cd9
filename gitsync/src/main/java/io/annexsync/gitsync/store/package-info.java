/**
 * The local object store: annexed content under {@code .git/annex/objects} laid out, permissioned and locked exactly
 * as git-annex v10 does it (FORMAT.md §3), with atomic ingest, verification, fsck-style quarantine and removal under
 * fcntl content locks. No git objects, no git-annex branch logs and no work-tree files live here: callers record
 * locations and write pointers themselves.
 */
package io.annexsync.gitsync.store;
