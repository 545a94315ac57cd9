package io.annexsync.netmap.graph;

/** Readable repository ids for tests: {@code repo(3)} is {@code 00000000-0000-0000-0000-000000000003}. */
final class Repos {

    private Repos() {
    }

    static RepoId repo(int n) {
        return RepoId.of(String.format("00000000-0000-0000-0000-%012d", n));
    }

    static Link link(int from, int to, long cost) {
        return new Link(repo(from), repo(to), cost);
    }
}
