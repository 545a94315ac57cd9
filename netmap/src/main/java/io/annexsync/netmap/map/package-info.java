/**
 * The network map as data: {@link io.annexsync.netmap.map.LinkRecord link records} that repositories publish, the
 * {@link io.annexsync.netmap.map.NetworkMap} snapshot merged from them (newest record per link wins, stale links
 * dropped on demand), and the {@link io.annexsync.netmap.map.LinkLogCodec line codec} of the per-publisher file in
 * the git-annex branch, built to stay correct under git-annex's union merge. Only values and text: no git, no I/O,
 * no threads; reading and writing the branch is the app module's job.
 */
package io.annexsync.netmap.map;
