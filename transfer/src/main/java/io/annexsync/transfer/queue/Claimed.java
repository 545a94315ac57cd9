package io.annexsync.transfer.queue;

import java.util.Objects;

/**
 * A queue item that one worker has claimed and must finish with {@link TransferQueue#done} or
 * {@link TransferQueue#failed}. Hand it back to the queue that gave it, or another instance on the same database.
 *
 * @param id the item's row id, never reused
 * @param request what to transfer
 * @param attempts how many earlier tries of this item failed
 * @param worker the id of the worker that holds the claim; not blank
 */
public record Claimed(long id, TransferRequest request, int attempts, String worker) {
    public Claimed {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(worker, "worker");
        if (id <= 0) {
            throw new IllegalArgumentException("id must be positive: " + id);
        }
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts must not be negative: " + attempts);
        }
        if (worker.isBlank()) {
            throw new IllegalArgumentException("worker must not be blank");
        }
    }
}
