package io.annexsync.netmap;

import io.annexsync.netmap.graph.RepoId;
import io.annexsync.netmap.map.LinkLogCodec;
import io.annexsync.netmap.map.LinkRecord;
import io.annexsync.netmap.map.NetworkMap;
import io.annexsync.netmap.plan.TransferPlan;
import io.annexsync.netmap.plan.TransferPlanner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The facade of the netmap module: holds the map merged from every publisher's link log, writes this repository's
 * own log, and plans keys over the fresh part of the map. The app reads and writes the git-annex branch and feeds
 * this service text and UUIDs; netmap never touches git.
 *
 * <p>Thread-safe: the map is an immutable snapshot replaced atomically by {@link #load}; plans read one snapshot.
 * The creator closes it; after {@link #close()} every method throws {@link IllegalStateException}.
 */
public final class NetworkMapService implements AutoCloseable {

    private final RepoId here;
    private final Duration staleAfter;
    private final Clock clock;
    private volatile NetworkMap map = NetworkMap.empty();
    private volatile boolean closed;

    /**
     * Creates the service for one repository.
     *
     * @param here       this repository
     * @param staleAfter how long a link stays fresh after its publisher last saw it
     * @param clock      the time source, injected so tests control staleness
     */
    public NetworkMapService(RepoId here, Duration staleAfter, Clock clock) {
        this.here = Objects.requireNonNull(here, "here");
        this.staleAfter = Objects.requireNonNull(staleAfter, "staleAfter");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (staleAfter.isNegative()) {
            throw new IllegalArgumentException("staleAfter must not be negative: " + staleAfter);
        }
    }

    /**
     * Replaces the map with the one read from the git-annex branch.
     *
     * @param logs         the text of every {@code annex-sync/links/UUID.log} in the branch
     * @param descriptions repository descriptions from {@code uuid.log}
     */
    public void load(Collection<String> logs, Map<RepoId, String> descriptions) {
        checkOpen();
        NetworkMap.Builder builder = NetworkMap.builder();
        logs.forEach(text -> builder.records(LinkLogCodec.parse(text)));
        descriptions.forEach(builder::describe);
        map = builder.build();
    }

    /**
     * The text of this repository's own link log, stamped now.
     *
     * @param costs the cost of sending to each remote this repository knows, by remote UUID
     * @return the file text for {@link LinkLogCodec#path(RepoId)} of {@code here}
     */
    public String ownLog(Map<RepoId, Long> costs) {
        checkOpen();
        Instant now = clock.instant();
        return LinkLogCodec.format(costs.entrySet().stream()
                .map(e -> new LinkRecord(here, e.getKey(), e.getValue(), now)).toList());
    }

    /** {@return the fresh part of the current map: links seen within {@code staleAfter} of now} */
    public NetworkMap map() {
        checkOpen();
        return map.fresh(clock.instant(), staleAfter);
    }

    /**
     * Plans one key at this repository over the fresh map.
     *
     * @param holders          the repositories that hold the key
     * @param reachableRemotes the remotes this repository can transfer with now
     * @return the plan, flooding with a reason if the map cannot be followed
     */
    public TransferPlan plan(Set<RepoId> holders, Set<RepoId> reachableRemotes) {
        return new TransferPlanner(map(), here, reachableRemotes).plan(holders);
    }

    @Override
    public void close() {
        closed = true;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the network map service is closed");
        }
    }
}
