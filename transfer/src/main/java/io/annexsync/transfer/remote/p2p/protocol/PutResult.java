package io.annexsync.transfer.remote.p2p.protocol;

/**
 * What {@link P2PClient#put} did.
 *
 * @param outcome whether the server has the content now
 * @param resumedFrom the offset the server asked for ({@code PUT-FROM}): the size of its partial file
 */
public record PutResult(Outcome outcome, long resumedFrom) {
    /** How an upload ended. */
    public enum Outcome {
        /** The server received and verified the content. */
        STORED,
        /** The server had it already ({@code ALREADY-HAVE}). */
        ALREADY_HAVE,
        /** The server did not store it ({@code FAILURE}: verification failed, or the file changed while read). */
        REFUSED
    }
}
