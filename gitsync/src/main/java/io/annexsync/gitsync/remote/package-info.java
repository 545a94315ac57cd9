/**
 * Git remotes as git-annex sees them: their {@code remote.NAME.*} settings ({@code url}, {@code annex-uuid},
 * {@code annex-cost}, {@code annex-ignore}) and, for remotes that are local paths (another clone, a mounted drive),
 * direct access to their repository. Moving content between repositories moves behind the transfer engine later.
 */
package io.annexsync.gitsync.remote;
