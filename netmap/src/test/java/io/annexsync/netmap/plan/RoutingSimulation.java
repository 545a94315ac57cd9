package io.annexsync.netmap.plan;

import io.annexsync.netmap.graph.Arborescence;
import io.annexsync.netmap.graph.Link;
import io.annexsync.netmap.graph.PeerGraphs;
import io.annexsync.netmap.graph.RepoId;
import io.annexsync.netmap.graph.TarjanMinimumArborescence;
import io.annexsync.netmap.testing.Ids;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.stream.IntStream;

/**
 * The routing simulation of {@code bench/routing.sh} (issue 5): no transfers, only counting. 50 repositories on
 * seeded random topologies with costs, one new file of a fixed size at one of them; totals the link cost and the
 * bytes sent to give every repository the file by (1) the minimum-cost arborescence, (2) git-annex's flood fill,
 * round by round, every repository that just received the file sending it to every neighbour that did not hold it
 * at the start of the round (two senders in one round both send: duplicate receptions count), and (3) a star through
 * the hub that makes it cheapest, among the repositories with a direct link to every other one (n/a if none).
 * Asserts that the arborescence never costs more than flooding. Arguments: {@code [seeds] [file MiB]}.
 */
public final class RoutingSimulation {

    private static final int N = 50;

    private RoutingSimulation() {
    }

    /** One way of sending the file: its total cost and the number of link crossings (one file each). */
    private record Totals(long cost, long sends) {
    }

    public static void main(String[] args) {
        int seeds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        long fileBytes = (args.length > 1 ? Long.parseLong(args[1]) : 100) << 20;
        System.out.printf("routing simulation: %d repositories, one %d MiB file, mean of %d seeded maps per "
                + "topology%n", N, fileBytes >> 20, seeds);
        System.out.printf("%-18s %6s %10s %10s %10s %9s %9s %9s %8s %8s%n", "topology", "links", "tree cost",
                "flood cost", "star cost", "tree GiB", "flood GiB", "star GiB", "tr/fl", "tr/star");
        run("sparse uneven", RoutingSimulation::sparseUneven, seeds, fileBytes);
        run("dense", RoutingSimulation::dense, seeds, fileBytes);
        run("ring + chords", RoutingSimulation::ringWithChords, seeds, fileBytes);
        run("two LANs + WAN", RoutingSimulation::twoLans, seeds, fileBytes);
        run("server + 5 LANs", RoutingSimulation::serverAndLans, seeds, fileBytes);
        System.out.println("arborescence cost <= flooding cost on every map: OK");
    }

    private static void run(String name, BiFunction<Random, Integer, List<Link>> topology, int seeds, long bytes) {
        double[] sum = new double[7];
        int starRuns = 0;
        for (int seed = 1; seed <= seeds; seed++) {
            Random random = new Random(seed * 1_000_003L + name.hashCode());
            List<Link> links = topology.apply(random, N);
            RepoId origin = Ids.repo(random.nextInt(N));
            Totals tree = tree(links, origin);
            Totals flood = flood(links, origin);
            if (tree.cost() > flood.cost()) {
                throw new IllegalStateException(name + " seed " + seed + ": tree " + tree + " > flood " + flood);
            }
            OptionalLong star = star(links, origin);
            add(sum, links.size(), tree, flood);
            if (star.isPresent()) {
                sum[5] += star.getAsLong();
                sum[6] += N - 1;
                starRuns++;
            }
        }
        print(name, sum, seeds, starRuns, bytes);
    }

    private static void add(double[] sum, int links, Totals tree, Totals flood) {
        sum[0] += links;
        sum[1] += tree.cost();
        sum[2] += tree.sends();
        sum[3] += flood.cost();
        sum[4] += flood.sends();
    }

    private static void print(String name, double[] sum, int seeds, int starRuns, long bytes) {
        double gib = bytes / (double) (1L << 30);
        String starCost = starRuns == 0 ? "n/a" : String.format("%.0f", sum[5] / starRuns);
        String starGib = starRuns == 0 ? "n/a" : String.format("%.1f", sum[6] / starRuns * gib);
        String treeStar = starRuns == 0 ? "n/a" : String.format("%.2f", (sum[1] / seeds) / (sum[5] / starRuns));
        if (starRuns > 0 && starRuns < seeds) {
            starCost += "*";
        }
        System.out.printf("%-18s %6.0f %10.0f %10.0f %10s %9.1f %9.1f %9s %8.2f %8s%n", name, sum[0] / seeds,
                sum[1] / seeds, sum[3] / seeds, starCost, sum[2] / seeds * gib, sum[4] / seeds * gib, starGib,
                sum[1] / sum[3], treeStar);
    }

    static Totals tree(List<Link> links, RepoId origin) {
        List<RepoId> repos = IntStream.range(0, N).mapToObj(Ids::repo).toList();
        Arborescence tree = new TarjanMinimumArborescence(PeerGraphs.of(repos, links)).getArborescence(Set.of(origin));
        return new Totals(tree.totalCost(), tree.parentLinks().size());
    }

