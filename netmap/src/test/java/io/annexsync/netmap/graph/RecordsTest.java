package io.annexsync.netmap.graph;

import static io.annexsync.netmap.graph.Repos.link;
import static io.annexsync.netmap.graph.Repos.repo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RecordsTest {

    @Test
    void repoIdNormalisesCaseAndRejectsNonUuids() {
        assertThat(RepoId.of("5F3C1C3E-6A1E-4A6E-9C1F-2B7A8D1E0F42").uuid())
                .isEqualTo("5f3c1c3e-6a1e-4a6e-9c1f-2b7a8d1e0f42");
        assertThatThrownBy(() -> RepoId.of("here")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RepoId.of(null)).isInstanceOf(NullPointerException.class);
        assertThat(repo(2)).isGreaterThan(repo(1));
    }

    @Test
    void linkRejectsLoopsAndNegativeCosts() {
        assertThatThrownBy(() -> link(1, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> link(1, 2, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Link(null, repo(1), 0)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void tieBreakOrderIsCostThenFromThenTo() {
        List<Link> sorted = List.of(link(2, 1, 1), link(1, 3, 1), link(1, 2, 1), link(3, 1, 0)).stream()
                .sorted(Link.TIE_BREAK_ORDER).toList();
        assertThat(sorted).containsExactly(link(3, 1, 0), link(1, 2, 1), link(1, 3, 1), link(2, 1, 1));
    }

    @Test
    void arborescenceRejectsCyclesTwoParentsAndOrphans() {
        Set<RepoId> src = Set.of(repo(1));
        assertThatThrownBy(() -> new Arborescence(src, List.of(link(2, 3, 1), link(3, 2, 1)), Set.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cycle");
        assertThatThrownBy(() -> new Arborescence(src, List.of(link(5, 2, 1)), Set.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not reached");
        assertThatThrownBy(() -> new Arborescence(src, List.of(link(1, 2, 1), link(3, 2, 1)), Set.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two parent links");
        assertThatThrownBy(() -> new Arborescence(src, List.of(link(2, 1, 1)), Set.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("source");
        assertThatThrownBy(() -> new Arborescence(src, List.of(link(1, 2, 1)), Set.of(repo(2))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unreachable");
    }

    @Test
    void arborescenceAnswersPathsChildrenAndCost() {
        Arborescence tree = new Arborescence(Set.of(repo(1)),
                List.of(link(1, 2, 3), link(2, 4, 5), link(2, 3, 1)), Set.of(repo(9)));
        assertThat(tree.totalCost()).isEqualTo(9);
        assertThat(tree.pathTo(repo(4))).containsExactly(link(1, 2, 3), link(2, 4, 5));
        assertThat(tree.pathTo(repo(1))).isEmpty();
        assertThat(tree.children(repo(2))).containsExactly(repo(3), repo(4));
        assertThat(tree.children(repo(4))).isEmpty();
        assertThat(tree.parentLink(repo(1))).isEmpty();
        assertThat(tree.parentLink(repo(3))).contains(link(2, 3, 1));
        assertThat(tree.reached()).containsExactly(repo(1), repo(2), repo(3), repo(4));
        assertThat(tree.unreachable()).containsExactly(repo(9));
        assertThatThrownBy(() -> tree.pathTo(repo(9))).isInstanceOf(IllegalArgumentException.class);
    }
}
