package io.annexsync.app.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.annexsync.app.Main;
import io.annexsync.gitsync.Uuid;
import io.annexsync.gitsync.key.Key;
import io.annexsync.gitsync.sync.RetryPolicy;
import io.annexsync.gitsync.testing.GitAnnex;
import io.annexsync.gitsync.testing.TestClock;
import io.annexsync.transfer.queue.Claimed;
import io.annexsync.transfer.queue.QueuePolicy;
import io.annexsync.transfer.queue.TransferQueue;
import io.annexsync.transfer.queue.TransferRequest;
import io.annexsync.transfer.queue.TransferRequest.Way;
import io.annexsync.transfer.record.ActiveTransfer;
import io.annexsync.transfer.record.Direction;
import io.annexsync.transfer.record.TransferRecords;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code annex-sync transfers} run in a process of its own, as a person would run it while the daemon moves content:
 * it sees the transfer this JVM runs only through the status file and its fcntl lock, and the queue only through
 * {@code state.db}.
 */
@Timeout(300)
class TransfersIT {
    private static final Uuid USB = new Uuid("0b9c5a1e-1111-4a8b-9d0e-2f6a7b9c1d3e");
    private static final Uuid STRANGER = new Uuid("5d8e2f40-2222-4c3b-8a1f-9e0d7c6b5a41");
    private static final Key RUNNING = key(40 * 1024 * 1024, 1);
    private static final Key QUEUED = key(2000, 2);
    private static final Key GIVEN_UP = key(3000, 3);
    private static final Key FAILED_RECORD = key(4000, 4);
    private static final long DONE = 10 * 1024 * 1024;

    @TempDir
    Path tmp;
    private GitAnnex tools;
    private Path repo;
    private final TestClock clock = new TestClock(Instant.now().minusSeconds(20));
    private final List<AutoCloseable> opened = new ArrayList<>();

    private static Key key(long size, int n) {
        return Key.of("SHA256E-s" + size + "--" + "%064x".formatted(n) + ".bin");
    }

