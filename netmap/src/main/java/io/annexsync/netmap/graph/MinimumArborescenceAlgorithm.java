package io.annexsync.netmap.graph;

import java.util.Set;

/**
 * An algorithm that routes content over the peer graph along a minimum-cost arborescence: the cheapest set of links
 * that carries a file from the repositories holding it to every repository they can reach, each repository
 * receiving it once. The JGraphT shape: the graph is given to the constructor, the query returns an immutable result.
 */
public interface MinimumArborescenceAlgorithm {

    /**
     * Computes the minimum-cost arborescence rooted at a set of sources: a virtual root joined at cost 0 to every
     * source. Among routes of equal cost the result is fixed by {@link Link#TIE_BREAK_ORDER} and the UUID order of
     * the repositories, never by the order links were added, so every peer computes the same tree from the same map.
     *
     * @param sources repositories of the graph that hold the content; may be empty (then nothing is reached)
     * @return the routing tree, with the repositories the sources cannot reach listed as unreachable
     * @throws IllegalArgumentException if a source is not a vertex of the graph
     */
    Arborescence getArborescence(Set<RepoId> sources);
}
