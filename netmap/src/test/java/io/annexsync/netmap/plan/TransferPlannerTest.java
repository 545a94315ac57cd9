package io.annexsync.netmap.plan;

import static io.annexsync.netmap.testing.Ids.rec;
import static io.annexsync.netmap.testing.Ids.repo;
import static org.assertj.core.api.Assertions.assertThat;

import io.annexsync.netmap.graph.RepoId;
import io.annexsync.netmap.map.LinkRecord;
import io.annexsync.netmap.map.NetworkMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TransferPlannerTest {

    /** 1 - 2 - 3 in both directions; 1 cannot reach 3. */
    private static final NetworkMap CHAIN = map(rec(1, 2, 100), rec(2, 1, 100), rec(2, 3, 100), rec(3, 2, 100));

    @Test
    void chainHolderUploadsOnlyToItsNeighbourWhichForwards() {
        TransferPlan atOne = planner(CHAIN, 1, 2).plan(Set.of(repo(1)));
        assertThat(atOne.uploadTo()).containsExactly(repo(2));
        assertThat(atOne.downloadFrom()).isEmpty();
        assertThat(atOne.flooding()).isFalse();

        TransferPlan atTwo = planner(CHAIN, 2, 1, 3).plan(Set.of(repo(1)));
        assertThat(atTwo.downloadFrom()).contains(repo(1));
        assertThat(atTwo.uploadTo()).containsExactly(repo(3));

        TransferPlan atTwoHolding = planner(CHAIN, 2, 1, 3).plan(Set.of(repo(1), repo(2)));
        assertThat(atTwoHolding.downloadFrom()).isEmpty();
        assertThat(atTwoHolding.uploadTo()).containsExactly(repo(3));

        TransferPlan atThree = planner(CHAIN, 3, 2).plan(Set.of(repo(1)));
        assertThat(atThree.downloadFrom()).contains(repo(2));
        assertThat(atThree.uploadTo()).isEmpty();
    }

    @Test
    void starHubDownloadsFromTheHolderAndUploadsCheapestFirst() {
        NetworkMap star = map(rec(3, 0, 100), rec(0, 1, 300), rec(0, 2, 100), rec(0, 4, 200),
                rec(1, 0, 100), rec(2, 0, 100), rec(4, 0, 100), rec(0, 3, 100));
        TransferPlan atHub = planner(star, 0, 1, 2, 3, 4).plan(Set.of(repo(3)));
        assertThat(atHub.downloadFrom()).contains(repo(3));
        assertThat(atHub.uploadTo()).containsExactly(repo(2), repo(4), repo(1));
        assertThat(atHub.tree().totalCost()).isEqualTo(700);
        TransferPlan atLeaf = planner(star, 1, 0).plan(Set.of(repo(3)));
        assertThat(atLeaf.downloadFrom()).contains(repo(0));
        assertThat(atLeaf.uploadTo()).isEmpty();
    }

    @Test
    void cycleIsCutBeforeTheHolder() {
        NetworkMap cycle = map(rec(1, 2, 10), rec(2, 3, 10), rec(3, 4, 10), rec(4, 1, 10));
        assertThat(planner(cycle, 4, 3, 1).plan(Set.of(repo(1))).uploadTo()).isEmpty();
        assertThat(planner(cycle, 4, 3, 1).plan(Set.of(repo(1))).downloadFrom()).contains(repo(3));
        assertThat(planner(cycle, 1, 2, 4).plan(Set.of(repo(3))).uploadTo()).containsExactly(repo(2));
        assertThat(planner(cycle, 1, 2, 4).plan(Set.of(repo(3))).downloadFrom()).contains(repo(4));
    }

    @Test
    void reportsRepositoriesNoHolderReaches() {
        NetworkMap map = NetworkMap.builder().records(CHAIN.records()).record(rec(5, 1, 100)).repository(repo(6))
                .build();
        TransferPlan plan = planner(map, 1, 2).plan(Set.of(repo(1)));
        assertThat(plan.unreachable()).containsExactly(repo(5), repo(6));
        assertThat(plan.flooding()).isFalse();
        assertThat(plan.holders()).containsExactly(repo(1));
    }

    @Test
    void floodsWhenTheMapHasNoLinks() {
        TransferPlan plan = planner(NetworkMap.empty(), 1, 2, 3, 4).plan(Set.of(repo(3), repo(4)));
        assertThat(plan.fallback().map(Fallback::reason)).contains(Fallback.Reason.NO_LINKS);
        assertThat(plan.uploadTo()).containsExactly(repo(2));
        assertThat(plan.downloadFrom()).contains(repo(3));
    }

    @Test
    void floodsWhenHereIsNotReachedAndDownloadsFromTheCheapestHolder() {
        NetworkMap map = map(rec(2, 3, 100), rec(3, 4, 100), rec(9, 4, 50), rec(9, 3, 500));
        TransferPlan plan = planner(map, 9, 3, 4, 5).plan(Set.of(repo(3), repo(4)));
        assertThat(plan.fallback().map(Fallback::reason)).contains(Fallback.Reason.HERE_NOT_REACHED);
        assertThat(plan.downloadFrom()).contains(repo(4));
        assertThat(plan.uploadTo()).containsExactly(repo(5));
    }

    @Test
    void floodsWhenThePlannedParentIsNotReachable() {
        TransferPlan plan = planner(CHAIN, 3, 1).plan(Set.of(repo(1)));
        assertThat(plan.fallback().map(Fallback::reason)).contains(Fallback.Reason.PARENT_NOT_REACHABLE);
        assertThat(plan.downloadFrom()).contains(repo(1));
        assertThat(plan.uploadTo()).isEmpty();
    }

    @Test
    void floodsWhenAPlannedChildIsNotReachable() {
        TransferPlan plan = planner(CHAIN, 2, 1).plan(Set.of(repo(1)));
        assertThat(plan.fallback()).contains(new Fallback(Fallback.Reason.CHILD_NOT_REACHABLE,
                "planned child " + repo(3) + " is not a reachable remote"));
        assertThat(plan.downloadFrom()).contains(repo(1));
        assertThat(plan.uploadTo()).isEmpty();
    }

    @Test
    void floodsAfterAFailedLinkWithTheCallersReason() {
        TransferPlan plan = planner(CHAIN, 2, 1, 3).floodAfterFailure(Set.of(repo(1)), "upload to 3 failed");
        assertThat(plan.fallback()).contains(new Fallback(Fallback.Reason.LINK_FAILED, "upload to 3 failed"));
        assertThat(plan.uploadTo()).containsExactly(repo(3));
        assertThat(plan.downloadFrom()).contains(repo(1));
    }

    @Test
    void plansNothingWhenNobodyHoldsTheKey() {
        TransferPlan plan = planner(CHAIN, 2, 1, 3).plan(Set.of());
        assertThat(plan).isEqualTo(new TransferPlan(repo(2), Optional.empty(), List.of(), Optional.empty(),
                plan.tree()));
        assertThat(plan.unreachable()).containsExactly(repo(1), repo(2), repo(3));
    }

    static NetworkMap map(LinkRecord... records) {
        return NetworkMap.builder().records(List.of(records)).build();
    }

    static TransferPlanner planner(NetworkMap map, int here, int... reachable) {
        List<RepoId> remotes = new ArrayList<>();
        for (int r : reachable) {
            remotes.add(repo(r));
        }
        return new TransferPlanner(map, repo(here), Set.copyOf(remotes));
    }
}
