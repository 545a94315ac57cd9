package io.annexsync.gitsync.store;

import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.key.Key;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Lists the objects in {@code objects/XX/YY/KEY/KEY} (either layout) by walking the directory tree. Stateless and
 * thread-safe; a concurrent insert or removal may or may not be seen.
 */
final class StoreScanner {
    private static final int OBJECT_DEPTH = 4;
    private final Path objectsDir;

    StoreScanner(Path objectsDir) {
        this.objectsDir = objectsDir;
    }

    List<Key> keys() throws RepoException {
        List<Key> keys = new ArrayList<>();
        forEachObject((key, size) -> keys.add(key));
        return keys;
    }

    StoreStats stats() throws RepoException {
        long[] totals = new long[2];
        forEachObject((key, size) -> {
            totals[0]++;
            totals[1] += size;
        });
        return new StoreStats(totals[0], totals[1]);
    }

    private interface ObjectVisitor {
        void visit(Key key, long size);
    }

    private void forEachObject(ObjectVisitor visitor) throws RepoException {
        if (!Files.isDirectory(objectsDir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(objectsDir, OBJECT_DEPTH)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Optional<Key> key = objectKey(p);
                if (key.isPresent()) {
                    visitor.visit(key.get(), Files.size(p));
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new RepoException("cannot list " + objectsDir, e);
        }
    }

    /** The key of an object file: a regular file at depth 4 named like its directory. */
    private Optional<Key> objectKey(Path p) {
        if (objectsDir.relativize(p).getNameCount() != OBJECT_DEPTH
                || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                || !p.getFileName().equals(p.getParent().getFileName())) {
            return Optional.empty();
        }
        return Key.fromKeyFile(p.getFileName().toString());
    }
}
