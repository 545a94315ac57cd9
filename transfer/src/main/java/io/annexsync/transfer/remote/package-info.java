/**
 * The one seam for every kind of remote: {@link io.annexsync.transfer.remote.Remote} (shaped after git-annex's remote
 * type and the requests of its P2P protocol, outcomes as values), {@link io.annexsync.transfer.remote.RemoteKind}
 * and {@link io.annexsync.transfer.remote.RemoteKinds} (which kind recognises a remote's config and opens it), and
 * {@link io.annexsync.transfer.remote.OpenRemotes}, the one cache of open remotes. Each kind is one package below
 * this one.
 */
package io.annexsync.transfer.remote;
