package io.annexsync.transfer.remote;

import java.util.Objects;

/** What {@link Remote#store} did. */
public sealed interface Storing {
    /**
     * The remote stored the content, verified.
     *
     * @param moved the bytes sent by this try
     * @param resumedFrom the bytes the remote's partial file held already (git-annex's {@code PUT-FROM} offset)
     */
    record Stored(long moved, long resumedFrom) implements Storing {}

    /** The remote had the content before we began (git-annex's {@code ALREADY-HAVE}). */
    record AlreadyHave() implements Storing {}

    /** The content arrived in the remote from someone else while we waited to send it. */
    record ArrivedMeanwhile() implements Storing {}

    /**
     * The content was not stored; nothing that does not match its key entered the remote.
     *
     * @param reason for a person
     * @param noSpace whether the remote's disk ran out of space
     */
    record Failed(String reason, boolean noSpace) implements Storing {
        public Failed {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
