package io.annexsync.netmap.graph;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The test oracle: tries every choice of one entering link per reached non-source repository, keeps the choices
 * whose parent pointers all lead back to a source, and returns the least total cost.
 */
final class BruteForceArborescence {

    record Optimum(long cost, Set<RepoId> reached) {
    }

    private BruteForceArborescence() {
    }

    static Optimum solve(List<RepoId> repos, List<Link> links, Set<RepoId> sources) {
        Set<RepoId> reached = reach(links, sources);
        List<RepoId> targets = reached.stream().filter(r -> !sources.contains(r)).sorted().toList();
        List<List<Link>> choices = new ArrayList<>();
        for (RepoId target : targets) {
            choices.add(links.stream().filter(l -> l.to().equals(target) && reached.contains(l.from())).toList());
        }
        long[] best = {Long.MAX_VALUE};
        enumerate(choices, 0, new HashMap<>(), 0, sources, best);
        return new Optimum(targets.isEmpty() ? 0 : best[0], reached);
    }

    private static void enumerate(List<List<Link>> choices, int i, Map<RepoId, Link> parent, long cost,
            Set<RepoId> sources, long[] best) {
        if (i == choices.size()) {
            if (cost < best[0] && hangsFromSources(parent, sources)) {
                best[0] = cost;
            }
            return;
        }
        for (Link link : choices.get(i)) {
            parent.put(link.to(), link);
            enumerate(choices, i + 1, parent, cost + link.cost(), sources, best);
        }
        parent.remove(choices.get(i).get(0).to());
    }

    private static boolean hangsFromSources(Map<RepoId, Link> parent, Set<RepoId> sources) {
        for (RepoId start : parent.keySet()) {
            RepoId at = start;
            for (int steps = 0; !sources.contains(at); steps++) {
                if (steps > parent.size()) {
                    return false;
                }
                at = parent.get(at).from();
            }
        }
        return true;
    }

    private static Set<RepoId> reach(List<Link> links, Set<RepoId> sources) {
        Set<RepoId> reached = new HashSet<>(sources);
        Deque<RepoId> todo = new ArrayDeque<>(sources);
        while (!todo.isEmpty()) {
            RepoId at = todo.pop();
            for (Link link : links) {
                if (link.from().equals(at) && reached.add(link.to())) {
                    todo.push(link.to());
                }
            }
        }
        return reached;
    }
}
