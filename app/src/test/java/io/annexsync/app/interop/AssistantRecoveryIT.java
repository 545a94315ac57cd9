package io.annexsync.app.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import io.annexsync.gitsync.testing.GitAnnex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The assistant when things go wrong: a daemon killed with {@code -9} in the middle of a large transfer or of a
 * commit, a remote drive that goes away and comes back, a second daemon, a bad setting. After a restart everything
 * converges and nothing is lost.
 */
class AssistantRecoveryIT {
    static final Duration PATIENCE = Duration.ofSeconds(120);

    @TempDir
    Path tmp;

    private DaemonFolders f;
    private GitAnnex tools;

    @BeforeEach
    void folders() {
        f = new DaemonFolders(tmp, 11);
        tools = f.tools();
    }

    @AfterEach
    void stopDaemons() throws InterruptedException {
        f.close();
    }

    @Test
    void killedInTheMiddleOfALargeTransferItResumesAfterARestart() throws Exception {
        Path a = folder("a");
        Path b = folder("b");
        link(a, "b", b);
        link(b, "a", a);
        config(a, "[transfer]\n\tbwlimit = 20MiB\n");
        config(b, "[transfer]\n\tbwlimit = 20MiB\n");
        Daemon da = start("a", a);
        start("b", b);
        byte[] big = bytes(100 << 20);
        Files.write(a.resolve("big.bin"), big);
        Path partials = b.resolve(".git/annex/tmp");
        await("a partial copy of big.bin in b").atMost(PATIENCE).pollInterval(Duration.ofMillis(50))
                .until(() -> largestFile(partials) > 20L << 20);
        da.kill();
        f.forget(da);
        start("a", a);
        awaitSame(a, b);
        assertThat(Files.readAllBytes(b.resolve("big.bin"))).isEqualTo(big);
        assertThat(Files.readAllBytes(a.resolve("big.bin"))).isEqualTo(big);
        Oracle.assertEveryObjectVerifies(a);
        Oracle.assertEveryObjectVerifies(b);
    }

    @Test
    void stoppedGracefullyInTheMiddleOfATransferItKeepsThePartialFileAndResumesFromIt() throws Exception {
        Path a = folder("a");
        Path drive = folder("drive"); // no daemon: only a's daemon moves content, so the partial file stays as left
        link(a, "drive", drive);
        config(a, "[transfer]\n\tbwlimit = 10MiB\n");
        Daemon da = start("a", a);
        byte[] big = bytes(60 << 20);
        Files.write(a.resolve("big.bin"), big);
        Path partials = drive.resolve(".git/annex/tmp");
        await("a partial copy of big.bin on the drive").atMost(PATIENCE).pollInterval(Duration.ofMillis(50))
                .until(() -> largestFile(partials) > 15L << 20);
        da.stop();
        f.forget(da);
        long kept = largestFile(partials);
        assertThat(kept).as("the partial file is kept").isGreaterThan(15L << 20);
        JsonObject transfers = Oracle.jsonLines(Cli.ok(a, "transfers", "--json").out()).get(0);
        assertThat(transfers.getAsJsonArray("running")).as("nothing runs once the daemon stopped").isEmpty();
        assertThat(transfers.getAsJsonArray("queued")).as("the upload is queued for next time").hasSize(1);

        Daemon again = start("a", a);
        await("big.bin on the drive").atMost(PATIENCE).until(() -> driveHas(drive, "big.bin"));
        await("the daemon's count of bytes moved").atMost(PATIENCE).until(() -> again.counter("bytes-moved") > 0);
        assertThat(again.counter("bytes-moved")).as("bytes moved after the restart: the rest only")
                .isEqualTo(big.length - kept);
        Oracle.assertEveryObjectVerifies(drive);
    }

    @Test
    void killedInTheMiddleOfACommitNothingIsLostAfterARestart() throws Exception {
        Path a = folder("a");
        Path b = folder("b");
        link(a, "b", b);
        link(b, "a", a);
        Daemon da = start("a", a);
        start("b", b);
        for (int i = 0; i < 3000; i++) {
            Path file = a.resolve("batch/d" + (i % 30) + "/f" + i + ".txt");
            Files.createDirectories(file.getParent());
            Files.writeString(file, "file " + i + " " + HexFormat.of().formatHex(bytes(8)) + "\n");
        }
        await("a's daemon committing").atMost(PATIENCE).pollInterval(Duration.ofMillis(10))
                .until(() -> da.status().map(s -> s.get("activity").getAsString().equals("committing")).orElse(false)
                        || Files.exists(a.resolve(".git/index.lock")));
        da.kill();
        f.forget(da);
        start("a", a);
        awaitSame(a, b);
        assertThat(Oracle.contents(b)).hasSize(3000);
    }

