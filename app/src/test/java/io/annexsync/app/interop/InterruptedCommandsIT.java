package io.annexsync.app.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import io.annexsync.gitsync.Uuid;
import io.annexsync.gitsync.key.Key;
import io.annexsync.gitsync.sync.RetryPolicy;
import io.annexsync.gitsync.testing.GitAnnex;
import io.annexsync.transfer.queue.QueueItem;
import io.annexsync.transfer.queue.QueuePolicy;
import io.annexsync.transfer.queue.TransferQueue;
import io.annexsync.transfer.queue.TransferRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Commands that die leave nothing behind that lies: a {@code get} of a large file from a path remote under a
 * bandwidth limit is stopped mid-transfer with SIGINT or SIGTERM (it ends as cleanly as {@code assistant --stop}
 * ends the daemon) or killed with SIGKILL (the next process that looks clears what it left), and claims of a process
 * whose pid was given to another, or of an assistant that no longer runs, are not shown as running.
 */
class InterruptedCommandsIT {
    private static final long MIB = 1L << 20;
    private static final long SIZE = 40 * MIB;
    private static final String FILE = "big.bin";

    @TempDir
    Path tmp;

    private GitAnnex tools;
    private Path a;
    private Path b;
    private String key;
    private Path partial;

    @BeforeEach
    void aCloneOfARepositoryWithOneLargeFile() throws IOException {
        Oracle.assumeGitAnnex();
        tools = new GitAnnex(tmp.resolve("home"));
        a = Files.createDirectories(tmp.resolve("a"));
        Cli.ok(a, "init", "A");
        Oracle.identity(tools, a);
        writeRandom(a.resolve(FILE));
        Cli.ok(a, "add", "--locked", FILE);
        Cli.ok(a, "commit", "-m", "one large file");
        key = tools.annex(a, "lookupkey", FILE).strip();
        b = tmp.resolve("b");
        tools.git(tmp, "clone", "-q", a.toString(), b.toString());
        Oracle.identity(tools, b);
        Cli.ok(b, "init", "B");
        tools.git(b, "config", "remote.origin.annex-bwlimit", "4MiB"); // 10 s for the whole file
        partial = b.resolve(".git/annex/tmp").resolve(key);
    }

    @ParameterizedTest(name = "SIG{0}")
    @CsvSource({"INT, 130", "TERM, 143"})
    void aSignalDuringGetKeepsThePartialAndRemovesTheQueueItemAndTheRecord(String signal, int exitCode)
            throws Exception {
        CliProcess get = CliProcess.start(tools, tmp.resolve("logs"), "get-" + signal, b, Map.of(),
                List.of("env", "--default-signal=INT,TERM"), "get", FILE);
        awaitPartial(get, 4 * MIB);
        assertThat(new ProcessBuilder("kill", "-s", signal, Long.toString(get.process().pid())).start().waitFor())
                .isZero();
        Cli.Run stopped = get.finish();

        assertThat(stopped.exitCode()).as("%s", stopped).isEqualTo(exitCode);
        assertThat(stopped.err()).as("%s", stopped).contains("interrupted").doesNotContain("Exception");
        assertThat(queueRows()).as("queue items left by the stopped get").isEmpty();
        assertThat(filesUnder(b.resolve(".git/annex/transfer"))).as("transfer records left in B").isEmpty();
        long kept = Files.size(partial);
        assertThat(kept).as("the partial file is kept").isBetween(4 * MIB, SIZE - 1);
        assertThat(transfersInProgress()).isEmpty();

        JsonObject again = Oracle.jsonLines(Cli.ok(b, "get", "--json", FILE).out()).get(0);
        assertThat(again.get("resumed-from").getAsLong()).as("%s", again).isEqualTo(kept);
        assertThat(Oracle.assertEveryObjectVerifies(b)).hasSize(1);
        Oracle.assertGitAnnexFsckPasses(tools, b);
    }

