package io.annexsync.netmap.graph;

import java.util.Collection;
import java.util.Objects;
import org.jgrapht.Graph;
import org.jgrapht.graph.DirectedWeightedMultigraph;

/** Builds the JGraphT peer graph from the records the rest of annex-sync speaks in. */
public final class PeerGraphs {

    private PeerGraphs() {
    }

    /**
     * Builds a directed weighted multigraph whose vertices are the given repositories and the endpoints of the links,
     * and whose edges are the links, weighted by their cost. Parallel links of different costs are all kept; an equal
     * link given twice is kept once.
     *
     * @param repos repositories to include even when no link touches them
     * @param links the links of the map
     * @return a new, modifiable graph
     */
    public static Graph<RepoId, Link> of(Collection<RepoId> repos, Collection<Link> links) {
        Objects.requireNonNull(repos, "repos");
        Objects.requireNonNull(links, "links");
        Graph<RepoId, Link> graph = new DirectedWeightedMultigraph<>(null, null);
        for (RepoId repo : repos) {
            graph.addVertex(Objects.requireNonNull(repo, "repo"));
        }
        for (Link link : links) {
            Objects.requireNonNull(link, "link");
            graph.addVertex(link.from());
            graph.addVertex(link.to());
            if (graph.addEdge(link.from(), link.to(), link)) {
                graph.setEdgeWeight(link, link.cost());
            }
        }
        return graph;
    }
}
