package io.annexsync.transfer.remote;

import java.util.Objects;

/** What {@link Remote#remove} did. */
public sealed interface Removing {
    /** The remote's copy is gone. */
    record Removed() implements Removing {}

    /** The remote had no copy. */
    record NotPresent() implements Removing {}

    /** The copy was not removed (someone holds it locked, the remote refused); nothing was lost. */
    record Failed(String reason) implements Removing {
        public Failed {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
