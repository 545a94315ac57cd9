package io.annexsync.gitsync;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Makes folders inside a repository's git directory, but never the git directory itself or anything above it. A
 * repository on a drive that was unmounted (or a folder that was moved away) must not come back as an empty tree of
 * folders because a transfer, a journal write or a transfer record asked for one of its folders: that would make a
 * later mount fail over a non-empty mount point, and hide the missing repository. Stateless.
 */
public final class GitDirs {
    private GitDirs() {}

    /**
     * Creates {@code dir} and its missing parents below {@code gitDir}, which must exist.
     *
     * @throws NoSuchFileException naming {@code gitDir} when it does not exist (the repository is gone)
     * @throws IllegalArgumentException when {@code dir} is not below {@code gitDir}
     */
    public static void createBelow(Path gitDir, Path dir) throws IOException {
        if (!dir.normalize().startsWith(gitDir.normalize())) {
            throw new IllegalArgumentException(dir + " is not inside " + gitDir);
        }
        if (Files.isDirectory(dir)) {
            return;
        }
        if (!Files.isDirectory(gitDir)) {
            throw new NoSuchFileException(gitDir.toString(), null,
                    "the repository is not there (a drive that is not mounted?)");
        }
        Files.createDirectories(dir);
    }
}
