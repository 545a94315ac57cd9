package io.annexsync.transfer.engine;

import static io.annexsync.transfer.engine.Repos.addFiles;
import static io.annexsync.transfer.engine.Repos.addRemote;
import static io.annexsync.transfer.engine.Repos.download;
import static org.assertj.core.api.Assertions.assertThat;

import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.AnnexedFile;
import io.annexsync.gitsync.Progress;
import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.remote.RemoteConfig;
import io.annexsync.gitsync.sync.RetryPolicy;
import io.annexsync.transfer.engine.TransferOutcome.Status;
import io.annexsync.transfer.queue.QueuePolicy;
import io.annexsync.transfer.queue.TransferQueue;
import io.annexsync.transfer.remote.RemoteKinds;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** This repository's location-log lines are written by the writer the engine is given, on its thread. */
class RepoWriterTest {
    @TempDir
    Path tmp;

    private AnnexRepo a;
    private AnnexRepo b;
    private RemoteConfig aInB;
    private final ExecutorService writerThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "the-writer"));

    @BeforeEach
    void setUp() throws Exception {
        a = Repos.init(tmp.resolve("a"));
        b = Repos.init(tmp.resolve("b"));
        aInB = addRemote(b, "a", a);
    }

    @AfterEach
    void tearDown() {
        writerThread.shutdownNow();
        a.close();
        b.close();
    }

    @Test
    void theLocationLogsOfDownloadsAreWrittenOnTheWritersThread() throws Exception {
        List<AnnexedFile> files = addFiles(a, 31, 4096, 70_000, 1);
        Set<String> threads = ConcurrentHashMap.newKeySet();
        RepoWriter writer = write -> {
            try {
                writerThread.submit(() -> {
                    threads.add(Thread.currentThread().getName());
                    write.run();
                    return null;
                }).get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                throw (RepoException) e.getCause();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        TransferSettings settings = new TransferSettings(4, 4, 4, OptionalLong.empty(), Map.of(),
                new QueuePolicy(RetryPolicy.DEFAULT, 1));
        try (TransferService s = TransferService.start(b, settings, TransferQueue.processOwner(), Clock.systemUTC(),
                Progress.NONE, RemoteKinds.standard(), writer)) {
            for (var f : s.submitAll(files.stream().map(f -> download(f, aInB, a)).toList())) {
                assertThat(f.get(60, TimeUnit.SECONDS).status()).isEqualTo(Status.DONE);
            }
            s.flush();
        }
        assertThat(threads).containsExactly("the-writer");
        for (AnnexedFile f : files) {
            assertThat(b.branch().locations(f.key())).as(f.path()).contains(b.uuid());
        }
    }
}
