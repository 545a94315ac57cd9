/**
 * The path remote: another repository on a local path (a clone, a mounted drive), its object store and git-annex
 * branch used directly, receiving content as git-annex's receiving side does.
 */
package io.annexsync.transfer.remote.path;
