package io.annexsync.transfer.content;

import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.Uuid;
import io.annexsync.gitsync.key.Key;
import io.annexsync.gitsync.remote.RemoteConfig;
import java.util.List;
import java.util.Set;

/**
 * Decides, for one key during {@code sync --content}, which remotes to fetch its content from and which to send it
 * to: the app module plugs in the network map's minimum-cost arborescence (which floods every reachable remote,
 * cheapest first, as git-annex does, while the map is incomplete). Implementations are called from several
 * threads at once and must be thread-safe.
 */
public interface ContentRouting {
    /**
     * The remotes to try, in order, to fetch {@code key} that this repository lacks; empty to leave it to a later
     * sync (its parent in the tree does not have it yet).
     *
     * @param holders the repositories the location logs say hold it
     * @param reachable this repository's remotes that can be used for content, cheapest first
     */
    List<RemoteConfig> downloadFrom(Key key, Set<Uuid> holders, List<RemoteConfig> reachable);

    /** The remotes to send {@code key} to once this repository has it (each is skipped if it already has it). */
    List<RemoteConfig> uploadTo(Key key, Set<Uuid> holders, List<RemoteConfig> reachable);

    /**
     * Makes the routing for one {@code sync --content}, after the merge, so it sees what the peers published.
     */
    @FunctionalInterface
    interface Factory {
        ContentRouting create(AnnexRepo repo) throws RepoException;
    }

    /** Whether the routing looks at the holders; when not, the location logs are not read for every key. */
    default boolean needsHolders() {
        return true;
    }
}
