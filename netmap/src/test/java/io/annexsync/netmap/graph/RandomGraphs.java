package io.annexsync.netmap.graph;

import static io.annexsync.netmap.graph.Repos.repo;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;

/** Seeded random peer maps: repositories {@code repo(0..n-1)}, links with parallel links allowed. */
final class RandomGraphs {

    private RandomGraphs() {
    }

    static List<RepoId> repos(int n) {
        return IntStream.range(0, n).mapToObj(Repos::repo).toList();
    }

    /** {@code m} random links (no loops; parallel links and repeats allowed) with costs in {@code 0..maxCost}. */
    static List<Link> links(Random random, int n, int m, int maxCost) {
        List<Link> links = new ArrayList<>();
        if (n < 2) {
            return links;
        }
        for (int i = 0; i < m; i++) {
            int from = random.nextInt(n);
            int to = (from + 1 + random.nextInt(n - 1)) % n;
            links.add(new Link(repo(from), repo(to), random.nextInt(maxCost + 1)));
        }
        return links;
    }

    /** One to three sources, most often one. */
    static Set<RepoId> sources(Random random, int n) {
        Set<RepoId> sources = new HashSet<>();
        int count = random.nextInt(4) == 0 ? 1 + random.nextInt(Math.min(3, n)) : 1;
        while (sources.size() < count) {
            sources.add(repo(random.nextInt(n)));
        }
        return sources;
    }
}
