package io.annexsync.gitsync.content;

import io.annexsync.gitsync.key.Key;
import java.util.Objects;
import java.util.Optional;

/**
 * What one command did to one file.
 *
 * @param file the path relative to the work tree
 * @param key the file's key
 * @param status the outcome
 * @param note a short note shown in parentheses, as git-annex's {@code (from origin...)}; may be empty
 * @param message why it failed, for a person; empty unless FAILED
 * @param moved what a transfer moved, when the item was one
 */
public record ItemResult(String file, Optional<Key> key, Status status, String note, String message,
        Optional<Moved> moved) {
    /**
     * The bytes a transfer moved.
     *
     * @param bytes read from the source by this try
     * @param resumedFrom bytes a partial copy from an earlier try already held, not moved again
     */
    public record Moved(long bytes, long resumedFrom) {}

    /** The outcome of one item. */
    public enum Status {
        /** Done. */
        OK,
        /** Already as asked (content present, already dropped): git-annex prints nothing. */
        NOTHING_TO_DO,
        /** Could not be done; nothing was lost. */
        FAILED
    }

    public ItemResult {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(note, "note");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(moved, "moved");
    }

    public ItemResult(String file, Optional<Key> key, Status status, String note, String message) {
        this(file, key, status, note, message, Optional.empty());
    }

    /** This result with what its transfer moved. */
    public ItemResult withMoved(long bytes, long resumedFrom) {
        return new ItemResult(file, key, status, note, message, Optional.of(new Moved(bytes, resumedFrom)));
    }

    public static ItemResult ok(String file, Key key, String note) {
        return new ItemResult(file, Optional.of(key), Status.OK, note, "");
    }

    public static ItemResult nothingToDo(String file, Key key) {
        return new ItemResult(file, Optional.of(key), Status.NOTHING_TO_DO, "", "");
    }

    public static ItemResult failed(String file, Key key, String note, String message) {
        return new ItemResult(file, Optional.of(key), Status.FAILED, note, message);
    }
}
