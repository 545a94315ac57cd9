/**
 * The peer graph and the routing algorithms over it: {@link io.annexsync.netmap.graph.RepoId repositories} as
 * vertices, {@link io.annexsync.netmap.graph.Link links} with integer costs as edges, held in a JGraphT
 * {@code DirectedWeightedMultigraph} ({@link io.annexsync.netmap.graph.PeerGraphs}), and the minimum-cost
 * arborescence that routes content from the repositories that hold it ({@link
 * io.annexsync.netmap.graph.TarjanMinimumArborescence}). Algorithms are shaped like JGraphT's: graph in the
 * constructor, one query, an immutable result. Nothing here knows git, Netty, threads or I/O; the JGraphT types stay
 * inside the {@code netmap} module, whose facade speaks in these records.
 */
package io.annexsync.netmap.graph;
