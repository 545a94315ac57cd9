/**
 * Git remotes as git-annex sees them: their {@code remote.NAME.*} settings ({@code url}, {@code annex-uuid},
 * {@code annex-cost}, {@code annex-ignore}) and whether they can be reached now ({@link
 * io.annexsync.gitsync.remote.Reachability}). Moving content with a remote is the transfer module's.
 */
package io.annexsync.gitsync.remote;
