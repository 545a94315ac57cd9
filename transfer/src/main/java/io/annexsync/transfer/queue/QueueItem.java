package io.annexsync.transfer.queue;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One row of the transfer queue as it stands, for display and tests.
 *
 * @param id the row id, never reused
 * @param request what to transfer (merged with equal requests enqueued since)
 * @param state where the item is in its life
 * @param attempts how many tries failed since it was enqueued or last given another chance
 * @param enqueued when the first of the merged requests was enqueued
 * @param nextTry the earliest time a worker may claim it
 * @param worker the worker holding it, while {@link State#RUNNING}
 * @param started when that worker claimed it, while {@link State#RUNNING}
 * @param lastError the message of the last failure, if any
 * @param owner whose queue the item is in ({@link TransferQueue#ASSISTANT} or a command's process)
 */
public record QueueItem(
        long id,
        TransferRequest request,
        State state,
        int attempts,
        Instant enqueued,
        Instant nextTry,
        Optional<String> worker,
        Optional<Instant> started,
        Optional<String> lastError,
        String owner) {

    /** The life of a queue item. Finished items are removed, so there is no DONE. */
    public enum State {
        /** Waiting for a worker, from {@link QueueItem#nextTry()} on. */
        QUEUED,
        /** Claimed by a worker. */
        RUNNING,
        /** Failed too often; kept for display, claimed again only after {@link TransferQueue#retryFailed()}. */
        FAILED
    }

    public QueueItem {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(enqueued, "enqueued");
        Objects.requireNonNull(nextTry, "nextTry");
        Objects.requireNonNull(worker, "worker");
        Objects.requireNonNull(started, "started");
        Objects.requireNonNull(lastError, "lastError");
        Objects.requireNonNull(owner, "owner");
        if (id <= 0) {
            throw new IllegalArgumentException("id must be positive: " + id);
        }
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts must not be negative: " + attempts);
        }
        boolean running = state == State.RUNNING;
        if (worker.isPresent() != running || started.isPresent() != running) {
            throw new IllegalArgumentException("worker and start time come with RUNNING and only with it: " + state);
        }
    }
}
