package io.annexsync.netmap.graph;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.jgrapht.Graph;

/**
 * Minimum-cost arborescence (optimum branching) by Tarjan's algorithm with the Camerini–Fratta–Maffioli correction,
 * in O(E log V) time and O(V + E) space.
 *
 * <ul>
 *   <li>R. E. Tarjan, "Finding optimum branchings", <i>Networks</i> 7(1):25–35, 1977.</li>
 *   <li>P. M. Camerini, L. Fratta, F. Maffioli, "A note on finding optimum branchings", <i>Networks</i>
 *       9(4):309–312, 1979 (the expansion phase of Tarjan's paper can return a non-optimal branching; the fix is to
 *       record the contraction forest and expand it top-down, letting the edge chosen for a contracted cycle decide
 *       which cycle edge is broken).</li>
 * </ul>
 *
 * <p>The sources are joined to a virtual root by edges of cost 0 and links into a source are ignored (a source
 * already holds the content). Only the repositories reachable from the root take part, so every contracted
 * component has an entering edge and no artificial edges are needed; the others are reported as unreachable.
 * Each component keeps its entering edges in a skew heap with a lazy offset ({@link SkewHeaps}), so reducing the
 * costs of a whole component by the cost of its chosen edge is O(1) and merging the heaps of a cycle is O(log E);
 * components are tracked with a union-find that can be rolled back ({@link RollbackUnionFind}), which replays the
 * contractions in reverse for the expansion. Costs are exact {@code long} integers.
 *
 * <p>Determinism: repositories are numbered in UUID order, links in {@link Link#TIE_BREAK_ORDER}, the grow phase
 * visits vertices in that numbering and every heap breaks equal reduced costs by link order; the result therefore
 * depends only on the graph's vertex and edge sets, not on the order they were added.
 *
 * <p>The graph is read at each query and must not change during one. Instances are immutable and, if the graph is
 * not modified, safe to query from several threads.
 */
public final class TarjanMinimumArborescence implements MinimumArborescenceAlgorithm {

    private final Graph<RepoId, Link> graph;

    /**
     * Creates the algorithm over a peer graph.
     *
     * @param graph a directed graph whose edges are the links and whose edge endpoints match the links' endpoints
     * @throws IllegalArgumentException if the graph is undirected
     */
    public TarjanMinimumArborescence(Graph<RepoId, Link> graph) {
        this.graph = Objects.requireNonNull(graph, "graph");
        if (!graph.getType().isDirected()) {
            throw new IllegalArgumentException("the peer graph must be directed");
        }
    }

    @Override
    public Arborescence getArborescence(Set<RepoId> sources) {
        IndexedGraph indexed = IndexedGraph.of(graph, sources);
        int[] in = solve(indexed);
        List<Link> parents = new ArrayList<>(indexed.repos.length - indexed.sourceCount);
        for (int v = 0; v < indexed.repos.length; v++) {
            int e = in[v];
            if (e >= indexed.sourceCount) {
                parents.add(indexed.links[e - indexed.sourceCount]);
            }
        }
        return new Arborescence(sources, parents, indexed.unreachable);
    }

    /** A contracted cycle: its representative after contraction, the union-find time before, its edges. */
    private record Cycle(int rep, int time, int[] edges) {
    }

    /**
     * The grow-contract phase and the expansion, over integer vertices {@code 0..n-1} plus the root {@code n}.
     * Returns, for every vertex, the index of its entering edge.
     */
    private static int[] solve(IndexedGraph g) {
        int n = g.repos.length + 1;
        int root = n - 1;
        SkewHeaps heaps = new SkewHeaps(g.cost);
        int[] heap = new int[n];
        Arrays.fill(heap, SkewHeaps.EMPTY);
        for (int e = 0; e < g.src.length; e++) {
            heap[g.dst[e]] = heaps.meld(heap[g.dst[e]], e);
        }
        RollbackUnionFind uf = new RollbackUnionFind(n);
        int[] seen = new int[n];
        Arrays.fill(seen, -1);
        seen[root] = root;
        int[] pathEdge = new int[n];
        int[] pathVertex = new int[n];
        int[] in = new int[n];
        Arrays.fill(in, -1);
        Deque<Cycle> cycles = new ArrayDeque<>();
        for (int s = 0; s < root; s++) {
            int u = s;
            int qi = 0;
            while (seen[u] < 0) {
                int e = cheapestEntering(heaps, heap, uf, g, u);
                heaps.addToAll(heap[u], -heaps.minKey(heap[u]));
                heap[u] = heaps.pop(heap[u]);
                pathEdge[qi] = e;
                pathVertex[qi++] = u;
                seen[u] = s;
                u = uf.find(g.src[e]);
                if (seen[u] == s) {
                    int cyc = SkewHeaps.EMPTY;
                    int end = qi;
                    int time = uf.time();
                    int w;
                    do {
                        w = pathVertex[--qi];
                        cyc = heaps.meld(cyc, heap[w]);
                    } while (uf.union(u, w));
                    u = uf.find(u);
                    heap[u] = cyc;
                    seen[u] = -1;
                    cycles.push(new Cycle(u, time, Arrays.copyOfRange(pathEdge, qi, end)));
                }
            }
            for (int i = 0; i < qi; i++) {
                in[uf.find(g.dst[pathEdge[i]])] = pathEdge[i];
            }
        }
        expand(cycles, uf, g, in);
        return in;
    }