    @BeforeEach
    void repositoryWithTransfersOfEveryKind() throws Exception {
        tools = new GitAnnex(tmp.resolve("home"));
        repo = Files.createDirectories(tmp.resolve("repo"));
        Cli.ok(repo, "init", "repo");
        Oracle.identity(tools, repo);
        tools.git(repo, "config", "remote.usb.url", tmp.resolve("usb").toString());
        tools.git(repo, "config", "remote.usb.annex-uuid", USB.value());
        Path gitDir = repo.resolve(".git");

        TransferRecords records = new TransferRecords(gitDir, clock);
        ActiveTransfer running = records.begin(Direction.DOWNLOAD, USB, RUNNING, Optional.of("photos/beach.jpg"))
                .orElseThrow();
        opened.add(running);
        clock.advance(Duration.ofSeconds(10));
        running.progress(DONE);
        records.begin(Direction.UPLOAD, STRANGER, FAILED_RECORD, Optional.empty()).orElseThrow().fail();

        TransferQueue queue = TransferQueue.open(gitDir, clock, new QueuePolicy(RetryPolicy.DEFAULT, 1),
                new SplittableRandom(1));
        opened.add(queue);
        queue.enqueue(new TransferRequest(GIVEN_UP, "usb", USB, Way.DOWNLOAD, Optional.of("docs/lost.pdf"), 100, 0));
        queue.enqueue(new TransferRequest(QUEUED, "usb", USB, Way.UPLOAD, Optional.of("docs/report.pdf"), 100, 5));
        Claimed claimed = queue.claim("test-worker", 1).orElseThrow();
        assertThat(claimed.request().key()).isEqualTo(GIVEN_UP);
        queue.failed(claimed, "disk full");
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : opened) {
            c.close();
        }
    }

    /** {@code annex-sync -C repo args...} in a new JVM; fails the test unless it exits 0 within a minute. */
    private String annexSync(String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "-C", repo.toString()));
        command.addAll(List.of(args));
        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        tools.environment(pb.environment());
        Process p = pb.start();
        boolean exited = p.waitFor(60, TimeUnit.SECONDS);
        if (!exited) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String said = Files.readString(out, StandardCharsets.UTF_8);
        String complained = Files.readString(err, StandardCharsets.UTF_8);
        assertThat(exited).as("annex-sync %s ended; stdout:%n%s%nstderr:%n%s", args, said, complained).isTrue();
        assertThat(p.exitValue()).as("annex-sync %s: %s%s", args, said, complained).isZero();
        return said;
    }

    @Test
    void jsonListsTheRunningTransferOfAnotherProcessTheQueueAndTheFailures() throws Exception {
        List<JsonObject> lines = Oracle.jsonLines(annexSync("transfers", "--json"));

        assertThat(lines).hasSize(1);
        JsonObject o = lines.get(0);
        assertThat(o.keySet()).containsExactly("running", "queued", "failed");
        JsonArray running = o.getAsJsonArray("running");
        assertThat(running).hasSize(1);
        JsonObject r = running.get(0).getAsJsonObject();
        assertThat(r.get("direction").getAsString()).isEqualTo("download");
        assertThat(r.get("remote").getAsString()).isEqualTo("usb");
        assertThat(r.get("remote-uuid").getAsString()).isEqualTo(USB.value());
        assertThat(r.get("key").getAsString()).isEqualTo(RUNNING.serialize());
        assertThat(r.get("file").getAsString()).isEqualTo("photos/beach.jpg");
        assertThat(r.get("bytes").getAsLong()).isEqualTo(DONE);
        assertThat(r.get("size").getAsLong()).isEqualTo(RUNNING.size().getAsLong());
        assertThat(Instant.parse(r.get("started").getAsString())).isEqualTo(clock.instant().minusSeconds(10));

        JsonArray queued = o.getAsJsonArray("queued");
        assertThat(queued).hasSize(1);
        JsonObject q = queued.get(0).getAsJsonObject();
        assertThat(q.get("direction").getAsString()).isEqualTo("upload");
        assertThat(q.get("file").getAsString()).isEqualTo("docs/report.pdf");
        assertThat(q.get("key").getAsString()).isEqualTo(QUEUED.serialize());
        assertThat(q.get("attempts").getAsInt()).isZero();

        JsonArray failed = o.getAsJsonArray("failed");
        assertThat(failed).hasSize(2);
        JsonObject givenUp = failed.get(0).getAsJsonObject();
        assertThat(givenUp.get("source").getAsString()).isEqualTo("queue");
        assertThat(givenUp.get("key").getAsString()).isEqualTo(GIVEN_UP.serialize());
        assertThat(givenUp.get("last-error").getAsString()).isEqualTo("disk full");
        assertThat(givenUp.get("attempts").getAsInt()).isEqualTo(1);
        JsonObject record = failed.get(1).getAsJsonObject();
        assertThat(record.get("source").getAsString()).isEqualTo("record");
        assertThat(record.get("key").getAsString()).isEqualTo(FAILED_RECORD.serialize());
        assertThat(record.get("remote").getAsString()).as("no remote has that uuid").isEqualTo(STRANGER.value());
        assertThat(record.get("file").isJsonNull()).isTrue();

        assertThat(new TransferRecords(repo.resolve(".git")).live()).as("looking did not disturb the transfer")
                .hasSize(1);
    }

    @Test
    void humanOutputNamesTheFileAndTheRemoteWithoutBarsWhenNotOnATerminal() throws Exception {
        String out = annexSync("transfers");

        assertThat(out).contains("download  usb  photos/beach.jpg", "25%", "10.0 MiB / 40.0 MiB", "queued (1):",
                "docs/report.pdf", "failed (2):", "gave up after 1 attempt: disk full", STRANGER.value())
                .doesNotContain("[#", "\033");
    }

    @Test
    void watchStopsByItselfAfterCountRefreshes() throws Exception {
        String plain = annexSync("transfers", "--watch", "--count", "2", "--interval", "100");
        assertThat(plain.lines().filter(l -> l.startsWith("-- "))).hasSize(2);
        assertThat(plain.lines().filter(l -> l.startsWith("download  usb  photos/beach.jpg"))).hasSize(2);

        List<JsonObject> json = Oracle.jsonLines(annexSync("transfers", "--json", "--watch", "--count", "3",
                "--interval", "100"));
        assertThat(json).hasSize(3).allSatisfy(o -> assertThat(o.getAsJsonArray("running")).hasSize(1));
    }

    @Test
    void anEmptyRepositorySaysSoInOneLine() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Cli.ok(empty, "init", "empty");

        assertThat(Cli.ok(empty, "transfers").out()).isEqualTo("no transfers running, none queued, none failed\n");
        assertThat(Cli.ok(empty, "transfers", "--json").out())
                .isEqualTo("{\"running\":[],\"queued\":[],\"failed\":[]}\n");
        assertThat(Cli.run(empty, "transfers", "--count", "2").exitCode()).as("--count without --watch").isEqualTo(2);
    }
}
