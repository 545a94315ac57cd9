package io.annexsync.netmap.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annexsync.netmap.graph.RepoId;
import io.annexsync.netmap.map.LinkRecord;
import io.annexsync.netmap.map.NetworkMap;
import io.annexsync.netmap.plan.TransferPlan;
import io.annexsync.netmap.plan.TransferPlanner;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RenderTest {

    private static final RepoId A = RepoId.of("aaaaaaaa-0000-4000-8000-000000000001");
    private static final RepoId B = RepoId.of("bbbbbbbb-0000-4000-8000-000000000002");
    private static final RepoId C = RepoId.of("cccccccc-0000-4000-8000-000000000003");
    private static final RepoId D = RepoId.of("dddddddd-0000-4000-8000-000000000004");
    private static final Instant SEEN = Instant.parse("2026-01-01T00:00:00Z");
    private static final NetworkMap MAP = NetworkMap.builder()
            .describe(A, "laptop").describe(B, "server \"s1\"").repository(C).describe(D, "phone")
            .record(new LinkRecord(A, B, 100, SEEN)).record(new LinkRecord(B, A, 100, SEEN))
            .record(new LinkRecord(B, C, 200, SEEN)).build();
    private static final TransferPlan PLAN = new TransferPlanner(MAP, B, Set.of(A, C)).plan(Set.of(A));

    @Test
    void textListsLinksThenTheRouteAndThePlan() {
        assertThat(MapText.render(MAP, Optional.of(PLAN))).isEqualTo("""
                4 repositories, 3 links
                aaaaaaaa laptop
                  -> bbbbbbbb server "s1"  cost 100  seen 2026-01-01T00:00:00Z
                bbbbbbbb server "s1"
                  -> aaaaaaaa laptop  cost 100  seen 2026-01-01T00:00:00Z
                  -> cccccccc  cost 200  seen 2026-01-01T00:00:00Z
                cccccccc
                dddddddd phone
                route (cost 300):
                  * aaaaaaaa laptop
                    bbbbbbbb server "s1"  (100)
                      cccccccc  (200)
                unreachable: dddddddd phone
                plan for bbbbbbbb server "s1": download from aaaaaaaa laptop; upload to cccccccc
                """);
    }

    @Test
    void textSaysWhenThePlanFloods() {
        TransferPlan flood = new TransferPlanner(MAP, B, Set.of(A)).plan(Set.of(A));
        assertThat(MapText.render(MAP, Optional.of(flood))).endsWith("""
                plan for bbbbbbbb server "s1": download from aaaaaaaa laptop; upload to -
                flooding: CHILD_NOT_REACHABLE: planned child cccccccc-0000-4000-8000-000000000003 is not a \
                reachable remote
                """);
    }

    @Test
    void dotBoldsTheRouteAndFillsTheHolders() {
        assertThat(MapDot.render(MAP, Optional.of(PLAN))).isEqualTo("""
                digraph annex_sync_map {
                  node [shape=box];
                  "aaaaaaaa-0000-4000-8000-000000000001" [label="laptop\\naaaaaaaa", style=filled, fillcolor=gold];
                  "bbbbbbbb-0000-4000-8000-000000000002" [label="server \\"s1\\"\\nbbbbbbbb"];
                  "cccccccc-0000-4000-8000-000000000003" [label="cccccccc"];
                  "dddddddd-0000-4000-8000-000000000004" [label="phone\\ndddddddd"];
                  "aaaaaaaa-0000-4000-8000-000000000001" -> "bbbbbbbb-0000-4000-8000-000000000002" \
                [label="100", style=bold, penwidth=3];
                  "bbbbbbbb-0000-4000-8000-000000000002" -> "aaaaaaaa-0000-4000-8000-000000000001" [label="100"];
                  "bbbbbbbb-0000-4000-8000-000000000002" -> "cccccccc-0000-4000-8000-000000000003" \
                [label="200", style=bold, penwidth=3];
                }
                """);
    }

    @Test
    void jsonHasRepositoriesLinksAndThePlan() {
        NetworkMap small = NetworkMap.builder().describe(A, "laptop").record(new LinkRecord(A, B, 100, SEEN))
                .build();
        TransferPlan plan = new TransferPlanner(small, A, Set.of(B)).plan(Set.of(A));
        assertThat(JsonWriter.write(MapJson.toJson(small, Optional.of(plan)))).isEqualTo("{\"repositories\":["
                + "{\"uuid\":\"" + A + "\",\"description\":\"laptop\"},{\"uuid\":\"" + B + "\"}],"
                + "\"links\":[{\"from\":\"" + A + "\",\"to\":\"" + B + "\",\"cost\":100,"
                + "\"seen\":\"2026-01-01T00:00:00Z\"}],"
                + "\"plan\":{\"here\":\"" + A + "\",\"holders\":[\"" + A + "\"],\"uploadTo\":[\"" + B + "\"],"
                + "\"flooding\":false,\"routeCost\":100,"
                + "\"route\":[{\"from\":\"" + A + "\",\"to\":\"" + B + "\",\"cost\":100}],\"unreachable\":[]}}");
    }

    @Test
    void jsonWriterEscapesAndRejectsWhatIsNotJson() {
        assertThat(JsonWriter.write(Map.of("k", List.of("a\"b\\c\n\u0001", 1, true))))
                .isEqualTo("{\"k\":[\"a\\\"b\\\\c\\n\\u0001\",1,true]}");
        assertThatThrownBy(() -> JsonWriter.write(Instant.EPOCH)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JsonWriter.write(Map.of(1, 2))).isInstanceOf(IllegalArgumentException.class);
    }
}
