package io.annexsync.transfer.remote.p2p.protocol;

/**
 * What {@link P2PClient#get} did.
 *
 * @param outcome whether content arrived and verified
 * @param resumedFrom the offset the download started at (the size of the partial file it continued)
 * @param bytesReceived the body bytes that arrived in this request
 */
public record GetResult(Outcome outcome, long resumedFrom, long bytesReceived) {
    /** How a download ended. */
    public enum Outcome {
        /** The whole content is in the partial file and matches the key. */
        RECEIVED,
        /** The server does not have the content ({@code DATA 0} then {@code INVALID}). */
        NOT_PRESENT,
        /** The server said the content changed while it was sent; the partial file was deleted. */
        INVALID,
        /** The content did not match the key; the partial file was deleted. */
        BAD_CONTENT
    }
}
