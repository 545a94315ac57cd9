package io.annexsync.netmap.graph;

import java.util.Arrays;

/**
 * Disjoint sets over {@code 0..n-1} with union by size and no path compression, so that unions can be undone in
 * reverse order: {@link #find} is O(log n), {@link #union} O(log n), {@link #rollback} O(1) per undone union. Used to
 * contract cycles and to expand them again in reverse order. Not thread-safe.
 */
final class RollbackUnionFind {

    private final int[] parent;
    private final int[] size;
    private final int[] history;
    private int time;

    RollbackUnionFind(int n) {
        parent = new int[n];
        size = new int[n];
        history = new int[n];
        for (int i = 0; i < n; i++) {
            parent[i] = i;
        }
        Arrays.fill(size, 1);
    }

    int find(int x) {
        while (parent[x] != x) {
            x = parent[x];
        }
        return x;
    }

    /** Joins the sets of {@code a} and {@code b}; returns false if they were already one set. */
    boolean union(int a, int b) {
        a = find(a);
        b = find(b);
        if (a == b) {
            return false;
        }
        if (size[a] < size[b]) {
            int t = a;
            a = b;
            b = t;
        }
        parent[b] = a;
        size[a] += size[b];
        history[time++] = b;
        return true;
    }

    /** The number of unions done so far, to pass to {@link #rollback} later. */
    int time() {
        return time;
    }

    /** Undoes the unions done after {@code to} was the {@link #time()}. */
    void rollback(int to) {
        while (time > to) {
            int b = history[--time];
            int a = parent[b];
            size[a] -= size[b];
            parent[b] = b;
        }
    }
}
