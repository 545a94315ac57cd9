package io.annexsync.netmap.plan;

import java.util.Objects;

/**
 * Why a plan floods instead of following the arborescence.
 *
 * @param reason the kind of problem
 * @param detail a one-line explanation that names the repositories involved
 */
public record Fallback(Reason reason, String detail) {

    /** Validates the fields. */
    public Fallback {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
        if (detail.isBlank()) {
            throw new IllegalArgumentException("a fallback must say why");
        }
    }

    /** The kinds of problem that make the map untrustworthy for one key. */
    public enum Reason {
        /** The map has no links at all (nothing published yet, or everything stale). */
        NO_LINKS,
        /** No link path in the map leads from a holder to this repository. */
        HERE_NOT_REACHED,
        /** The planned parent is not among this repository's reachable remotes. */
        PARENT_NOT_REACHABLE,
        /** A planned child is not among this repository's reachable remotes. */
        CHILD_NOT_REACHABLE,
        /** A planned transfer failed; the caller asked for the flood. */
        LINK_FAILED
    }
}
