/**
 * Moving content between repositories. The transfer engine issue fills this module: the persistent transfer queue
 * in SQLite, upload and download worker threads, git-annex compatible transfer records (status files) with their
 * locks, resume, verification while receiving, bandwidth limits, and the P2P protocol over TLS. Until then the CLI
 * copies content between local object stores directly through {@code io.annexsync.gitsync.remote}.
 */
package io.annexsync.transfer;