    @Test
    void aGetKilledWithSigkillLeavesNothingTheNextListingShowsAsRunning() throws Exception {
        CliProcess get = CliProcess.start(tools, tmp.resolve("logs"), "get-killed", b, Map.of(), "get", FILE);
        awaitPartial(get, 4 * MIB);
        get.process().destroyForcibly();
        assertThat(get.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(get.process().exitValue()).isEqualTo(137);
        assertThat(queueRows()).as("the killed get's claim is still in the queue").hasSize(1);

        assertNothingListed();
        Cli.Run status = Cli.ok(b, "status");
        assertThat(status.out()).as("%s", status).doesNotContain("running,");
        assertThat(queueRows()).as("cleared by the listing").isEmpty();
        assertThat(Files.size(partial)).as("the partial file stays for the next get").isPositive();
    }

    @Test
    void aClaimOfAnEndedProcessWhosePidAnotherProcessHasNowIsCleared() throws Exception {
        ProcessHandle self = ProcessHandle.current();
        long start = self.info().startInstant().orElseThrow().toEpochMilli();
        claim("process:" + self.pid() + ":" + (start - 1000)); // this JVM's pid, but a process that began earlier
        assertNothingListed();
        assertThat(queueRows()).isEmpty();
    }

    @Test
    void whatTheAssistantHadClaimedWhenNoDaemonRunsIsQueuedNotRunning() throws Exception {
        claim(TransferQueue.ASSISTANT);
        JsonObject listed = Oracle.jsonLines(Cli.ok(b, "transfers", "--json").out()).get(0);
        assertThat(listed.getAsJsonArray("running")).as("%s", listed).isEmpty();
        assertThat(listed.getAsJsonArray("queued")).as("%s", listed).hasSize(1);
        assertThat(Cli.ok(b, "status").out()).contains("transfers: 0 running, 1 queued, 0 failed");
    }

    /** Claims a download of the file from origin in B's queue as {@code owner} would, and leaves it RUNNING. */
    private void claim(String owner) throws Exception {
        Uuid origin = new Uuid(tools.git(a, "config", "annex.uuid").strip());
        try (TransferQueue q = TransferQueue.open(b.resolve(".git"), Clock.systemUTC(),
                QueuePolicy.of(RetryPolicy.DEFAULT), new SplittableRandom(1), owner)) {
            q.enqueue(new TransferRequest(Key.of(key), "origin", origin, TransferRequest.Way.DOWNLOAD,
                    Optional.of(FILE), 100, 0));
            assertThat(q.claim("worker@" + owner, 4)).isPresent();
        }
        assertThat(queueRows()).hasSize(1);
    }

    private void assertNothingListed() {
        Cli.Run listing = Cli.ok(b, "transfers");
        assertThat(listing.out()).as("%s", listing).contains("no transfers running, none queued, none failed");
    }

    /** Every row of B's queue, whoever owns it, read without clearing anything. */
    private List<QueueItem> queueRows() throws Exception {
        try (TransferQueue q = TransferQueue.open(b.resolve(".git"), Clock.systemUTC(),
                QueuePolicy.of(RetryPolicy.DEFAULT), new SplittableRandom(1), "test-reader")) {
            List<QueueItem> all = new ArrayList<>(q.running());
            all.addAll(q.queued());
            all.addAll(q.failed());
            return all;
        }
    }

    private void awaitPartial(CliProcess get, long bytes) {
        await("the partial file to reach " + bytes + " bytes").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(20)).until(() -> {
                    assertThat(get.process().isAlive()).as("get still running: %s", get).isTrue();
                    return Files.exists(partial) && Files.size(partial) >= bytes;
                });
    }

    private List<Object> transfersInProgress() {
        JsonObject info = Oracle.jsonLines(tools.annex(b, "info", "--json")).get(0);
        List<Object> running = new ArrayList<>();
        if (info.has("transfers in progress")) {
            info.getAsJsonArray("transfers in progress").forEach(running::add);
        }
        return running;
    }

    private static List<Path> filesUnder(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    private static void writeRandom(Path file) throws IOException {
        SplittableRandom random = new SplittableRandom(SIZE);
        byte[] block = new byte[(int) MIB];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = SIZE; left > 0; left -= block.length) {
                random.nextBytes(block);
                out.write(block, 0, (int) Math.min(left, block.length));
            }
        }
    }
}
