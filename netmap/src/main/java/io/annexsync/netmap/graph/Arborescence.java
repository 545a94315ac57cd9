package io.annexsync.netmap.graph;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A routing tree: content held by the {@link #sources() sources} reaches every other {@link #reached() reached}
 * repository over exactly one {@link #parentLink(RepoId) parent link}, and the repositories that no link path from a
 * source reaches are listed as {@link #unreachable() unreachable} rather than dropped. Each repository uploads to its
 * {@link #children(RepoId) children} and downloads from its parent.
 *
 * <p>Immutable and thread-safe. The constructor checks that the links form a forest hanging from the sources
 * (one parent per non-source repository, no cycle, every parent reached), so an instance is always a valid
 * arborescence of the virtual root joined to the sources.
 */
public final class Arborescence {

    private final SortedSet<RepoId> sources;
    private final SortedMap<RepoId, Link> parentLinks;
    private final SortedSet<RepoId> unreachable;
    private final SortedSet<RepoId> reached;
    private final Map<RepoId, List<Link>> childLinks;
    private final long totalCost;

    /**
     * Builds and checks a routing tree.
     *
     * @param sources     the repositories that hold the content (the roots)
     * @param parentLinks one link into every reached repository that is not a source
     * @param unreachable the repositories no source reaches; disjoint from the reached ones
     * @throws IllegalArgumentException if the links do not form an arborescence hanging from the sources
     * @throws ArithmeticException      if the total cost overflows a {@code long}
     */
    public Arborescence(Set<RepoId> sources, Collection<Link> parentLinks, Set<RepoId> unreachable) {
        this.sources = Collections.unmodifiableSortedSet(new TreeSet<>(Objects.requireNonNull(sources, "sources")));
        this.unreachable = Collections.unmodifiableSortedSet(
                new TreeSet<>(Objects.requireNonNull(unreachable, "unreachable")));
        SortedMap<RepoId, Link> parents = new TreeMap<>();
        long cost = 0;
        for (Link link : Objects.requireNonNull(parentLinks, "parentLinks")) {
            Objects.requireNonNull(link, "link");
            if (this.sources.contains(link.to())) {
                throw new IllegalArgumentException("a source has no parent link: " + link);
            }
            if (parents.putIfAbsent(link.to(), link) != null) {
                throw new IllegalArgumentException("two parent links into " + link.to());
            }
            cost = Math.addExact(cost, link.cost());
        }
        this.parentLinks = Collections.unmodifiableSortedMap(parents);
        this.totalCost = cost;
        SortedSet<RepoId> all = new TreeSet<>(this.sources);
        all.addAll(parents.keySet());
        this.reached = Collections.unmodifiableSortedSet(all);
        checkHangsFromSources();
        for (RepoId repo : this.unreachable) {
            if (all.contains(repo)) {
                throw new IllegalArgumentException("reached and unreachable at once: " + repo);
            }
        }
        this.childLinks = indexChildren(parents.values());
    }

    private void checkHangsFromSources() {
        Set<RepoId> rooted = new HashSet<>(sources);
        for (RepoId start : parentLinks.keySet()) {
            List<RepoId> walk = new ArrayList<>();
            RepoId at = start;
            while (!rooted.contains(at)) {
                Link up = parentLinks.get(at);
                if (up == null) {
                    throw new IllegalArgumentException("parent " + at + " of " + start + " is not reached");
                }
                walk.add(at);
                if (walk.size() > parentLinks.size()) {
                    throw new IllegalArgumentException("parent links form a cycle through " + start);
                }
                at = up.from();
            }
            rooted.addAll(walk);
        }
    }

    private static Map<RepoId, List<Link>> indexChildren(Collection<Link> links) {
        Map<RepoId, List<Link>> children = new HashMap<>();
        for (Link link : links) {
            children.computeIfAbsent(link.from(), k -> new ArrayList<>()).add(link);
        }
        children.replaceAll((k, v) -> List.copyOf(v));
        return Collections.unmodifiableMap(children);
    }

    /** {@return the repositories the content is routed from, in UUID order} */
    public SortedSet<RepoId> sources() {
        return sources;
    }

    /** {@return every repository the content reaches, sources included, in UUID order} */
    public SortedSet<RepoId> reached() {
        return reached;
    }

    /** {@return the repositories no link path from a source reaches, in UUID order} */
    public SortedSet<RepoId> unreachable() {
        return unreachable;
    }

    /** {@return the parent link of every reached repository that is not a source, keyed by that repository} */
    public SortedMap<RepoId, Link> parentLinks() {
        return parentLinks;
    }

    /**
     * The link a repository downloads over.
     *
     * @param repo a repository
     * @return its parent link; empty for a source, an unreachable or an unknown repository
     */
    public Optional<Link> parentLink(RepoId repo) {
        return Optional.ofNullable(parentLinks.get(Objects.requireNonNull(repo, "repo")));
    }

    /**
     * The links a repository uploads over, in UUID order of the receiving repository.
     *
     * @param repo a repository
     * @return its child links; empty for a leaf, an unreachable or an unknown repository
     */
    public List<Link> childLinks(RepoId repo) {
        return childLinks.getOrDefault(Objects.requireNonNull(repo, "repo"), List.of());
    }

    /**
     * The repositories a repository uploads to.
     *
     * @param repo a repository
     * @return its children in UUID order; empty for a leaf, an unreachable or an unknown repository
     */
    public List<RepoId> children(RepoId repo) {
        return childLinks(repo).stream().map(Link::to).toList();
    }

    /**
     * The route content takes to a repository.
     *
     * @param repo a reached repository
     * @return the links from a source to {@code repo}, in the order the content crosses them; empty for a source
     * @throws IllegalArgumentException if {@code repo} is not reached
     */
    public List<Link> pathTo(RepoId repo) {
        if (!reached.contains(Objects.requireNonNull(repo, "repo"))) {
            throw new IllegalArgumentException("not reached from the sources: " + repo);
        }
        List<Link> path = new ArrayList<>();
        for (Link up = parentLinks.get(repo); up != null; up = parentLinks.get(up.from())) {
            path.add(up);
        }
        Collections.reverse(path);
        return List.copyOf(path);
    }

    /** {@return the sum of the costs of the parent links: what sending one file to every reached repository costs} */
    public long totalCost() {
        return totalCost;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Arborescence that
                && sources.equals(that.sources)
                && parentLinks.equals(that.parentLinks)
                && unreachable.equals(that.unreachable);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sources, parentLinks, unreachable);
    }

    @Override
    public String toString() {
        return "Arborescence[sources=" + sources + ", cost=" + totalCost + ", links=" + parentLinks.values()
                + ", unreachable=" + unreachable + "]";
    }
}
