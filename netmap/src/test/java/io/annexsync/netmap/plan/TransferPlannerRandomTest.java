package io.annexsync.netmap.plan;

import static io.annexsync.netmap.testing.Ids.rec;
import static io.annexsync.netmap.testing.Ids.repo;
import static org.assertj.core.api.Assertions.assertThat;

import io.annexsync.netmap.graph.Link;
import io.annexsync.netmap.graph.RepoId;
import io.annexsync.netmap.map.LinkRecord;
import io.annexsync.netmap.map.NetworkMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Seeded random maps: the plans of all repositories, put together, are exactly the arborescence. */
class TransferPlannerRandomTest {

    private static final int N = 12;

    @Test
    void everyReachedRepositoryFollowsTheTreeAndTogetherTheyBuildIt() {
        Random random = new Random(42);
        for (int run = 0; run < 300; run++) {
            NetworkMap map = randomMap(random);
            Set<RepoId> holders = new HashSet<>(List.of(repo(random.nextInt(N)), repo(random.nextInt(N))));
            Set<Link> uploads = new HashSet<>();
            TransferPlan any = null;
            for (RepoId here : map.repositories()) {
                TransferPlan plan = new TransferPlanner(map, here, neighbours(map, here)).plan(holders);
                any = plan;
                checkOne(plan, holders, map.records().isEmpty());
                if (!plan.flooding()) {
                    plan.uploadTo().forEach(to -> uploads.add(map.record(here, to).orElseThrow().link()));
                }
            }
            assertThat(uploads).isEqualTo(new HashSet<>(any.tree().parentLinks().values()));
        }
    }

    @Test
    void thePlanDoesNotDependOnTheOrderTheMapWasRead() {
        Random random = new Random(7);
        for (int run = 0; run < 100; run++) {
            NetworkMap map = randomMap(random);
            List<LinkRecord> shuffled = new ArrayList<>(map.records());
            Collections.shuffle(shuffled, random);
            NetworkMap.Builder builder = NetworkMap.builder().records(shuffled);
            map.repositories().forEach(builder::repository);
            NetworkMap same = builder.build();
            RepoId here = repo(random.nextInt(N));
            Set<RepoId> holders = Set.of(repo(random.nextInt(N)));
            assertThat(new TransferPlanner(same, here, neighbours(same, here)).plan(holders))
                    .isEqualTo(new TransferPlanner(map, here, neighbours(map, here)).plan(holders));
        }
    }

    private static void checkOne(TransferPlan plan, Set<RepoId> holders, boolean noLinks) {
        boolean reached = plan.tree().reached().contains(plan.here());
        assertThat(plan.flooding()).isEqualTo(noLinks || !reached);
        if (plan.flooding()) {
            assertThat(plan.fallback().orElseThrow().reason())
                    .isEqualTo(noLinks ? Fallback.Reason.NO_LINKS : Fallback.Reason.HERE_NOT_REACHED);
            return;
        }
        assertThat(plan.downloadFrom().isPresent()).isEqualTo(!holders.contains(plan.here()));
        assertThat(plan.uploadTo()).doesNotContainAnyElementsOf(holders);
        plan.downloadFrom().ifPresent(parent ->
                assertThat(plan.tree().parentLink(plan.here()).orElseThrow().from()).isEqualTo(parent));
    }

    /** Every repository can talk to the repositories the map links it with, in either direction. */
    private static Set<RepoId> neighbours(NetworkMap map, RepoId here) {
        Set<RepoId> remotes = new HashSet<>();
        for (LinkRecord r : map.records()) {
            if (r.from().equals(here)) {
                remotes.add(r.to());
            } else if (r.to().equals(here)) {
                remotes.add(r.from());
            }
        }
        return remotes;
    }

    private static NetworkMap randomMap(Random random) {
        NetworkMap.Builder builder = NetworkMap.builder();
        for (int i = 0; i < N; i++) {
            builder.repository(repo(i));
        }
        int links = random.nextInt(3 * N);
        for (int i = 0; i < links; i++) {
            int from = random.nextInt(N);
            int to = (from + 1 + random.nextInt(N - 1)) % N;
            builder.record(rec(from, to, random.nextInt(5) * 100L, random.nextInt(100)));
        }
        return builder.build();
    }
}
