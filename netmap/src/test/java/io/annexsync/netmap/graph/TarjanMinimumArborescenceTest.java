package io.annexsync.netmap.graph;

import static io.annexsync.netmap.graph.Repos.link;
import static io.annexsync.netmap.graph.Repos.repo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.jgrapht.Graph;
import org.junit.jupiter.api.Test;

class TarjanMinimumArborescenceTest {

    private static Arborescence route(List<Link> links, Set<RepoId> sources, RepoId... isolated) {
        Graph<RepoId, Link> graph = PeerGraphs.of(List.of(isolated), links);
        return new TarjanMinimumArborescence(graph).getArborescence(sources);
    }

    @Test
    void contractsACheapCycleAndEntersItWhereItIsCheapest() {
        List<Link> links = List.of(link(1, 2, 5), link(1, 3, 6), link(2, 3, 1), link(3, 2, 1));
        Arborescence tree = route(links, Set.of(repo(1)));
        assertThat(tree.parentLinks().values()).containsExactlyInAnyOrder(link(1, 2, 5), link(2, 3, 1));
        assertThat(tree.totalCost()).isEqualTo(6);
    }

    @Test
    void expandsNestedCyclesTopDown() {
        // {2,3} is a cycle; with 4 it forms an outer cycle entered from the source at 2: the outer expansion must
        // break 4->2 and the inner one 3->2 (Camerini et al.), giving 1->2, 2->3, 3->4.
        List<Link> links = List.of(link(2, 3, 1), link(3, 2, 1), link(3, 4, 2), link(4, 2, 3),
                link(1, 2, 10), link(1, 3, 12), link(1, 4, 20));
        Arborescence tree = route(links, Set.of(repo(1)));
        assertThat(tree.parentLinks().values())
                .containsExactlyInAnyOrder(link(1, 2, 10), link(2, 3, 1), link(3, 4, 2));
        assertThat(tree.totalCost()).isEqualTo(13);
        assertThat(tree.pathTo(repo(4))).containsExactly(link(1, 2, 10), link(2, 3, 1), link(3, 4, 2));
    }

    @Test
    void takesTheCheaperOfParallelLinks() {
        Arborescence tree = route(List.of(link(1, 2, 5), link(1, 2, 3), link(1, 2, 4)), Set.of(repo(1)));
        assertThat(tree.parentLink(repo(2))).contains(link(1, 2, 3));
        assertThat(tree.totalCost()).isEqualTo(3);
    }

    @Test
    void reportsUnreachableRepositoriesInsteadOfDroppingThem() {
        List<Link> links = List.of(link(1, 2, 1), link(4, 2, 1), link(4, 1, 1));
        Arborescence tree = route(links, Set.of(repo(1)), repo(5));
        assertThat(tree.reached()).containsExactly(repo(1), repo(2));
        assertThat(tree.unreachable()).containsExactly(repo(4), repo(5));
        assertThat(tree.totalCost()).isEqualTo(1);
    }

    @Test
    void routesFromSeveralSourcesThroughTheNearestOne() {
        List<Link> links = List.of(link(1, 2, 1), link(3, 2, 9), link(1, 4, 9), link(3, 4, 2), link(1, 3, 0));
        Arborescence tree = route(links, Set.of(repo(1), repo(3)));
        assertThat(tree.parentLinks().values()).containsExactlyInAnyOrder(link(1, 2, 1), link(3, 4, 2));
        assertThat(tree.parentLink(repo(3))).isEmpty();
        assertThat(tree.pathTo(repo(4))).containsExactly(link(3, 4, 2));
    }

    @Test
    void nothingIsReachedFromNoSource() {
        Arborescence tree = route(List.of(link(1, 2, 1)), Set.of());
        assertThat(tree.reached()).isEmpty();
        assertThat(tree.unreachable()).containsExactly(repo(1), repo(2));
    }

    @Test
    void refusesASourceOutsideTheGraph() {
        assertThatThrownBy(() -> route(List.of(link(1, 2, 1)), Set.of(repo(7))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(repo(7).uuid());
    }

    @Test
    void breaksEqualCostTiesByLinkOrder() {
        List<Link> links = List.of(link(3, 2, 1), link(1, 2, 1), link(2, 3, 1), link(1, 3, 1));
        Arborescence tree = route(links, Set.of(repo(1)));
        assertThat(tree.parentLinks().values()).containsExactlyInAnyOrder(link(1, 2, 1), link(1, 3, 1));
    }

    @Test
    void resolvesTiesTheSameWayWhateverTheInsertionOrder() {
        Random random = new Random(42);
        for (int round = 0; round < 50; round++) {
            List<Link> links = RandomGraphs.links(random, 8, 30, 2);
            Set<RepoId> sources = Set.of(repo(random.nextInt(8)));
            Arborescence first = route(links, sources, RandomGraphs.repos(8).toArray(RepoId[]::new));
            for (int shuffle = 0; shuffle < 5; shuffle++) {
                List<Link> shuffled = new ArrayList<>(links);
                Collections.shuffle(shuffled, random);
                List<RepoId> repos = new ArrayList<>(RandomGraphs.repos(8));
                Collections.shuffle(repos, random);
                assertThat(route(shuffled, sources, repos.toArray(RepoId[]::new))).isEqualTo(first);
            }
        }
    }

    @Test
    void matchesBruteForceOnSeededRandomGraphs() {
        for (int seed = 0; seed < 600; seed++) {
            Random random = new Random(seed);
            int n = 1 + random.nextInt(7);
            int m = random.nextInt(3 * n + 1);
            List<Link> links = RandomGraphs.links(random, n, m, 1 + random.nextInt(6));
            Set<RepoId> sources = RandomGraphs.sources(random, n);
            List<RepoId> repos = RandomGraphs.repos(n);
            Arborescence tree = route(links, sources, repos.toArray(RepoId[]::new));
            BruteForceArborescence.Optimum expected = BruteForceArborescence.solve(repos, links, sources);
            String context = "seed " + seed + ": sources " + sources + " links " + links;
            assertThat(tree.totalCost()).as(context).isEqualTo(expected.cost());
            assertThat(tree.reached()).as(context).isEqualTo(expected.reached());
            assertThat(tree.unreachable()).as(context).containsExactlyElementsOf(
                    repos.stream().filter(r -> !expected.reached().contains(r)).sorted().toList());
            assertThat(links).as(context).containsAll(tree.parentLinks().values());
        }
    }
}
