package io.annexsync.app.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.annexsync.gitsync.testing.GitAnnex;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transfer engine end to end, through {@code get} and {@code copy --to} between a repository A and its clone B,
 * with real processes and real git-annex as the oracle: two processes asking for the same key, a download and an
 * upload killed with SIGKILL halfway and resumed, content that does not match its key, the bandwidth limits, and
 * {@code git annex info} seeing an annex-sync transfer. Each test makes its own random content; 200 MiB where the
 * transfer must last seconds (to be timed, killed or watched).
 */
class TransferEngineIT {
    private static final long MIB = 1L << 20;
    private static final long BIG = 200 * MIB;
    private static final String FILE = "big.bin";
    /** The longest any wait for a process, a file or git-annex may take before the test fails. */
    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final long POLL_MILLIS = 10;

    @TempDir
    Path tmp;

    private GitAnnex tools;
    /** The repository that holds {@link #FILE}; B's {@code origin}. */
    private Path a;
    /** A's clone, initialised, without the content. */
    private Path b;
    private String key;

    /** A process running {@code bin/annex-sync}, with the files its stdout and stderr go to. */
    private record Launched(String name, Process process, Path out, Path err) {
        String stdout() {
            return read(out);
        }

        /** The warnings and errors annex-sync logged, one a line. */
        List<String> problems() {
            return read(err).lines().filter(l -> l.startsWith("annex-sync: WARN") || l.startsWith("annex-sync: ERROR"))
                    .toList();
        }

        @Override
        public String toString() {
            return name + " (pid " + process.pid() + ")\n--- stdout\n" + read(out) + "--- stderr\n" + read(err);
        }

