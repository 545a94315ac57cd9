package io.annexsync.app.interop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Content convergence under load: two and three folders, each every other's path remote, each with its daemon in a
 * JVM of its own, get bursts of hundreds of files of mixed sizes (0 B to a few MiB) written on every side at the same
 * time, then some of them rewritten and deleted while their content is still moving; after every round each folder
 * must hold exactly what was written, byte for byte, with no pointer file left waiting for content; at the end,
 * with the daemons stopped, every object verifies and real {@code git annex fsck} passes in every folder.
 *
 * <p>{@code -Dstress.rounds=N} (default 1) repeats the rounds on the same daemons; {@code -Dstress.files=N} (default
 * 150) sets the files written per folder and round; {@code -Dstress.heap=SIZE} (default 256m, the other end-to-end
 * tests' heap) the daemons' maximum heap. Beyond about ten rounds (4,000 files) give them {@code 1g}, the heap a
 * daemon has outside tests: their git object stores grow to hundreds of packs, whose indexes JGit holds in memory.
 */
class ContentStressIT {
    private static final Logger LOG = LoggerFactory.getLogger(ContentStressIT.class);
    private static final int ROUNDS = Integer.getInteger("stress.rounds", 1);
    private static final int FILES = Integer.getInteger("stress.files", 150);
    private static final String HEAP = System.getProperty("stress.heap", "256m");
    private static final Duration PATIENCE = Duration.ofMinutes(4);

    @TempDir
    Path tmp;

    private DaemonFolders f;
    private ExecutorService writers;

    @BeforeEach
    void folders() {
        f = new DaemonFolders(tmp, 11);
        f.daemonJavaOptions("-XX:+UseSerialGC -Xmx" + HEAP);
        writers = Executors.newFixedThreadPool(3, r -> new Thread(r, "stress-writer"));
    }

    @AfterEach
    void stop() throws InterruptedException {
        writers.shutdownNow();
        f.close();
    }

    @Test
    void twoDaemonsConvergeOnBurstsWrittenOnBothSides() throws Exception {
        rounds(mesh(2));
    }

    @Test
    void threeDaemonsConvergeOnBurstsWrittenOnEverySide() throws Exception {
        rounds(mesh(3));
    }

    /** {@code n} folders, each every other's remote, with their daemons running. */
    private Path[] mesh(int n) throws IOException {
        Path[] dirs = new Path[n];
        for (int i = 0; i < n; i++) {
            dirs[i] = f.folder("r" + i);
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i != j) {
                    DaemonFolders.link(dirs[i], "r" + j, dirs[j]);
                }
            }
        }
        for (int i = 0; i < n; i++) {
            f.start("r" + i, dirs[i]);
        }
        return dirs;
    }

    private void rounds(Path[] dirs) throws Exception {
        Map<String, String> expected = new TreeMap<>();
        for (int round = 1; round <= ROUNDS; round++) {
            long start = System.nanoTime();
            List<Future<Map<String, String>>> sides = new ArrayList<>();
            for (int side = 0; side < dirs.length; side++) {
                Side s = new Side(dirs[side], "round-" + round + "/side-" + side, new Random(round * 31L + side));
                sides.add(writers.submit(s::write));
            }
            for (Future<Map<String, String>> s : sides) {
                expected.putAll(s.get());
            }
            expected.values().removeIf(String::isEmpty);
            f.awaitContents(PATIENCE, expected, dirs);
            LOG.info("stress: {} folders, round {} of {}: {} files converged in {} ms", dirs.length, round,
                    ROUNDS, expected.size(), (System.nanoTime() - start) / 1_000_000);
        }
        f.close();
        for (Path dir : dirs) {
            Oracle.assertEveryObjectVerifies(dir);
            if (Oracle.gitAnnexInstalled()) {
                Oracle.assertGitAnnexFsckPasses(f.tools(), dir);
            }
        }
    }

    /**
     * What one side writes in a round: a burst of new files, a second burst while the first is being committed and
     * sent, then some of the first rewritten and a few deleted. Returns path → sha256 of what must be there in the
     * end, an empty value for a path deleted.
     */
    private record Side(Path dir, String prefix, Random random) {
        Map<String, String> write() throws IOException {
            Map<String, String> written = new TreeMap<>();
            int half = FILES / 2;
            for (int i = 0; i < half; i++) {
                written.put(file(i), put(file(i)));
            }
            for (int i = half; i < FILES; i++) {
                written.put(file(i), put(file(i)));
            }
            for (int i = 0; i < half; i += 7) {
                written.put(file(i), put(file(i)));
            }
            for (int i = 3; i < half; i += 11) {
                Files.delete(dir.resolve(file(i)));
                written.put(file(i), "");
            }
            return written;
        }

        private String file(int i) {
            return prefix + "/d" + (i % 5) + "/f" + i + ".bin";
        }

        /** Writes a file of a random size (most small, some up to 3 MiB, some empty) and returns its sha256. */
        private String put(String path) throws IOException {
            Path file = dir.resolve(path);
            Files.createDirectories(file.getParent());
            byte[] bytes = new byte[size()];
            random.nextBytes(bytes);
            Files.write(file, bytes);
            return Oracle.sha256(bytes);
        }

        private int size() {
            int p = random.nextInt(100);
            if (p < 8) {
                return 0;
            }
            if (p < 50) {
                return 1 + random.nextInt(4096);
            }
            if (p < 85) {
                return 4096 + random.nextInt(256 << 10);
            }
            if (p < 97) {
                return (256 << 10) + random.nextInt(768 << 10);
            }
            return (1 << 20) + random.nextInt(2 << 20);
        }
    }
}