    /** Drops the edges inside component {@code u} from its heap and returns the cheapest edge entering it. */
    private static int cheapestEntering(SkewHeaps heaps, int[] heap, RollbackUnionFind uf, IndexedGraph g, int u) {
        while (true) {
            if (heap[u] == SkewHeaps.EMPTY) {
                throw new IllegalStateException("no edge enters a component reachable from the root");
            }
            int e = heaps.min(heap[u]);
            if (uf.find(g.src[e]) != u) {
                return e;
            }
            heap[u] = heaps.pop(heap[u]);
        }
    }

    /**
     * The Camerini–Fratta–Maffioli expansion: undo the contractions from the last to the first; each cycle takes all
     * its edges except the one into the vertex that the edge chosen for the whole cycle actually enters.
     */
    private static void expand(Deque<Cycle> cycles, RollbackUnionFind uf, IndexedGraph g, int[] in) {
        for (Cycle cycle : cycles) {
            int entering = in[cycle.rep()];
            uf.rollback(cycle.time());
            for (int e : cycle.edges()) {
                in[uf.find(g.dst[e])] = e;
            }
            in[uf.find(g.dst[entering])] = entering;
        }
    }

    /**
     * The part of the graph reachable from the sources, numbered: repositories in UUID order, then the virtual root;
     * edges {@code 0..sourceCount-1} join the root to the sources, the following ones are the links in tie-break
     * order, without the links into a source.
     */
    private static final class IndexedGraph {
        private RepoId[] repos;
        private Link[] links;
        private int sourceCount;
        private int[] src;
        private int[] dst;
        private long[] cost;
        private Set<RepoId> unreachable;

        static IndexedGraph of(Graph<RepoId, Link> graph, Set<RepoId> sources) {
            Objects.requireNonNull(sources, "sources");
            Set<RepoId> sourceSet = new TreeSet<>(sources);
            for (RepoId source : sourceSet) {
                if (!graph.containsVertex(source)) {
                    throw new IllegalArgumentException("source is not in the peer graph: " + source);
                }
            }
            Set<RepoId> reached = reach(graph, sourceSet);
            IndexedGraph g = new IndexedGraph();
            g.repos = reached.toArray(new RepoId[0]);
            Arrays.sort(g.repos);
            Map<RepoId, Integer> index = new HashMap<>(2 * g.repos.length);
            for (int i = 0; i < g.repos.length; i++) {
                index.put(g.repos[i], i);
            }
            List<Link> kept = new ArrayList<>();
            for (RepoId from : g.repos) {
                for (Link link : graph.outgoingEdgesOf(from)) {
                    checkEndpoints(graph, link);
                    if (!sourceSet.contains(link.to())) {
                        kept.add(link);
                    }
                }
            }
            g.links = kept.toArray(new Link[0]);
            Arrays.sort(g.links, Link.TIE_BREAK_ORDER);
            g.sourceCount = sourceSet.size();
            int m = g.sourceCount + g.links.length;
            g.src = new int[m];
            g.dst = new int[m];
            g.cost = new long[m];
            int e = 0;
            for (RepoId source : sourceSet) {
                g.src[e] = g.repos.length;
                g.dst[e++] = index.get(source);
            }
            for (Link link : g.links) {
                g.src[e] = index.get(link.from());
                g.dst[e] = index.get(link.to());
                g.cost[e++] = link.cost();
            }
            g.unreachable = new TreeSet<>(graph.vertexSet());
            g.unreachable.removeAll(reached);
            return g;
        }

        private static Set<RepoId> reach(Graph<RepoId, Link> graph, Set<RepoId> sources) {
            Set<RepoId> reached = new HashSet<>(sources);
            Deque<RepoId> todo = new ArrayDeque<>(sources);
            while (!todo.isEmpty()) {
                for (Link link : graph.outgoingEdgesOf(todo.pop())) {
                    if (reached.add(link.to())) {
                        todo.push(link.to());
                    }
                }
            }
            return reached;
        }

        private static void checkEndpoints(Graph<RepoId, Link> graph, Link link) {
            if (!graph.getEdgeSource(link).equals(link.from()) || !graph.getEdgeTarget(link).equals(link.to())) {
                throw new IllegalArgumentException("edge endpoints differ from the link's: " + link);
            }
        }
    }
}
