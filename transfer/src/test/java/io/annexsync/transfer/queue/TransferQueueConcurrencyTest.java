package io.annexsync.transfer.queue;

import static io.annexsync.transfer.queue.Requests.upload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.annexsync.gitsync.sync.RetryPolicy;
import io.annexsync.gitsync.testing.TestClock;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several threads, instances and processes claim from one queue: no item is ever handed out twice. */
class TransferQueueConcurrencyTest {
    private static final int TIMEOUT_S = 120;

    @TempDir
    Path dir;

    private final TestClock clock = new TestClock(Instant.parse("2026-03-01T12:00:00Z"));
    private final AtomicInteger threadNumber = new AtomicInteger();
    private final ExecutorService pool = Executors.newCachedThreadPool(
            r -> new Thread(r, "transfer-queue-test-" + threadNumber.incrementAndGet()));

    @AfterEach
    void stopThreads() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(TIMEOUT_S, TimeUnit.SECONDS)).isTrue();
    }

    private static void fill(TransferQueue q, int items) throws Exception {
        for (int n = 1; n <= items; n++) {
            q.enqueue(upload(n, "remote-" + n % 3, 100 + n % 3, n % 5));
        }
    }

    /**
     * Claims and finishes items as {@code worker} until none is left, once {@code start} opens, each after a pretend
     * transfer ({@link ClaimerMain#transfer}); returns the ids.
     */
    private static Callable<List<Long>> claimer(TransferQueue q, String worker, CountDownLatch start) {
        return () -> {
            start.await();
            List<Long> ids = new ArrayList<>();
            for (Optional<Claimed> c = q.claim(worker, Integer.MAX_VALUE); c.isPresent();
                    c = q.claim(worker, Integer.MAX_VALUE)) {
                ids.add(c.get().id());
                ClaimerMain.transfer();
                assertThat(q.done(c.get())).isTrue();
            }
            return ids;
        };
    }

    private static void recordOnce(Map<Long, String> claims, List<Long> ids, String by) {
        for (long id : ids) {
            String before = claims.putIfAbsent(id, by);
            assertThat(before).as("item %d claimed by %s and by %s", id, before, by).isNull();
        }
    }

    @Test
    void fourThreadsOnEachOfTwoInstancesClaimEveryItemExactlyOnce() throws Exception {
        Path gitDir = dir.resolve(".git");
        int items = 500;
        try (TransferQueue a = TransferQueue.open(gitDir, clock, RetryPolicy.DEFAULT);
                TransferQueue b = TransferQueue.open(gitDir, clock, RetryPolicy.DEFAULT)) {
            fill(a, items);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<Long>>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                futures.add(pool.submit(claimer(a, "a-" + t, start)));
                futures.add(pool.submit(claimer(b, "b-" + t, start)));
            }
            start.countDown();

            Map<Long, String> claims = new ConcurrentHashMap<>();
            for (int i = 0; i < futures.size(); i++) {
                recordOnce(claims, futures.get(i).get(TIMEOUT_S, TimeUnit.SECONDS), "worker " + i);
            }
            assertThat(claims).hasSize(items);
            assertThat(a.queued()).isEmpty();
            assertThat(b.running()).isEmpty();
        }
    }

    @Test
    void anotherProcessNeverClaimsAnItemThisOneClaimed() throws Exception {
        Optional<String> java = ProcessHandle.current().info().command();
        assumeTrue(java.isPresent(), "cannot tell which java runs this test");
        Path gitDir = dir.resolve(".git");
        int items = 1000;
        try (TransferQueue q = TransferQueue.open(gitDir, clock, RetryPolicy.DEFAULT)) {
            fill(q, items);
            Path errors = dir.resolve("child.err");
            Process child = new ProcessBuilder(java.get(), "-Xmx128m", "--enable-native-access=ALL-UNNAMED",
                    "-cp", System.getProperty("java.class.path"), ClaimerMain.class.getName(), gitDir.toString(),
                    "child").redirectError(errors.toFile()).start();
            try {
                BufferedReader out = new BufferedReader(
                        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                Future<String> ready = pool.submit(out::readLine);
                assertThat(ready.get(TIMEOUT_S, TimeUnit.SECONDS)).as(() -> stderr(errors)).isEqualTo("READY");
                CountDownLatch start = new CountDownLatch(1);
                Future<List<Long>> mine1 = pool.submit(claimer(q, "parent-1", start));
                Future<List<Long>> mine2 = pool.submit(claimer(q, "parent-2", start));
                try (Writer go = new OutputStreamWriter(child.getOutputStream(), StandardCharsets.UTF_8)) {
                    go.write("GO\n");
                }
                // the parents start once the child has claimed its first item, so all three race for the rest
                String first = pool.submit(out::readLine).get(TIMEOUT_S, TimeUnit.SECONDS);
                Future<List<String>> childLines = pool.submit(() -> out.lines().toList());
                start.countDown();

                Map<Long, String> claims = new ConcurrentHashMap<>();
                recordOnce(claims, mine1.get(TIMEOUT_S, TimeUnit.SECONDS), "parent-1");
                recordOnce(claims, mine2.get(TIMEOUT_S, TimeUnit.SECONDS), "parent-2");
                List<String> lines = new ArrayList<>(List.of(first));
                lines.addAll(childLines.get(TIMEOUT_S, TimeUnit.SECONDS));
                assertThat(child.waitFor(TIMEOUT_S, TimeUnit.SECONDS)).isTrue();
                assertThat(child.exitValue()).as(() -> stderr(errors)).isZero();
                assertThat(lines).last().isEqualTo("END");
                List<Long> childIds = lines.subList(0, lines.size() - 1).stream().map(Long::valueOf).toList();
                recordOnce(claims, childIds, "the other process");

                assertThat(claims).hasSize(items);
                assertThat(childIds).as("the other process took part").isNotEmpty();
                assertThat(claims.values()).as("this process took part").contains("parent-1", "parent-2");
                assertThat(q.queued()).isEmpty();
                assertThat(q.running()).isEmpty();
            } finally {
                child.destroyForcibly();
            }
        }
    }

    private static String stderr(Path errors) {
        try {
            return "child stderr: " + Files.readString(errors);
        } catch (IOException e) {
            return "child stderr unreadable: " + e;
        }
    }
}
