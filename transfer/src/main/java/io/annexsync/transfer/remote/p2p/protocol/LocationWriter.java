package io.annexsync.transfer.remote.p2p.protocol;

import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.key.Key;

/**
 * How the server records in this repository's location log that it gained or lost a key's content. The daemon
 * passes its repository writer; {@link P2PServer.Context#journal} writes the git-annex journal directly (atomic
 * under the journal lock). Thread-safe.
 */
@FunctionalInterface
public interface LocationWriter {
    /** Records whether this repository has the content of {@code key} now. */
    void setPresent(Key key, boolean present) throws RepoException;
}