    /** git-annex's flood fill, in rounds; a repository learns who holds the file only between rounds. */
    static Totals flood(List<Link> links, RepoId origin) {
        Set<RepoId> has = new TreeSet<>(Set.of(origin));
        Set<RepoId> frontier = Set.of(origin);
        long cost = 0;
        long sends = 0;
        while (!frontier.isEmpty()) {
            Set<RepoId> next = new TreeSet<>();
            for (Link link : links) {
                if (frontier.contains(link.from()) && !has.contains(link.to())) {
                    cost += link.cost();
                    sends++;
                    next.add(link.to());
                }
            }
            has.addAll(next);
            frontier = next;
        }
        return new Totals(cost, sends);
    }

    /** The cheapest star: the origin sends to a hub (unless it is the hub), the hub to every other repository. */
    static OptionalLong star(List<Link> links, RepoId origin) {
        long[][] cost = new long[N][N];
        for (long[] row : cost) {
            Arrays.fill(row, Long.MAX_VALUE);
        }
        for (Link l : links) {
            int from = index(l.from());
            int to = index(l.to());
            cost[from][to] = Math.min(cost[from][to], l.cost());
        }
        int o = index(origin);
        OptionalLong best = OptionalLong.empty();
        for (int hub = 0; hub < N; hub++) {
            long total = hub == o ? 0 : cost[o][hub];
            for (int v = 0; v < N && total != Long.MAX_VALUE; v++) {
                if (v != hub && v != o) {
                    total = cost[hub][v] == Long.MAX_VALUE ? Long.MAX_VALUE : total + cost[hub][v];
                }
            }
            if (total != Long.MAX_VALUE && (best.isEmpty() || total < best.getAsLong())) {
                best = OptionalLong.of(total);
            }
        }
        return best;
    }

    private static int index(RepoId repo) {
        return Integer.parseInt(repo.uuid().substring(24));
    }

    /** A random tree plus n/2 extra links, both directions, costs log-uniform from 10 to 5,000. */
    static List<Link> sparseUneven(Random random, int n) {
        List<Link> links = new ArrayList<>();
        for (int v = 1; v < n; v++) {
            both(links, random.nextInt(v), v, logUniform(random), logUniform(random));
        }
        for (int i = 0; i < n / 2; i++) {
            int a = random.nextInt(n);
            int b = (a + 1 + random.nextInt(n - 1)) % n;
            both(links, a, b, logUniform(random), logUniform(random));
        }
        return links;
    }

    /** Every ordered pair linked with probability 1/2, costs 100 to 300. */
    static List<Link> dense(Random random, int n) {
        List<Link> links = new ArrayList<>();
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                if (a != b && random.nextBoolean()) {
                    links.add(new Link(Ids.repo(a), Ids.repo(b), 100 + random.nextInt(201)));
                }
            }
        }
        return links;
    }

    /** A ring (costs 100 to 150) with ten chords (costs 200 to 600), both directions. */
    static List<Link> ringWithChords(Random random, int n) {
        List<Link> links = new ArrayList<>();
        for (int v = 0; v < n; v++) {
            both(links, v, (v + 1) % n, 100 + random.nextInt(51), 100 + random.nextInt(51));
        }
        for (int i = 0; i < 10; i++) {
            int a = random.nextInt(n);
            int b = (a + 2 + random.nextInt(n - 3)) % n;
            both(links, a, b, 200 + random.nextInt(401), 200 + random.nextInt(401));
        }
        return links;
    }

    /** Two LANs of n/2 (a ring plus 30% of the pairs, costs 10 to 30) joined by one WAN link pair of cost 1,000. */
    static List<Link> twoLans(Random random, int n) {
        List<Link> links = new ArrayList<>();
        int half = n / 2;
        for (int base : new int[] {0, half}) {
            for (int a = 0; a < half; a++) {
                for (int b = a + 1; b < half; b++) {
                    if (b == a + 1 || random.nextInt(10) < 3) {
                        both(links, base + a, base + b, 10 + random.nextInt(21), 10 + random.nextInt(21));
                    }
                }
            }
        }
        both(links, random.nextInt(half), half + random.nextInt(half), 1000, 1000);
        return links;
    }

    /** A server linked with everyone over the WAN (costs 200 to 300) and five LANs of clients (costs 10 to 30). */
    static List<Link> serverAndLans(Random random, int n) {
        List<Link> links = new ArrayList<>();
        for (int v = 1; v < n; v++) {
            both(links, 0, v, 200 + random.nextInt(101), 200 + random.nextInt(101));
        }
        int lan = (n - 1) / 5;
        for (int a = 1; a < n; a++) {
            for (int b = a + 1; b < n && (b - 1) / lan == (a - 1) / lan; b++) {
                both(links, a, b, 10 + random.nextInt(21), 10 + random.nextInt(21));
            }
        }
        return links;
    }

    private static void both(List<Link> links, int a, int b, long ab, long ba) {
        links.add(new Link(Ids.repo(a), Ids.repo(b), ab));
        links.add(new Link(Ids.repo(b), Ids.repo(a), ba));
    }

    private static long logUniform(Random random) {
        return Math.round(10 * Math.pow(500, random.nextDouble()));
    }
}
