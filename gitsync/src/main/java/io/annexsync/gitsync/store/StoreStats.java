package io.annexsync.gitsync.store;

/**
 * How much content a store holds.
 *
 * @param keys number of objects
 * @param bytes sum of the objects' sizes on disk
 */
public record StoreStats(long keys, long bytes) {
    public StoreStats {
        if (keys < 0 || bytes < 0) {
            throw new IllegalArgumentException("negative stats: " + keys + " " + bytes);
        }
    }
}
