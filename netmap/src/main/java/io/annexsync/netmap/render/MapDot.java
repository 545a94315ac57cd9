package io.annexsync.netmap.render;

import io.annexsync.netmap.graph.Link;
import io.annexsync.netmap.graph.RepoId;
import io.annexsync.netmap.map.LinkRecord;
import io.annexsync.netmap.map.NetworkMap;
import io.annexsync.netmap.plan.TransferPlan;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Renders the map as a Graphviz {@code digraph}: one box per repository labelled with its description and short
 * UUID, one edge per link labelled with its cost; with a key's plan, the holders are filled and the route's links
 * are bold. Example: {@code annex-sync map --dot | dot -Tsvg > map.svg}. Stateless and thread-safe.
 */
public final class MapDot {

    private MapDot() {
    }

    /**
     * Renders a map and, optionally, one key's route.
     *
     * @param map  the network map
     * @param plan the plan of one key, whose tree and holders are highlighted
     * @return the dot text, ending in {@code \n}
     */
    public static String render(NetworkMap map, Optional<TransferPlan> plan) {
        Objects.requireNonNull(map, "map");
        Set<RepoId> holders = plan.map(TransferPlan::holders).map(Set::copyOf).orElse(Set.of());
        Set<Link> route = plan.map(p -> Set.copyOf(p.tree().parentLinks().values())).orElse(Set.of());
        StringBuilder out = new StringBuilder("digraph annex_sync_map {\n  node [shape=box];\n");
        for (RepoId repo : map.repositories()) {
            String label = map.description(repo).map(d -> escape(d) + "\\n").orElse("") + Labels.shortId(repo);
            out.append("  \"").append(repo.uuid()).append("\" [label=\"").append(label).append('"')
                    .append(holders.contains(repo) ? ", style=filled, fillcolor=gold" : "").append("];\n");
        }
        for (LinkRecord r : map.records()) {
            out.append("  \"").append(r.from().uuid()).append("\" -> \"").append(r.to().uuid())
                    .append("\" [label=\"").append(r.cost()).append('"')
                    .append(route.contains(r.link()) ? ", style=bold, penwidth=3" : "").append("];\n");
        }
        return out.append("}\n").toString();
    }

    private static String escape(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", " ");
    }
}
