package io.annexsync.transfer.remote;

import java.util.Objects;

/** What {@link Remote#checkPresent} found. */
public sealed interface Presence {
    /** The remote has the content. */
    record Present() implements Presence {}

    /** The remote does not have the content. */
    record Absent() implements Presence {}

    /** The remote could not tell (it failed to answer); counts as not present. */
    record CannotTell(String reason) implements Presence {
        public CannotTell {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Whether the remote has the content. */
    default boolean present() {
        return this instanceof Present;
    }
}