    @Test
    void aRemoteDriveThatComesBackIsSyncedAtOnceNotAtTheNextRetry() throws Exception {
        Path a = folder("a");
        Path usb = folder("usb");
        link(a, "usb", usb);
        config(a, "[assistant]\n\tretryinterval = 1h\n\tremotecheck = 500ms\n");
        start("a", a);
        Files.write(a.resolve("first.bin"), bytes(10_000));
        await("first.bin on the drive").atMost(PATIENCE).until(() -> driveHas(usb, "first.bin"));

        Path unplugged = tmp.resolve("usb-unplugged");
        Files.move(usb, unplugged);
        Files.write(a.resolve("second.bin"), bytes(20_000));
        await("second.bin committed in a").atMost(PATIENCE)
                .until(() -> Oracle.committed(tools, a, "second.bin"));
        Files.move(unplugged, usb);
        try {
            await("second.bin on the drive once it is back").atMost(Duration.ofSeconds(60))
                    .until(() -> driveHas(usb, "second.bin"));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("second.bin did not reach the drive once it was back; daemon:" + logs(), e);
        }
    }

    @Test
    void startsInTheBackgroundRefusesASecondDaemonAndStopsGracefully() throws Exception {
        Path x = tmp.resolve("fresh");
        Cli.Run started = Cli.run(tmp, "assistant", x.toString());
        assertThat(started.exitCode()).as("%s", started).isZero();
        assertThat(started.out()).contains("initialising it").contains("started for " + x);
        long pid = Long.parseLong(Files.readString(x.resolve(".git/annex-sync/daemon.pid")).trim());
        try {
            Cli.Run second = Cli.run(tmp, "assistant", x.toString());
            assertThat(second.exitCode()).isEqualTo(1);
            assertThat(second.err()).contains("already runs").contains("pid " + pid);

            Oracle.identity(tools, x);
            Files.writeString(x.resolve("hello.txt"), "hello\n");
            await("hello.txt committed").atMost(PATIENCE)
                    .until(() -> Oracle.committed(tools, x, "hello.txt"));
            Cli.Run status = Cli.ok(x, "status", "--json");
            assertThat(Oracle.jsonLines(status.out()).get(0).get("assistant").getAsString()).isEqualTo("running");
            assertThat(Cli.ok(x, "status").out()).contains("assistant: running (pid " + pid + ")");
        } finally {
            Cli.Run stop = Cli.run(x, "assistant", "--stop");
            assertThat(stop.exitCode()).as("%s", stop).isZero();
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(x.resolve(".git/annex-sync/daemon.pid")).doesNotExist();
        assertThat(Files.readString(x.resolve(".git/annex-sync/daemon.log"))).contains("assistant stopped");
        assertThat(Cli.ok(x, "assistant", "--status").out()).contains("assistant: not running");
        assertThat(Cli.run(x, "assistant", "--stop").exitCode()).isEqualTo(1);

        config(x, "[assistant]\n\tquiet = soon\n");
        Cli.Run bad = Cli.run(tmp, "assistant", x.toString());
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("assistant.quiet").contains("not a duration");
        assertThat(x.resolve(".git/annex-sync/daemon.pid")).doesNotExist();
    }

    @Test
    void theOnChangeHookGetsTheChangedPathsAndItsFailureIsNotFatal() throws Exception {
        Path a = folder("a");
        Path log = tmp.resolve("hook.log");
        config(a, "[assistant]\n\tonchange = \"cat >> '" + log + "'; exit 3\"\n");
        Daemon d = start("a", a);
        Files.writeString(a.resolve("one.txt"), "one\n");
        await("the hook ran").atMost(PATIENCE).until(() -> Files.exists(log)
                && Files.readString(log).contains("one.txt"));
        Files.writeString(a.resolve("two.txt"), "two\n");
        await("the hook ran again").atMost(PATIENCE).until(() -> Files.readString(log).contains("two.txt"));
        await("the hook's failure logged").atMost(PATIENCE)
                .until(() -> d.output().contains("assistant.onchange") && d.output().contains("exit code 3"));
        assertThat(d.alive()).isTrue();
    }

    // ---- helpers

    private Path folder(String name) throws IOException {
        return f.folder(name);
    }

    private static void link(Path from, String name, Path to) {
        DaemonFolders.link(from, name, to);
    }

    private static void config(Path dir, String text) throws IOException {
        DaemonFolders.config(dir, text);
    }

    private Daemon start(String name, Path dir) throws IOException {
        return f.start(name, dir);
    }

    private byte[] bytes(int n) {
        return f.bytes(n);
    }

    /** Whether the drive's synced branch has {@code path} and its store has the content. */
    private boolean driveHas(Path drive, String path) {
        String synced = "refs/heads/synced/" + tools.git(drive, "symbolic-ref", "--short", "HEAD").trim();
        GitAnnex.Outcome ls = tools.tryGit(drive, "ls-tree", "-r", "--name-only", synced);
        if (ls.exitCode() != 0 || !ls.out().lines().toList().contains(path)) {
            return false;
        }
        String pointer = tools.git(drive, "cat-file", "-p", synced + ":" + path).trim();
        String key = pointer.substring(pointer.lastIndexOf('/') + 1);
        try (Stream<Path> objects = Files.walk(drive.resolve(".git/annex/objects"))) {
            return objects.anyMatch(p -> p.getFileName().toString().equals(key) && Files.isRegularFile(p));
        } catch (IOException e) {
            return false;
        }
    }

    private static long largestFile(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).max().orElse(0);
        } catch (IOException e) {
            return 0;
        }
    }

    private void awaitSame(Path... folders) {
        f.awaitSame(PATIENCE, folders);
    }

    private String logs() {
        return f.logs();
    }
}
