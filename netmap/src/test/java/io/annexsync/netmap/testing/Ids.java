package io.annexsync.netmap.testing;

import io.annexsync.netmap.graph.RepoId;
import io.annexsync.netmap.map.LinkRecord;
import java.time.Instant;

/** Readable ids and records for tests: {@code repo(3)} is {@code 00000000-0000-0000-0000-000000000003}. */
public final class Ids {

    /** The time test records are seen at unless they say otherwise: 2026-01-01T00:00:00Z. */
    public static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private Ids() {
    }

    public static RepoId repo(int n) {
        return RepoId.of(String.format("00000000-0000-0000-0000-%012d", n));
    }

    public static LinkRecord rec(int from, int to, long cost) {
        return new LinkRecord(repo(from), repo(to), cost, T0);
    }

    public static LinkRecord rec(int from, int to, long cost, long secondsAfterT0) {
        return new LinkRecord(repo(from), repo(to), cost, T0.plusSeconds(secondsAfterT0));
    }
}
