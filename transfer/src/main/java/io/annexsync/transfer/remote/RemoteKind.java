package io.annexsync.transfer.remote;

import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.remote.RemoteConfig;

/**
 * One kind of remote (a local path, a P2P peer, ssh to git-annex, a special remote): it recognises the remotes of
 * its kind by their git config and opens them, as JGit's {@code TransportProtocol} recognises a URL and opens a
 * transport. The kinds are listed in {@link RemoteKinds}; a new kind is one new package and one line there.
 * Implementations are stateless and thread-safe.
 */
public interface RemoteKind {
    /** The kind's name, for messages and logs ({@code path}, {@code p2p}, {@code ssh}). */
    String name();

    /** Whether {@code config} (its URL, its {@code annex-*} settings) is a remote of this kind. */
    boolean recognises(RemoteConfig config);

    /**
     * Opens the remote; fails with a message naming it and what is wrong when it is not reachable or not the
     * repository recorded for it. May block (reading a drive, connecting): never called on the repository thread.
     */
    Remote open(RemoteConfig config, Here here) throws RepoException;
}
