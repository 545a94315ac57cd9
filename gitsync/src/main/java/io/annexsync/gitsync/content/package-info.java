/**
 * Content operations on annexed files: get and copy between this repository and path remotes, drop with numcopies
 * and remote content locks, fsck. Each returns a per-file {@link io.annexsync.gitsync.content.ItemResult}; an
 * exception means the operation could not run at all.
 */
package io.annexsync.gitsync.content;
