package io.annexsync.netmap;

import static io.annexsync.netmap.testing.Ids.T0;
import static io.annexsync.netmap.testing.Ids.repo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annexsync.netmap.plan.TransferPlan;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NetworkMapServiceTest {

    @Test
    void publishesLoadsAndPlansOverTheFreshMap() {
        Clock early = Clock.fixed(T0, ZoneOffset.UTC);
        String one = new NetworkMapService(repo(1), Duration.ofDays(1), early).ownLog(Map.of(repo(2), 100L));
        String two = new NetworkMapService(repo(2), Duration.ofDays(1), early).ownLog(Map.of(repo(3), 100L));
        try (NetworkMapService service = new NetworkMapService(repo(2), Duration.ofDays(1), early)) {
            service.load(List.of(one, two), Map.of(repo(1), "laptop"));
            TransferPlan plan = service.plan(Set.of(repo(1)), Set.of(repo(1), repo(3)));
            assertThat(plan.downloadFrom()).contains(repo(1));
            assertThat(plan.uploadTo()).containsExactly(repo(3));
            assertThat(service.map().description(repo(1))).contains("laptop");
        }
        NetworkMapService later = new NetworkMapService(repo(2), Duration.ofDays(1),
                Clock.fixed(T0.plus(Duration.ofDays(2)), ZoneOffset.UTC));
        later.load(List.of(one, two), Map.of());
        assertThat(later.map().records()).isEmpty();
        assertThat(later.plan(Set.of(repo(1)), Set.of(repo(1))).flooding()).isTrue();
        later.close();
        assertThatThrownBy(later::map).isInstanceOf(IllegalStateException.class);
    }
}
