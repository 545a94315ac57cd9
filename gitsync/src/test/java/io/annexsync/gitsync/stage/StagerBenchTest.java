package io.annexsync.gitsync.stage;

import static org.assertj.core.api.Assertions.assertThat;

import io.annexsync.gitsync.key.Backend;
import io.annexsync.gitsync.store.ObjectStore;
import io.annexsync.gitsync.store.StoreOptions;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Collectors;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Throughput of the add engine; runs only with {@code -Dannexsync.bench=true} (slow, and needs a quiet machine). */
class StagerBenchTest {
    private static final Logger LOG = LoggerFactory.getLogger(StagerBenchTest.class);

    @TempDir
    Path tmp;

    @Test
    void tenThousandSmallFiles() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("annexsync.bench"), "benchmarks need -Dannexsync.bench=true");
        Path work = tmp.resolve("repo");
        try (Git git = TestRepos.annexRepo(work)) {
            Random random = new Random(1);
            byte[] content = new byte[4096];
            for (int i = 0; i < 10_000; i++) {
                random.nextBytes(content);
                Path f = work.resolve("d" + (i % 100)).resolve("f" + i + ".dat");
                Files.createDirectories(f.getParent());
                Files.write(f, content);
            }
            long ms = timeAdd(git, work);
            LOG.warn("10,000 x 4 KiB unlocked add: {} ms", ms);
            long again = timeAdd(git, work);
            LOG.warn("10,000 x 4 KiB unchanged re-add: {} ms", again);
        }
    }

    @Test
    void oneGibFile() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("annexsync.bench"), "benchmarks need -Dannexsync.bench=true");
        Path work = tmp.resolve("repo");
        try (Git git = TestRepos.annexRepo(work)) {
            Path big = work.resolve("big.bin");
            byte[] chunk = new byte[1 << 20];
            new Random(2).nextBytes(chunk);
            try (FileChannel ch = FileChannel.open(big, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                for (int i = 0; i < 1024; i++) {
                    chunk[0] = (byte) i;
                    ch.write(ByteBuffer.wrap(chunk));
                }
            }
            long ms = timeAdd(git, work);
            LOG.warn("1 GiB unlocked add: {} ms ({} MB/s)", ms, 1024L * 1000 / Math.max(1, ms));
        }
    }

    private static long timeAdd(Git git, Path work) throws Exception {
        ObjectStore store = new ObjectStore(work.resolve(".git"), StoreOptions.DEFAULT);
        try (StatCache cache = StatCache.open(work.resolve(".git"), Clock.systemUTC());
                Stager stager = new Stager(git.getRepository(), store, cache, Stager.DEFAULT_THREADS)) {
            StageOptions options = new StageOptions(false, false, Backend.SHA256E,
                    LargeFilesPolicy.load(git.getRepository(), Optional.empty()), false);
            long start = System.nanoTime();
            List<StageOutcome> out = stager.stage(List.of(work), options, StageProgress.NONE);
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertThat(out).noneMatch(o -> o.problem().isPresent());
            LOG.warn("outcomes: {}", out.stream().collect(Collectors.groupingBy(StageOutcome::kind,
                    Collectors.counting())));
            return ms;
        }
    }
}
