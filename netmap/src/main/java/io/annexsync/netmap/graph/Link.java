package io.annexsync.netmap.graph;

import java.util.Comparator;
import java.util.Objects;

/**
 * A directed link of the network map: repository {@code from} can send content to repository {@code to} at an
 * integer {@code cost} (git-annex {@code annex-cost}, refined by measured throughput). Two links between the same
 * repositories with different costs are both kept (a LAN path and a WAN path); equal links are the same link.
 *
 * @param from the sending repository
 * @param to   the receiving repository, different from {@code from}
 * @param cost the cost of sending one file over this link, {@code >= 0}
 */
public record Link(RepoId from, RepoId to, long cost) {

    /**
     * The order used to break ties between links everywhere in this package: by cost, then by {@code from}, then by
     * {@code to}. It is total on distinct links.
     */
    public static final Comparator<Link> TIE_BREAK_ORDER = Comparator.comparingLong(Link::cost)
            .thenComparing(Link::from)
            .thenComparing(Link::to);

    /** Validates the endpoints and the cost. */
    public Link {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (from.equals(to)) {
            throw new IllegalArgumentException("a link must join two different repositories: " + from);
        }
        if (cost < 0) {
            throw new IllegalArgumentException("link cost must be >= 0: " + from + " -> " + to + " costs " + cost);
        }
    }

    @Override
    public String toString() {
        return from + " -> " + to + " (" + cost + ")";
    }
}
