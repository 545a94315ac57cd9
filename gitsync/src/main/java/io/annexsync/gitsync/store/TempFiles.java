package io.annexsync.gitsync.store;

import io.annexsync.gitsync.GitDirs;
import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.key.Key;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The store's temporary files in {@code .git/annex/tmp}: ingest files named {@code ingest-*} (deleted after a crash)
 * and download files named by keyFile (kept, to resume). Thread-safe: names are unique per call.
 */
final class TempFiles {
    private static final String INGEST_PREFIX = "ingest-";
    private final Path tmpDir;

    TempFiles(Path annexDir) {
        this.tmpDir = annexDir.resolve("tmp");
    }

    Path newTempFile() throws RepoException {
        try {
            GitDirs.createBelow(tmpDir.getParent().getParent(), tmpDir);
            Path tmp = Files.createTempFile(tmpDir, INGEST_PREFIX, "");
            Files.delete(tmp);
            return tmp;
        } catch (IOException e) {
            throw new RepoException("cannot make a temporary file in " + tmpDir, e);
        }
    }

    Path downloadFile(Key key) throws RepoException {
        try {
            GitDirs.createBelow(tmpDir.getParent().getParent(), tmpDir);
        } catch (IOException e) {
            throw new RepoException("cannot make " + tmpDir, e);
        }
        return tmpDir.resolve(key.keyFile());
    }

    void cleanIngestFiles() throws RepoException {
        if (!Files.isDirectory(tmpDir)) {
            return;
        }
        try (DirectoryStream<Path> stale = Files.newDirectoryStream(tmpDir, INGEST_PREFIX + "*")) {
            for (Path p : stale) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new RepoException("cannot clean " + tmpDir, e);
        }
    }

    /** Deletes a temporary file that may or may not still exist; a failure here must not hide the real outcome. */
    void deleteQuietly(Path tmp) {
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(TempFiles.class).warn("cannot delete temporary file {}: {}", tmp,
                    e.toString());
        }
    }
}
