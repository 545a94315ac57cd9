package io.annexsync.netmap.map;

import static io.annexsync.netmap.testing.Ids.T0;
import static io.annexsync.netmap.testing.Ids.rec;
import static io.annexsync.netmap.testing.Ids.repo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annexsync.netmap.graph.Link;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class NetworkMapTest {

    @Test
    void keepsTheNewestRecordPerLinkAcrossPublishers() {
        NetworkMap fromOne = NetworkMap.builder().records(List.of(rec(1, 2, 100, 10), rec(2, 1, 100, 10))).build();
        NetworkMap fromTwo = NetworkMap.builder().records(List.of(rec(1, 2, 300, 20), rec(2, 1, 50, 5))).build();
        NetworkMap merged = fromOne.merge(fromTwo);
        assertThat(merged.records()).containsExactly(rec(1, 2, 300, 20), rec(2, 1, 100, 10));
        assertThat(merged).isEqualTo(fromTwo.merge(fromOne));
        assertThat(merged.merge(merged)).isEqualTo(merged);
        assertThat(merged.links()).containsExactly(new Link(repo(1), repo(2), 300), new Link(repo(2), repo(1), 100));
    }

    @Test
    void breaksATieOnSeenByTheHigherCostWhateverTheOrder() {
        NetworkMap ab = NetworkMap.builder().record(rec(1, 2, 100)).record(rec(1, 2, 200)).build();
        NetworkMap ba = NetworkMap.builder().record(rec(1, 2, 200)).record(rec(1, 2, 100)).build();
        assertThat(ab).isEqualTo(ba);
        assertThat(ab.record(repo(1), repo(2))).contains(rec(1, 2, 200));
    }

    @Test
    void freshDropsStaleLinksButKeepsTheirRepositories() {
        NetworkMap map = NetworkMap.builder().describe(repo(1), "laptop")
                .records(List.of(rec(1, 2, 100, 0), rec(2, 3, 100, 3600), rec(3, 1, 100, 7200))).build();
        NetworkMap fresh = map.fresh(T0.plusSeconds(7200), Duration.ofHours(1));
        assertThat(fresh.records()).containsExactly(rec(2, 3, 100, 3600), rec(3, 1, 100, 7200));
        assertThat(fresh.repositories()).containsExactly(repo(1), repo(2), repo(3));
        assertThat(fresh.description(repo(1))).contains("laptop");
        assertThat(map.fresh(T0, Duration.ZERO).records()).hasSize(3);
        assertThatThrownBy(() -> map.fresh(T0, Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void knowsRepositoriesWithoutLinksAndDescriptions() {
        NetworkMap map = NetworkMap.builder().repository(repo(9)).describe(repo(1), "nas").build();
        assertThat(map.repositories()).containsExactly(repo(1), repo(9));
        assertThat(map.description(repo(9))).isEmpty();
        assertThat(map.records()).isEmpty();
        assertThat(NetworkMap.empty().repositories()).isEmpty();
    }

    @Test
    void recordsAreValidated() {
        assertThatThrownBy(() -> rec(1, 1, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> rec(1, 2, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LinkRecord(repo(1), repo(2), 1, null)).isInstanceOf(NullPointerException.class);
    }
}
