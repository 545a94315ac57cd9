package io.annexsync.transfer.queue;

import io.annexsync.gitsync.Uuid;
import io.annexsync.gitsync.key.Key;
import java.util.Objects;
import java.util.Optional;

/**
 * A wish to move one key's content to or from one remote. Two requests for the same key, remote and way are the same
 * transfer: the queue merges them (see {@link TransferQueue#enqueue}).
 *
 * @param key the content to move
 * @param remote the git remote name, as in {@code remote.NAME.*}; not blank, no line breaks
 * @param remoteUuid the remote's repository UUID, for transfer records and the location log
 * @param way whether the content goes to the remote or comes from it
 * @param file the work-tree path the key was found at, for progress display; empty when unknown (a key from the log)
 * @param cost the remote's {@code annex-cost} ({@link io.annexsync.gitsync.remote.RemoteConfig#cost()}): among
 *     requests of the same priority, cheaper remotes go first; a finite number
 * @param priority lower numbers go first (0 for what the user asked for now, larger for background work); not
 *     negative
 */
public record TransferRequest(
        Key key, String remote, Uuid remoteUuid, Way way, Optional<String> file, double cost, int priority) {

    /** The direction of a transfer, seen from this repository. */
    public enum Way {
        /** This repository sends the content to the remote. */
        UPLOAD,
        /** This repository fetches the content from the remote. */
        DOWNLOAD
    }

    public TransferRequest {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(remoteUuid, "remoteUuid");
        Objects.requireNonNull(way, "way");
        Objects.requireNonNull(file, "file");
        if (remote.isBlank() || remote.indexOf('\n') >= 0 || remote.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("bad remote name: '" + remote + "'");
        }
        if (file.isPresent() && file.get().isEmpty()) {
            throw new IllegalArgumentException("file must not be an empty path; use Optional.empty()");
        }
        if (!Double.isFinite(cost)) {
            throw new IllegalArgumentException("cost must be a finite number: " + cost);
        }
        if (priority < 0) {
            throw new IllegalArgumentException("priority must not be negative: " + priority);
        }
    }

    /** Whether the content goes to the remote. */
    public boolean upload() {
        return way == Way.UPLOAD;
    }
}
