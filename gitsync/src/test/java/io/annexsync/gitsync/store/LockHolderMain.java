package io.annexsync.gitsync.store;

import io.annexsync.gitsync.key.Key;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A second JVM for lock tests: takes a shared content lock on {@code args[1]} in the repository {@code args[0]},
 * prints {@code locked}, and holds it until its stdin closes.
 */
public final class LockHolderMain {
    private LockHolderMain() {}

    public static void main(String[] args) throws Exception {
        ObjectStore store = new ObjectStore(Path.of(args[0]), StoreOptions.DEFAULT);
        try (ContentLock lock = store.lockShared(Key.of(args[1]))) {
            System.out.println("locked");
            System.out.flush();
            drain();
        }
    }

    private static void drain() throws IOException {
        while (System.in.read() >= 0) {
            // hold the lock until the parent closes our stdin
        }
    }
}