        private static String read(Path file) {
            try {
                return Files.readString(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @BeforeEach
    void gitAnnex() {
        Oracle.assumeGitAnnex();
        tools = new GitAnnex(tmp.resolve("home"));
    }

    @Test
    void twoProcessesGettingTheSameKeyAtOnceMoveItOnce() throws Exception {
        twoRepositories(BIG);
        bwlimit(b, "100MiB"); // about 2 s: both processes are up before it ends
        Launched first = launch("get-1", b, Map.of("ANNEX_SYNC_LOG", "info"), "get", "--json", FILE);
        Launched second = launch("get-2", b, Map.of("ANNEX_SYNC_LOG", "info"), "get", "--json", FILE);
        awaitSuccess(first);
        awaitSuccess(second);

        long moved1 = bytesMoved(first.stdout());
        long moved2 = bytesMoved(second.stdout());
        report("two processes, one key: bytes moved %d and %d", moved1, moved2);
        assertThat(List.of(moved1, moved2)).as("bytes moved by each of\n%s\n%s", first, second)
                .containsExactlyInAnyOrder(BIG, 0L);
        Launched waiter = moved1 == 0 ? first : second;
        assertThat(waiter.toString()).as("the process that moved nothing waited for the other")
                .contains("another process moves " + key);
        assertThat(first.problems()).as("%s", first).isEmpty();
        assertThat(second.problems()).as("%s", second).isEmpty();
        assertThat(Oracle.assertEveryObjectVerifies(b)).hasSize(1);
        assertThat(whereis(b)).contains(uuid(a), uuid(b));
        assertNoTransferInProgress(b);
    }

    @Test
    void aDownloadKilledHalfwayResumesFromItsPartialFile() throws Exception {
        twoRepositories(BIG);
        bwlimit(b, "50MiB");
        Path partial = b.resolve(".git/annex/tmp").resolve(key);
        long killedAt = killHalfway(launch("get", b, Map.of(), "get", "--json", FILE), partial);

        JsonObject get = onlyItem(Cli.ok(b, "get", "--json", FILE), "get");
        assertResumed(get, killedAt, "download");
        assertThat(partial).doesNotExist();
        assertThat(Oracle.assertEveryObjectVerifies(b)).hasSize(1);
        Oracle.assertGitAnnexFsckPasses(tools, b);
        assertNoTransferInProgress(b);
        assertThat(filesUnder(b.resolve(".git/annex/transfer"))).as("transfer records left in B").isEmpty();
    }

    @Test
    void anUploadKilledHalfwayResumesFromThePartialFileInTheRemote() throws Exception {
        twoRepositories(BIG);
        Cli.ok(a, "remote", "add", "b", b.toString());
        bwlimit(a, "50MiB");
        Path partial = b.resolve(".git/annex/tmp").resolve(key);
        long killedAt = killHalfway(launch("copy", a, Map.of(), "copy", "--to", "b", "--json", FILE), partial);

        JsonObject copy = onlyItem(Cli.ok(a, "copy", "--to", "b", "--json", FILE), "copy");
        assertResumed(copy, killedAt, "upload");
        assertThat(partial).doesNotExist();
        assertThat(Oracle.assertEveryObjectVerifies(b)).hasSize(1);
        Oracle.assertGitAnnexFsckPasses(tools, b);
        assertThat(whereis(a)).contains(uuid(b));
        assertNoTransferInProgress(a);
        assertThat(filesUnder(a.resolve(".git/annex/transfer"))).as("transfer records left in A").isEmpty();
    }

    @Test
    void contentThatDoesNotMatchItsKeyNeverEntersTheStoreAndTheFailureIsRecorded() throws IOException {
        twoRepositories(4 * MIB);
        corrupt(a.resolve(tools.annex(a, "contentlocation", key).strip()));
        Set<String> before = whereis(b);
        assertThat(before).containsExactly(uuid(a));

        Cli.Run get = Cli.run(b, "get", "--json", FILE);
        assertThat(get.exitCode()).as("%s", get).isEqualTo(1);
        JsonObject item = onlyItem(get, "get");
        assertThat(item.get("success").getAsBoolean()).isFalse();
        assertThat(item.getAsJsonArray("error-messages").toString()).as("%s", get)
                .contains("does not match its key").contains("checksum").contains("origin");
        assertThat(get.err()).contains("get: 1 failed");

        assertThat(Oracle.assertEveryObjectVerifies(b)).as("objects in B").isEmpty();
        assertThat(b.resolve(".git/annex/tmp").resolve(key)).as("partial file in B").doesNotExist();
        assertThat(whereis(b)).as("B's location log").isEqualTo(before);
        assertThat(b.resolve(".git/annex/transfer/failed/download").resolve(uuid(a)).resolve(key)).isRegularFile();
        assertNoTransferInProgress(b);
    }

    @Test
    void theOverallBandwidthLimitHoldsADownloadToItsRate() throws IOException {
        twoRepositories(BIG);
        bwlimit(b, "20MiB");
        long millis = timedGet();
        report("transfer.bwlimit 20MiB, 200 MiB: %d ms (10000 expected)", millis);
        assertThat(millis).as("elapsed ms of get").isBetween(8_500L, 11_500L);
    }

    @Test
    void aRemotesBandwidthLimitHoldsADownloadFromItToItsRate() throws IOException {
        twoRepositories(BIG);
        tools.git(b, "config", "remote.origin.annex-bwlimit", "40MiB");
        long millis = timedGet();
        report("remote.origin.annex-bwlimit 40MiB, 200 MiB: %d ms (5000 expected)", millis);
        assertThat(millis).as("elapsed ms of get").isBetween(4_250L, 5_750L);
    }

    @Test
    void gitAnnexInfoListsADownloadInProgressInAnotherProcess() throws Exception {
        twoRepositories(BIG);
        bwlimit(b, "20MiB");
        Launched get = launch("get", b, Map.of(), "get", "--json", FILE);
        JsonObject transfer = await("git annex info in B to list a transfer in progress", get, () -> {
            JsonArray inProgress = transfersInProgress(b);
            return inProgress.isEmpty() ? Optional.empty() : Optional.of(inProgress.get(0).getAsJsonObject());
        });
        assertThat(transfer.get("key").getAsString()).isEqualTo(key);
        assertThat(transfer.get("file").getAsString()).isEqualTo(FILE);
        assertThat(transfer.get("transfer").getAsString()).isEqualTo("download");
        assertThat(transfer.get("remote").getAsString()).isEqualTo(uuid(a));

        awaitSuccess(get);
        assertThat(bytesMoved(get.stdout())).isEqualTo(BIG);
        assertThat(get.problems()).as("%s", get).isEmpty();
        assertThat(Oracle.assertEveryObjectVerifies(b)).hasSize(1);
        assertNoTransferInProgress(b);
    }

    /** A holds {@link #FILE} ({@code size} random bytes, locked); B is its clone, initialised, without the content. */
    private void twoRepositories(long size) throws IOException {
        a = Files.createDirectories(tmp.resolve("a"));
        Cli.ok(a, "init", "A");
        Oracle.identity(tools, a);
        writeRandom(a.resolve(FILE), size);
        Cli.ok(a, "add", "--locked", FILE);
        Cli.ok(a, "commit", "-m", "one big file");
        key = tools.annex(a, "lookupkey", FILE).strip();
        b = tmp.resolve("b");
        tools.git(tmp, "clone", "-q", a.toString(), b.toString());
        Oracle.identity(tools, b);
        Cli.ok(b, "init", "B");
    }

    private static void writeRandom(Path file, long size) throws IOException {
        SplittableRandom random = new SplittableRandom(size);
        byte[] block = new byte[(int) MIB];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; left -= block.length) {
                random.nextBytes(block);
                out.write(block, 0, (int) Math.min(left, block.length));
            }
        }
    }

    /** Sets {@code transfer.bwlimit} in the repository's assistant.conf. */
    private static void bwlimit(Path repo, String limit) throws IOException {
        Path dir = Files.createDirectories(repo.resolve(".git/annex-sync"));
        Files.writeString(dir.resolve("assistant.conf"), "[transfer]\n\tbwlimit = " + limit + "\n");
    }

    /** Flips 64 bytes in the middle of a (write-protected) annex object; its size stays. */
    private static void corrupt(Path object) throws IOException {
        assertThat(object.getParent().toFile().setWritable(true, true)).isTrue();
        assertThat(object.toFile().setWritable(true, true)).isTrue();
        try (RandomAccessFile f = new RandomAccessFile(object.toFile(), "rw")) {
            byte[] bytes = new byte[64];
            f.seek(f.length() / 2);
            f.readFully(bytes);
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] ^= (byte) 0xff;
            }
            f.seek(f.length() / 2);
            f.write(bytes);
        }
    }

