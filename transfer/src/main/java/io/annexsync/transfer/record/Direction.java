package io.annexsync.transfer.record;

import java.util.Objects;
import java.util.Optional;

/** Which way content moves, seen from this repository; names the record's folder under {@code transfer/}. */
public enum Direction {
    /** This repository sends the key to the remote ({@code upload/}). */
    UPLOAD("upload"),
    /** This repository receives the key from the remote ({@code download/}). */
    DOWNLOAD("download");

    private final String dirName;

    Direction(String dirName) {
        this.dirName = dirName;
    }

    /** The folder name git-annex uses: {@code upload} or {@code download}. */
    public String dirName() {
        return dirName;
    }

    /** The direction whose folder is {@code name}; empty for any other name. */
    public static Optional<Direction> ofDirName(String name) {
        Objects.requireNonNull(name, "name");
        for (Direction d : values()) {
            if (d.dirName.equals(name)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }
}
