package io.annexsync.netmap.map;

import io.annexsync.netmap.graph.Link;
import io.annexsync.netmap.graph.RepoId;
import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

/**
 * One published fact of the network map: at {@code seen}, repository {@code from} could send content to repository
 * {@code to} at {@code cost} (git-annex {@code annex-cost}, later refined by measured throughput). Records for the
 * same {@code (from, to)} pair supersede each other by {@code seen}: the newest is the truth.
 *
 * @param from the sending repository
 * @param to   the receiving repository, different from {@code from}
 * @param cost the cost of sending one file over the link, {@code >= 0}
 * @param seen when the publisher last confirmed the link
 */
public record LinkRecord(RepoId from, RepoId to, long cost, Instant seen) {

    /**
     * Which of two records for the same link wins: the newer {@code seen}, then (only for a tie, which a publisher's
     * clock rule makes rare) the higher cost, so the answer never depends on the order records were read.
     */
    public static final Comparator<LinkRecord> NEWEST_LAST = Comparator.comparing(LinkRecord::seen)
            .thenComparingLong(LinkRecord::cost);

    /** Validates the record; the endpoint and cost rules are those of {@link Link}. */
    public LinkRecord {
        Objects.requireNonNull(seen, "seen");
        new Link(from, to, cost);
    }

    /** {@return the link this record states, without its timestamp} */
    public Link link() {
        return new Link(from, to, cost);
    }

    /** {@return the pair of repositories this record is about; records with equal pairs supersede each other} */
    public Pair pair() {
        return new Pair(from, to);
    }

    /**
     * The endpoints of a link, ordered by {@code from} then {@code to}.
     *
     * @param from the sending repository
     * @param to   the receiving repository
     */
    public record Pair(RepoId from, RepoId to) implements Comparable<Pair> {

        /** Validates the endpoints. */
        public Pair {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
        }

        @Override
        public int compareTo(Pair other) {
            int c = from.compareTo(other.from);
            return c != 0 ? c : to.compareTo(other.to);
        }
    }
}
