package io.annexsync.transfer.remote;

import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.key.Key;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The disk a repository's content lands on, as the engine's space check sees it ({@link DiskSpace}): this
 * repository's, or a remote's that this process can see ({@link Remote#disk}). Thread-safe.
 */
public interface Disk {
    /** Where the repository is, for messages. */
    Path where();

    /** The bytes free on it for this user; empty when that cannot be told. */
    OptionalLong free();

    /** The repository's {@code annex.diskreserve} in bytes. */
    long reserve();

    /** The bytes a partial file of {@code key} already holds there (they need no new space). */
    long partialSize(Key key) throws RepoException;

    /** The disk of a repository opened in this process. */
    static Disk of(AnnexRepo repo) {
        return new Disk() {
            @Override
            public Path where() {
                return repo.workTree();
            }

            @Override
            public OptionalLong free() {
                return DiskSpace.free(repo);
            }

            @Override
            public long reserve() {
                return DiskSpace.reserve(repo);
            }

            @Override
            public long partialSize(Key key) throws RepoException {
                Path partial = repo.store().tempFileFor(key);
                try {
                    return Files.isRegularFile(partial) ? Files.size(partial) : 0;
                } catch (IOException e) {
                    return 0;
                }
            }
        };
    }
}