    /** Runs {@code get} of {@link #FILE} in B in this JVM (no JVM start counted); its elapsed milliseconds. */
    private long timedGet() {
        long start = System.nanoTime();
        Cli.Run get = Cli.ok(b, "get", "--json", FILE);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(onlyItem(get, "get").get("bytes-moved").getAsLong()).isEqualTo(BIG);
        assertThat(Oracle.assertEveryObjectVerifies(b)).hasSize(1);
        return millis;
    }

    /**
     * Waits until {@code partial} holds 30% of {@link #BIG}, kills the process with SIGKILL, and checks that it died
     * with the partial file between 30% and 70%.
     *
     * @return the partial file's size after the kill
     */
    private long killHalfway(Launched run, Path partial) throws InterruptedException {
        long low = BIG * 3 / 10;
        long high = BIG * 7 / 10;
        try {
            await("the partial file " + partial + " to reach " + low + " bytes", run, () -> size(partial) >= low);
        } finally {
            run.process().destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no finally block runs in it
            assertThat(run.process().waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("%s killed", run).isTrue();
        }
        assertThat(run.process().exitValue()).as("killed, not finished: %s", run).isEqualTo(137);
        long size = size(partial);
        assertThat(size).as("partial file after the kill").isBetween(low, high);
        return size;
    }

    /** The rerun after a kill read only what the killed run had not: the partial file was continued, not redone. */
    private static void assertResumed(JsonObject item, long killedAt, String what) {
        long resumedFrom = item.get("resumed-from").getAsLong();
        long moved = item.get("bytes-moved").getAsLong();
        report("%s killed with %d bytes in the partial file (%.1f%%); rerun resumed-from %d, bytes-moved %d", what,
                killedAt, 100.0 * killedAt / BIG, resumedFrom, moved);
        assertThat(item.get("success").getAsBoolean()).as("%s", item).isTrue();
        assertThat(resumedFrom).as("resumed-from: every byte the killed run wrote is kept").isEqualTo(killedAt);
        assertThat(killedAt - resumedFrom).as("bytes sent again").isLessThan(BIG / 10);
        assertThat(moved + resumedFrom).as("bytes-moved + resumed-from").isEqualTo(BIG);
    }

    private Launched launch(String name, Path dir, Map<String, String> env, String... args) throws IOException {
        Path launcher = Path.of("").toAbsolutePath().getParent().resolve("bin/annex-sync");
        assertThat(launcher).as("run from the app module").isExecutable();
        List<String> command = new ArrayList<>(List.of(launcher.toString(), "-C", dir.toString()));
        command.addAll(List.of(args));
        Path out = tmp.resolve(name + ".out");
        Path err = tmp.resolve(name + ".err");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        tools.environment(pb.environment());
        pb.environment().putAll(env);
        return new Launched(name, pb.start(), out, err);
    }

    /** Waits (bounded) for the process to end, and checks that it succeeded. */
    private static void awaitSuccess(Launched run) throws InterruptedException {
        if (!run.process().waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
            run.process().destroyForcibly();
            fail("%s did not end within %s", run, PATIENCE);
        }
        assertThat(run.process().exitValue()).as("exit code of %s", run).isZero();
    }

    private static void await(String what, Launched watched, BooleanSupplier condition) throws InterruptedException {
        await(what, watched, () -> condition.getAsBoolean() ? Optional.of(true) : Optional.empty());
    }

    /**
     * Polls {@code probe} until it gives a value; fails when {@link #PATIENCE} has passed or {@code watched} ended
     * first (then what is awaited would never come).
     */
    private static <T> T await(String what, Launched watched, Supplier<Optional<T>> probe)
            throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            if (!watched.process().isAlive()) {
                fail("waiting for %s, but %s ended first (exit %d)", what, watched, watched.process().exitValue());
            }
            if (System.nanoTime() > deadline) {
                fail("waited %s for %s; still running: %s", PATIENCE, what, watched);
            }
            TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
        }
    }

    private static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0; // deleted between the two calls: the transfer ended
        }
    }

    /** The one JSON item of {@code command} in the output of a {@code --json} run. */
    private static JsonObject onlyItem(Cli.Run run, String command) {
        List<JsonObject> items = Oracle.jsonLines(run.out()).stream()
                .filter(o -> o.get("command").getAsString().equals(command)).toList();
        assertThat(items).as("%s items of %s", command, run).hasSize(1);
        return items.get(0);
    }

    /** The bytes moved by the {@code get} items of a {@code --json} output (none: nothing moved). */
    private static long bytesMoved(String jsonOut) {
        long moved = 0;
        for (JsonObject o : Oracle.jsonLines(jsonOut)) {
            assertThat(o.get("success").getAsBoolean()).as("%s", o).isTrue();
            moved += o.has("bytes-moved") ? o.get("bytes-moved").getAsLong() : 0;
        }
        return moved;
    }

    /** The uuids {@code git annex whereis} in {@code repo} lists for {@link #FILE}. */
    private Set<String> whereis(Path repo) {
        return Oracle.whereis(tools.annex(repo, "whereis", "--json", FILE)).get(FILE);
    }

    private String uuid(Path repo) {
        return tools.git(repo, "config", "annex.uuid").strip();
    }

    private JsonArray transfersInProgress(Path repo) {
        JsonObject info = Oracle.jsonLines(tools.annex(repo, "info", "--json")).get(0);
        return info.has("transfers in progress") ? info.getAsJsonArray("transfers in progress") : new JsonArray();
    }

    private void assertNoTransferInProgress(Path repo) {
        assertThat(transfersInProgress(repo)).as("transfers in progress, says git annex info in %s", repo).isEmpty();
    }

    /** The regular files under {@code dir}, recursively; none when it does not exist. */
    private static List<Path> filesUnder(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    private static void report(String format, Object... args) {
        System.out.printf("TransferEngineIT: " + format + "%n", args);
    }
}
