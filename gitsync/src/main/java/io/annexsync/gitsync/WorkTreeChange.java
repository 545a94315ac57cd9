package io.annexsync.gitsync;

import java.util.Objects;

/**
 * One line of {@code status}: a path and how it differs.
 *
 * @param code {@code ?} untracked, {@code M} modified, {@code D} deleted, {@code A} staged but not committed,
 *     {@code T} type changed (for example locked to unlocked), {@code !} ignored: a FIFO, socket or device file (at
 *     a tracked path or not), which is never read nor staged
 * @param path relative to the work tree
 */
public record WorkTreeChange(char code, String path) {
    public WorkTreeChange {
        Objects.requireNonNull(path, "path");
        if ("?MDAT!".indexOf(code) < 0) {
            throw new IllegalArgumentException("unknown status code " + code);
        }
    }
}
