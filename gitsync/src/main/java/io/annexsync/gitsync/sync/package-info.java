/**
 * The sync of one repository with its remotes: fetch, merge, push, and the pushes still owed to remotes that could
 * not be reached (FORMAT.md §6, §10.3). {@link io.annexsync.gitsync.sync.RemoteOps} fetches and pushes to every
 * remote in parallel with a hard deadline; {@link io.annexsync.gitsync.sync.OwedPushes} remembers failed pushes and
 * when to retry them. The Merger and the Syncer orchestration join this package later: keep the names here stable.
 * Nothing here runs a git subprocess or moves annexed content.
 */
package io.annexsync.gitsync.sync;
