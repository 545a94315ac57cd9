package io.annexsync.netmap.plan;

import io.annexsync.netmap.graph.Arborescence;
import io.annexsync.netmap.graph.Link;
import io.annexsync.netmap.graph.PeerGraphs;
import io.annexsync.netmap.graph.RepoId;
import io.annexsync.netmap.graph.TarjanMinimumArborescence;
import io.annexsync.netmap.map.LinkRecord;
import io.annexsync.netmap.map.NetworkMap;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Plans, for one repository ({@code here}) and one key wanted everywhere, which remotes to upload to and where to
 * download from. The route is the minimum-cost arborescence of the map rooted at the key's holders ({@link
 * TarjanMinimumArborescence}, O(E log V) per key): {@code here} downloads from its parent and uploads to its
 * children. The planner floods instead, and says why in the plan's {@link Fallback}, when the map cannot be
 * followed: it has no links, it does not reach {@code here}, or the planned parent or a planned child is not among
 * the remotes {@code here} can reach now.
 *
 * <p>Deterministic: the same map, holders and remotes always give the same plan, on every peer. Immutable and
 * thread-safe; build a new planner when the map or the reachable remotes change.
 */
public final class TransferPlanner {

    private final NetworkMap map;
    private final RepoId here;
    private final SortedSet<RepoId> reachable;

    /**
     * Creates a planner for one repository.
     *
     * @param map              the (fresh) network map
     * @param here             the repository the plans are for
     * @param reachableRemotes the remotes {@code here} can transfer with now; {@code here} itself is ignored
     */
    public TransferPlanner(NetworkMap map, RepoId here, Set<RepoId> reachableRemotes) {
        this.map = Objects.requireNonNull(map, "map");
        this.here = Objects.requireNonNull(here, "here");
        TreeSet<RepoId> remotes = new TreeSet<>(Objects.requireNonNull(reachableRemotes, "reachableRemotes"));
        remotes.remove(here);
        this.reachable = Collections.unmodifiableSortedSet(remotes);
    }

    /**
     * Plans the transfers of one key.
     *
     * @param holders the repositories that hold the key, possibly including {@code here}; may be empty
     * @return the plan: the arborescence's, or the flood with the reason
     */
    public TransferPlan plan(Set<RepoId> holders) {
        Arborescence tree = route(holders);
        Optional<Fallback> problem = check(tree);
        if (problem.isPresent()) {
            return flood(tree, problem.get());
        }
        Optional<RepoId> parent = tree.parentLink(here).map(Link::from);
        List<RepoId> children = tree.childLinks(here).stream().sorted(Link.TIE_BREAK_ORDER).map(Link::to).toList();
        return new TransferPlan(here, parent, children, Optional.empty(), tree);
    }

    /**
     * The flood plan for one key, for when a planned transfer failed: upload to every reachable remote that lacks
     * the key, download from the cheapest reachable holder (by its link to {@code here}, else by the link back).
     *
     * @param holders the repositories that hold the key
     * @param detail  what failed, for the plan's {@link Fallback}
     * @return the flood plan, with the reason {@link Fallback.Reason#LINK_FAILED}
     */
    public TransferPlan floodAfterFailure(Set<RepoId> holders, String detail) {
        return flood(route(holders), new Fallback(Fallback.Reason.LINK_FAILED, detail));
    }

    private Arborescence route(Set<RepoId> holders) {
        Set<RepoId> vertices = new TreeSet<>(map.repositories());
        vertices.addAll(Objects.requireNonNull(holders, "holders"));
        vertices.addAll(reachable);
        vertices.add(here);
        return new TarjanMinimumArborescence(PeerGraphs.of(vertices, map.links())).getArborescence(holders);
    }

    private Optional<Fallback> check(Arborescence tree) {
        if (tree.sources().isEmpty()) {
            return Optional.empty();
        }
        if (map.records().isEmpty()) {
            return fallback(Fallback.Reason.NO_LINKS, "the network map has no fresh links");
        }
        if (!tree.reached().contains(here)) {
            return fallback(Fallback.Reason.HERE_NOT_REACHED, "no link path in the map leads from a holder to "
                    + here);
        }
        Optional<RepoId> parent = tree.parentLink(here).map(Link::from);
        if (parent.isPresent() && !reachable.contains(parent.get())) {
            return fallback(Fallback.Reason.PARENT_NOT_REACHABLE, "planned parent " + parent.get()
                    + " is not a reachable remote");
        }
        return tree.children(here).stream().filter(child -> !reachable.contains(child)).findFirst()
                .map(child -> new Fallback(Fallback.Reason.CHILD_NOT_REACHABLE, "planned child " + child
                        + " is not a reachable remote"));
    }

    private static Optional<Fallback> fallback(Fallback.Reason reason, String detail) {
        return Optional.of(new Fallback(reason, detail));
    }

    private TransferPlan flood(Arborescence tree, Fallback why) {
        Set<RepoId> holders = tree.sources();
        List<RepoId> uploads = reachable.stream().filter(r -> !holders.contains(r))
                .sorted(cheapestFirst(r -> map.record(here, r))).toList();
        Optional<RepoId> download = holders.contains(here) ? Optional.empty()
                : reachable.stream().filter(holders::contains)
                        .min(cheapestFirst(h -> map.record(h, here).or(() -> map.record(here, h))));
        return new TransferPlan(here, download, uploads, Optional.of(why), tree);
    }

    /** Orders remotes by the cost of the given link in the map, unknown links last, then by UUID. */
    private static Comparator<RepoId> cheapestFirst(Function<RepoId, Optional<LinkRecord>> link) {
        return Comparator.<RepoId>comparingLong(r -> link.apply(r).map(LinkRecord::cost).orElse(Long.MAX_VALUE))
                .thenComparing(Comparator.naturalOrder());
    }
}
