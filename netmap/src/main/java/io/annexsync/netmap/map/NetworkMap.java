package io.annexsync.netmap.map;

import io.annexsync.netmap.graph.Link;
import io.annexsync.netmap.graph.RepoId;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A snapshot of the network map: the known repositories, each with an optional description, and at most one link
 * record per {@code (from, to)} pair, the newest of all the records merged into it ({@link LinkRecord#NEWEST_LAST}).
 * Merging is commutative, associative and idempotent, so every peer that has read the same publishers' files holds
 * the same map, whatever the order it read them in.
 *
 * <p>Immutable and thread-safe. Build one with {@link #builder()} or by {@link #merge merging} two maps.
 */
public final class NetworkMap {

    private static final NetworkMap EMPTY = builder().build();

    private final SortedSet<RepoId> repositories;
    private final SortedMap<RepoId, String> descriptions;
    private final SortedMap<LinkRecord.Pair, LinkRecord> records;

    private NetworkMap(SortedSet<RepoId> repositories, SortedMap<RepoId, String> descriptions,
            SortedMap<LinkRecord.Pair, LinkRecord> records) {
        this.repositories = Collections.unmodifiableSortedSet(repositories);
        this.descriptions = Collections.unmodifiableSortedMap(descriptions);
        this.records = Collections.unmodifiableSortedMap(records);
    }

    /** {@return the map that knows nothing} */
    public static NetworkMap empty() {
        return EMPTY;
    }

    /** {@return a builder for a new map} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return every known repository, described or an endpoint of a link, in UUID order} */
    public SortedSet<RepoId> repositories() {
        return repositories;
    }

    /**
     * The description of a repository (git-annex's {@code uuid.log} text, fed by the app).
     *
     * @param repo a repository
     * @return its description; empty if it has none or is unknown
     */
    public Optional<String> description(RepoId repo) {
        return Optional.ofNullable(descriptions.get(Objects.requireNonNull(repo, "repo")));
    }

    /** {@return the winning record of every link, ordered by {@code from} then {@code to}} */
    public List<LinkRecord> records() {
        return List.copyOf(records.values());
    }

    /** {@return the links of the map, without timestamps, ordered by {@code from} then {@code to}} */
    public List<Link> links() {
        return records.values().stream().map(LinkRecord::link).toList();
    }

    /**
     * The current record of a link.
     *
     * @param from the sending repository
     * @param to   the receiving repository
     * @return the newest record of {@code from -> to}; empty if the map has none
     */
    public Optional<LinkRecord> record(RepoId from, RepoId to) {
        return Optional.ofNullable(records.get(new LinkRecord.Pair(from, to)));
    }

    /**
     * The map without its stale links: those last seen before {@code now - staleAfter}. Repositories stay, so that
     * one whose links have all gone stale is still known and reported unreachable rather than forgotten.
     *
     * @param now        the current time
     * @param staleAfter how long a link stays fresh after it was last seen; not negative
     * @return the fresh part of this map
     */
    public NetworkMap fresh(Instant now, Duration staleAfter) {
        Objects.requireNonNull(now, "now");
        if (Objects.requireNonNull(staleAfter, "staleAfter").isNegative()) {
            throw new IllegalArgumentException("staleAfter must not be negative: " + staleAfter);
        }
        Instant oldest = now.minus(staleAfter);
        SortedMap<LinkRecord.Pair, LinkRecord> kept = new TreeMap<>(records);
        kept.values().removeIf(r -> r.seen().isBefore(oldest));
        return new NetworkMap(new TreeSet<>(repositories), new TreeMap<>(descriptions), kept);
    }

    /**
     * Merges two maps: the union of their repositories, the newest record of every link; a repository described in
     * both keeps this map's description unless it has none.
     *
     * @param other another map
     * @return the merged map
     */
    public NetworkMap merge(NetworkMap other) {
        Objects.requireNonNull(other, "other");
        Builder builder = new Builder();
        builder.addAll(other);
        builder.addAll(this);
        return builder.build();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof NetworkMap that
                && repositories.equals(that.repositories)
                && descriptions.equals(that.descriptions)
                && records.equals(that.records);
    }

    @Override
    public int hashCode() {
        return Objects.hash(repositories, descriptions, records);
    }

    @Override
    public String toString() {
        return "NetworkMap[" + repositories.size() + " repositories, links=" + records.values() + "]";
    }

    /** Collects repositories, descriptions and link records for a {@link NetworkMap}. Not thread-safe. */
    public static final class Builder {

        private final SortedSet<RepoId> repositories = new TreeSet<>();
        private final SortedMap<RepoId, String> descriptions = new TreeMap<>();
        private final SortedMap<LinkRecord.Pair, LinkRecord> records = new TreeMap<>();

        private Builder() {
        }

        /**
         * Adds a repository, even one no link touches.
         *
         * @param repo the repository
         * @return this builder
         */
        public Builder repository(RepoId repo) {
            repositories.add(Objects.requireNonNull(repo, "repo"));
            return this;
        }

        /**
         * Adds a repository with its description; a later description of the same repository replaces this one.
         *
         * @param repo        the repository
         * @param description its human-readable description
         * @return this builder
         */
        public Builder describe(RepoId repo, String description) {
            repository(repo);
            descriptions.put(repo, Objects.requireNonNull(description, "description"));
            return this;
        }

        /**
         * Adds a link record; it replaces the record of the same link only if it is newer.
         *
         * @param record the record
         * @return this builder
         */
        public Builder record(LinkRecord record) {
            Objects.requireNonNull(record, "record");
            repositories.add(record.from());
            repositories.add(record.to());
            records.merge(record.pair(), record, (a, b) -> LinkRecord.NEWEST_LAST.compare(a, b) >= 0 ? a : b);
            return this;
        }

        /**
         * Adds link records, keeping the newest per link.
         *
         * @param all the records
         * @return this builder
         */
        public Builder records(Collection<LinkRecord> all) {
            Objects.requireNonNull(all, "all").forEach(this::record);
            return this;
        }

        private void addAll(NetworkMap map) {
            repositories.addAll(map.repositories);
            descriptions.putAll(map.descriptions);
            records(map.records.values());
        }

        /** {@return an immutable map of everything added so far} */
        public NetworkMap build() {
            return new NetworkMap(new TreeSet<>(repositories), new TreeMap<>(descriptions), new TreeMap<>(records));
        }
    }
}
