/**
 * What content operations do to this repository's work tree and index, and fsck. Each returns a per-file {@link
 * io.annexsync.gitsync.content.ItemResult}; an exception means the operation could not run at all. Content moves
 * between repositories only through the transfer module.
 */
package io.annexsync.gitsync.content;
