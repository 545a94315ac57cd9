package io.annexsync.transfer.record;

import io.annexsync.gitsync.Uuid;
import io.annexsync.gitsync.key.Key;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One transfer record as git-annex stores it: what moves where, since when, and how far it got.
 *
 * @param direction whether the key is uploaded to or downloaded from {@code remote}
 * @param remote the repository on the other side
 * @param key the key being transferred
 * @param file the work-tree file the transfer is for, relative, as the user named it; empty when there is none. It
 *     may hold newlines: git-annex writes it last in the info file and reads all the rest as the name
 * @param started when the transfer began
 * @param bytesDone how many bytes have moved, when the writer recorded it (git-annex often does not)
 */
public record TransferInfo(
        Direction direction,
        Uuid remote,
        Key key,
        Optional<String> file,
        Instant started,
        OptionalLong bytesDone) {

    public TransferInfo {
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(started, "started");
        Objects.requireNonNull(bytesDone, "bytesDone");
        file.ifPresent(TransferInfo::checkFile);
        if (started.getEpochSecond() < 0) {
            throw new IllegalArgumentException("transfer start before 1970: " + started);
        }
        if (bytesDone.isPresent() && bytesDone.getAsLong() < 0) {
            throw new IllegalArgumentException("negative bytes done: " + bytesDone.getAsLong());
        }
    }

    /** The same record with {@code bytes} done. */
    public TransferInfo withBytesDone(long bytes) {
        return new TransferInfo(direction, remote, key, file, started, OptionalLong.of(bytes));
    }

    private static void checkFile(String file) {
        if (file.isEmpty()) {
            throw new IllegalArgumentException("associated file is empty: use Optional.empty()");
        }
        if (file.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("associated file holds a NUL: " + file);
        }
        if (file.startsWith("/")) {
            throw new IllegalArgumentException("associated file must be relative: " + file);
        }
    }
}
