package io.annexsync.transfer.engine;

import io.annexsync.transfer.queue.TransferRequest;
import java.util.Objects;

/**
 * How one requested transfer ended.
 *
 * @param request what was asked
 * @param status the outcome
 * @param message why it failed, for a person; empty unless FAILED
 * @param bytesMoved the bytes read from the source by the try that succeeded (0 when nothing moved)
 * @param resumedFrom the bytes a partial file from an earlier try already held, not moved again
 */
public record TransferOutcome(TransferRequest request, Status status, String message, long bytesMoved,
        long resumedFrom) {
    /** The outcome of a transfer. */
    public enum Status {
        /** The content moved. */
        DONE,
        /** Nothing had to move: the destination had the content already, or another process brought it. */
        NOTHING_TO_DO,
        /** It could not move; the reason is in the message, and nothing stored was changed. */
        FAILED
    }

    public TransferOutcome {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(message, "message");
    }

    static TransferOutcome done(TransferRequest request, long moved, long resumedFrom) {
        return new TransferOutcome(request, Status.DONE, "", moved, resumedFrom);
    }

    static TransferOutcome nothingToDo(TransferRequest request, String why) {
        return new TransferOutcome(request, Status.NOTHING_TO_DO, why, 0, 0);
    }

    static TransferOutcome failed(TransferRequest request, String message) {
        return new TransferOutcome(request, Status.FAILED, message, 0, 0);
    }
}
