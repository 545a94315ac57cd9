package io.annexsync.netmap.render;

import io.annexsync.netmap.graph.Arborescence;
import io.annexsync.netmap.graph.Link;
import io.annexsync.netmap.graph.RepoId;
import io.annexsync.netmap.map.LinkRecord;
import io.annexsync.netmap.map.NetworkMap;
import io.annexsync.netmap.plan.TransferPlan;
import java.util.Objects;
import java.util.Optional;

/**
 * Renders the map as readable text: each repository with the links it sends over, then, for a key, its route as an
 * indented tree from the holders (marked {@code *}), the repositories it cannot reach, and this repository's plan.
 * Stateless and thread-safe.
 */
public final class MapText {

    private MapText() {
    }

    /**
     * Renders a map and, optionally, one key's plan.
     *
     * @param map  the network map
     * @param plan the plan of one key at this repository
     * @return lines ending in {@code \n}
     */
    public static String render(NetworkMap map, Optional<TransferPlan> plan) {
        Objects.requireNonNull(map, "map");
        StringBuilder out = new StringBuilder();
        out.append(map.repositories().size()).append(" repositories, ").append(map.records().size())
                .append(" links\n");
        for (RepoId repo : map.repositories()) {
            out.append(Labels.name(map, repo)).append('\n');
            for (LinkRecord r : map.records()) {
                if (r.from().equals(repo)) {
                    out.append("  -> ").append(Labels.name(map, r.to())).append("  cost ").append(r.cost())
                            .append("  seen ").append(r.seen()).append('\n');
                }
            }
        }
        Objects.requireNonNull(plan, "plan").ifPresent(p -> renderPlan(out, map, p));
        return out.toString();
    }

    private static void renderPlan(StringBuilder out, NetworkMap map, TransferPlan plan) {
        Arborescence tree = plan.tree();
        out.append("route (cost ").append(tree.totalCost()).append("):\n");
        for (RepoId holder : tree.sources()) {
            subtree(out, map, tree, holder, "* ", "  ");
        }
        if (!tree.unreachable().isEmpty()) {
            out.append("unreachable: ").append(names(map, tree.unreachable())).append('\n');
        }
        out.append("plan for ").append(Labels.name(map, plan.here())).append(": download from ")
                .append(plan.downloadFrom().map(r -> Labels.name(map, r)).orElse("-")).append("; upload to ")
                .append(plan.uploadTo().isEmpty() ? "-" : names(map, plan.uploadTo())).append('\n');
        plan.fallback().ifPresent(f -> out.append("flooding: ").append(f.reason()).append(": ")
                .append(f.detail()).append('\n'));
    }

    private static void subtree(StringBuilder out, NetworkMap map, Arborescence tree, RepoId at, String mark,
            String indent) {
        out.append(indent).append(mark).append(Labels.name(map, at));
        tree.parentLink(at).ifPresent(up -> out.append("  (").append(up.cost()).append(')'));
        out.append('\n');
        for (Link child : tree.childLinks(at)) {
            subtree(out, map, tree, child.to(), "", indent + "  ");
        }
    }

    private static String names(NetworkMap map, Iterable<RepoId> repos) {
        StringBuilder names = new StringBuilder();
        repos.forEach(r -> names.append(names.isEmpty() ? "" : ", ").append(Labels.name(map, r)));
        return names.toString();
    }
}
