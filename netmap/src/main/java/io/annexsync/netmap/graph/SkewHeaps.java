package io.annexsync.netmap.graph;

import java.util.Arrays;

/**
 * A forest of skew heaps (Sleator and Tarjan 1986) over the edges {@code 0..m-1}, stored in arrays, with a lazy
 * offset per node so that a constant can be added to every key of a heap in O(1). Meld and pop are O(log m)
 * amortized; meld is iterative, so a long right spine cannot overflow the stack. Ties between equal keys go to the
 * smaller edge index, which makes every heap's minimum deterministic. Not thread-safe.
 */
final class SkewHeaps {

    static final int EMPTY = -1;

    private final long[] key;
    private final long[] offset;
    private final int[] left;
    private final int[] right;

    SkewHeaps(long[] keys) {
        this.key = keys.clone();
        this.offset = new long[keys.length];
        this.left = new int[keys.length];
        this.right = new int[keys.length];
        Arrays.fill(left, EMPTY);
        Arrays.fill(right, EMPTY);
    }

    /** Melds two heaps given by their roots (or {@link #EMPTY}) and returns the root of the result. */
    int meld(int a, int b) {
        if (a == EMPTY) {
            return b;
        }
        if (b == EMPTY) {
            return a;
        }
        push(a);
        push(b);
        if (less(b, a)) {
            int t = a;
            a = b;
            b = t;
        }
        int root = a;
        int cur = a;
        int other = b;
        while (true) {
            int r = right[cur];
            right[cur] = left[cur];
            if (r == EMPTY) {
                left[cur] = other;
                return root;
            }
            push(r);
            if (less(other, r)) {
                int t = r;
                r = other;
                other = t;
            }
            left[cur] = r;
            cur = r;
        }
    }

    /** Returns the edge at the root of a non-empty heap: the one of least key. */
    int min(int root) {
        push(root);
        return root;
    }

    /** The current key of the root of a heap. */
    long minKey(int root) {
        push(root);
        return key[root];
    }

    /** Removes the root of a non-empty heap and returns the root of what remains. */
    int pop(int root) {
        push(root);
        int l = left[root];
        int r = right[root];
        left[root] = EMPTY;
        right[root] = EMPTY;
        return meld(l, r);
    }

    /** Adds {@code delta} to every key of a non-empty heap. */
    void addToAll(int root, long delta) {
        offset[root] += delta;
    }

    private void push(int node) {
        long d = offset[node];
        if (d != 0) {
            key[node] += d;
            if (left[node] != EMPTY) {
                offset[left[node]] += d;
            }
            if (right[node] != EMPTY) {
                offset[right[node]] += d;
            }
            offset[node] = 0;
        }
    }

    private boolean less(int a, int b) {
        return key[a] < key[b] || key[a] == key[b] && a < b;
    }
}
