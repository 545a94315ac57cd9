package io.annexsync.transfer.engine;

import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.transfer.remote.DiskSpace;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A disk the transfer engine writes content into that is full, so transfers into it wait (see {@code Disks}).
 *
 * @param repository {@code here} for this repository's own disk, else the name of the path remote
 * @param path the folder of that repository
 * @param free the bytes free when last measured
 * @param reserve its {@code annex.diskreserve} in bytes
 * @param cause why it counts as full: less free than the reserve, or the error of a write that ran out of space
 */
public record FullDisk(String repository, Path path, long free, long reserve, String cause) {
    public FullDisk {
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(cause, "cause");
    }

    /**
     * The disk of {@code repo} measured now, when it is full by its free space alone (at most its {@code
     * annex.diskreserve}, or 1 MiB, whichever is more): what a repository's {@code status} says of itself.
     */
    public static Optional<FullDisk> measure(AnnexRepo repo) {
        OptionalLong free = DiskSpace.free(repo);
        long reserve = DiskSpace.reserve(repo);
        if (free.isEmpty() || free.getAsLong() > Math.max(reserve, Disks.FLOOR)) {
            return Optional.empty();
        }
        return Optional.of(new FullDisk(Disks.HERE, repo.workTree(), free.getAsLong(), reserve,
                Disks.belowReserve(reserve)));
    }

    /** {@code disk full at PATH: 0.3 MB free, transfers into it paused}, for a person. */
    public String describe() {
        return String.format(Locale.ROOT, "disk full at %s: %.1f MB free, transfers into it paused (%s)", path,
                free / 1e6, cause);
    }

    /** Whether this is the disk of the repository itself rather than of a remote. */
    public boolean here() {
        return repository.equals(Disks.HERE);
    }
}
