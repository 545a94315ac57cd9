package io.annexsync.netmap.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.jgrapht.Graph;

/**
 * Plain benchmark harness for {@link TarjanMinimumArborescence}, run by {@code bench/routing-arborescence.sh}: seeded
 * random peer maps (costs 1..1000, parallel links allowed), one query from one source and one from three sources,
 * timed after warm-up; prints the median and the spread in milliseconds per size, and whether 1,000 repositories /
 * 20,000 links meet the 50 ms target. Arguments: {@code [warmup] [runs]}.
 */
public final class ArborescenceBenchmark {

    private static final int[][] SIZES = {{250, 5_000}, {500, 10_000}, {1_000, 20_000}, {2_000, 40_000},
        {4_000, 80_000}};
    private static final double TARGET_MS = 50.0;

    private ArborescenceBenchmark() {
    }

    public static void main(String[] args) {
        int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        System.out.printf("TarjanMinimumArborescence, %d warm-up runs, median of %d runs, Java %s%n",
                warmup, runs, Runtime.version());
        System.out.printf("%8s %8s %8s %10s %10s %10s %12s%n",
                "repos", "links", "sources", "median ms", "min ms", "max ms", "total cost");
        double target = Double.NaN;
        for (int[] size : SIZES) {
            for (int sourceCount : new int[] {1, 3}) {
                double median = measure(size[0], size[1], sourceCount, warmup, runs);
                if (size[0] == 1_000 && sourceCount == 1) {
                    target = median;
                }
            }
        }
        System.out.printf("1,000 repositories / 20,000 links: median %.2f ms, target %.0f ms: %s%n",
                target, TARGET_MS, target < TARGET_MS ? "MET" : "MISSED");
    }

    private static double measure(int n, int m, int sourceCount, int warmup, int runs) {
        Random random = new Random(31L * n + m);
        List<RepoId> repos = RandomGraphs.repos(n);
        Graph<RepoId, Link> graph = PeerGraphs.of(repos, randomLinks(random, n, m));
        Set<RepoId> sources = Set.copyOf(new ArrayList<>(repos).subList(0, sourceCount));
        TarjanMinimumArborescence algorithm = new TarjanMinimumArborescence(graph);
        long cost = 0;
        for (int i = 0; i < warmup; i++) {
            cost = algorithm.getArborescence(sources).totalCost();
        }
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            Arborescence tree = algorithm.getArborescence(sources);
            ms[i] = (System.nanoTime() - start) / 1e6;
            cost = tree.totalCost();
        }
        Arrays.sort(ms);
        double median = ms[runs / 2];
        System.out.printf("%8d %8d %8d %10.2f %10.2f %10.2f %12d%n", n, m, sourceCount, median, ms[0],
                ms[runs - 1], cost);
        return median;
    }

    private static List<Link> randomLinks(Random random, int n, int m) {
        List<Link> links = new ArrayList<>(m);
        while (links.size() < m) {
            int from = random.nextInt(n);
            int to = (from + 1 + random.nextInt(n - 1)) % n;
            links.add(new Link(Repos.repo(from), Repos.repo(to), 1 + random.nextInt(1000)));
        }
        return links;
    }
}
