package io.annexsync.app.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import io.annexsync.gitsync.StateDb;
import io.annexsync.gitsync.testing.GitAnnex;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk, end to end: {@code get} refuses content that would leave less than {@code annex.diskreserve} free
 * with git-annex's message and exit code; daemons whose path remote's disk (a small tmpfs) fills up while they push
 * into it stay up, say so in {@code status} on both sides, do not busy-loop, and converge once space returns,
 * without a restart.
 */
class DiskFullIT {
    private static final Duration PATIENCE = Duration.ofSeconds(120);

    @TempDir
    Path tmp;

    private DaemonFolders f;
    private GitAnnex tools;
    private final List<Path> mounts = new ArrayList<>();

    @BeforeEach
    void folders() {
        f = new DaemonFolders(tmp, 23);
        tools = f.tools();
    }

    @AfterEach
    void cleanUp() throws Exception {
        f.close();
        for (Path m : mounts) {
            run("umount", "-l", m.toString());
        }
    }

    @Test
    void getRefusesContentThatWouldLeaveLessThanTheReserveWithGitAnnexsMessageAndExitCode() throws Exception {
        Oracle.assumeGitAnnex();
        Path a = f.folder("a");
        Files.write(a.resolve("big.bin"), f.bytes(1 << 20));
        Cli.ok(a, "add", ".");
        Cli.ok(a, "commit", "-m", "big");
        Path b = tmp.resolve("b");
        tools.git(tmp, "clone", "-q", a.toString(), b.toString());
        Oracle.identity(tools, b);
        Cli.ok(b, "init", "b");
        tools.git(b, "config", "annex.diskreserve", "1000T");

        Cli.Run ours = Cli.run(b, "get", "big.bin");
        GitAnnex.Outcome theirs = tools.tryAnnex(b, "get", "big.bin");
        assertThat(ours.exitCode()).as("%s", ours).isEqualTo(theirs.exitCode()).isEqualTo(1);
        String message = line(theirs.err(), "not enough free space").orElseThrow(() -> new AssertionError(
                "git-annex said: " + theirs.all()));
        assertThat(message).matches("  not enough free space, need 9\\d\\d(\\.\\d\\d?)? TB more \\(use --force to "
                + "override this check or adjust annex.diskreserve\\)");
        assertThat(line(ours.err(), "not enough free space")).as("%s", ours).contains(message);
        assertThat(ours.out()).isEqualTo("get big.bin failed\n");
        assertThat(ours.err()).endsWith("get: 1 failed\n");
        JsonObject json = Oracle.jsonLines(Cli.run(b, "get", "--json", "big.bin").out()).get(0);
        assertThat(json.get("success").getAsBoolean()).isFalse();
        assertThat(json.getAsJsonArray("error-messages").get(0).getAsString()).isEqualTo(message.strip());
        assertThat(Files.list(b.resolve(".git/annex/tmp")).toList()).as("nothing written").isEmpty();

        assertThat(Cli.ok(b, "get", "--force", "big.bin").out()).isEqualTo("get big.bin (from origin...) ok\n");
        assertThat(Files.readAllBytes(b.resolve("big.bin"))).isEqualTo(Files.readAllBytes(a.resolve("big.bin")));
        Oracle.assertGitAnnexFsckPasses(tools, b);
    }

    @Test
    void commandsThatOnlyReadWorkOnAFullDiskAndLeaveTheJournalForLater() throws Exception {
        Path disk = tmpfs("disk", "8m");
        Path a = f.folder("disk/a");
        Files.write(a.resolve("one.bin"), f.bytes(64 << 10));
        Cli.ok(a, "add", "one.bin");
        Cli.ok(a, "commit", "-m", "one");
        Cli.ok(a, "status"); // creates the state database
        String uuids = tools.git(a, "show", "git-annex:uuid.log");
        Path journal = a.resolve(".git/annex/journal/uuid.log");
        Files.createDirectories(journal.getParent());
        String pending = uuids + "9a9e2c4e-1b8c-4c3e-9d55-2f6d0c6f1e11 a description still in the journal "
                + "timestamp=1700000000s\n";
        Files.writeString(journal, pending); // as a daemon busy on this repository would leave it

        try (Connection daemon = StateDb.open(a.resolve(".git"), "SELECT count(*) FROM sqlite_master")) {
            // a daemon keeps the state database open, so its WAL index exists; with none, SQLite cannot open it on a
            // disk without 32 KiB free, which StateDb reports as "no space left on device"
            fill(disk.resolve("filler"));
            readOnAFullDisk(a);
        }
        assertThat(Cli.ok(a, "info").out()).contains("a description still in the journal");
        assertThat(Files.readString(journal)).as("the journal is left for a command that writes").isEqualTo(pending);
        assertThat(tools.git(a, "show", "git-annex:uuid.log")).isEqualTo(uuids);
    }

    private static void readOnAFullDisk(Path a) {
        for (String[] command : List.of(new String[] {"status"}, new String[] {"whereis", "one.bin"},
                new String[] {"info"}, new String[] {"transfers"}, new String[] {"map"})) {
            Cli.Run run = Cli.run(a, command);
            assertThat(run.exitCode()).as("annex-sync %s on a full disk: %s", String.join(" ", command), run)
                    .isZero();
            assertThat(run.err()).as("%s", run).doesNotContain("No space left");
        }
    }

    @Test
    void daemonsPushingIntoARemoteWhoseDiskFilledUpStayUpSaySoAndConvergeWhenSpaceReturns() throws Exception {
        Path disk = tmpfs("disk", "24m");
        Path a = f.folder("a");
        Path b = f.folder("disk/b");
        DaemonFolders.link(a, "b", b);
        DaemonFolders.link(b, "a", a);
        tools.git(b, "config", "annex.diskreserve", "1MB");
        Daemon da = f.start("a", a);
        Daemon db = f.start("b", b);
        Files.write(a.resolve("one.bin"), f.bytes(2 << 20));
        f.awaitSame(PATIENCE, a, b);

        Path filler = disk.resolve("filler");
        fill(filler);
        Files.write(a.resolve("two.bin"), f.bytes(2 << 20));
        Files.writeString(a.resolve("notes.txt"), "written while b's disk is full\n");
        await("both sides say that b's disk is full, a owes b a push").atMost(PATIENCE)
                .pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                    assertThat(da.alive()).as("daemon a alive: %s", f.logs()).isTrue();
                    assertThat(db.alive()).as("daemon b alive: %s", f.logs()).isTrue();
                    assertThat(Cli.ok(b, "status").out()).contains("disk full at " + b + ": 0.");
                    String status = Cli.ok(a, "status").out();
                    assertThat(status).contains("disk full at " + b + ": 0.").contains("push owed to b");
                    assertThat(Oracle.jsonLines(Cli.ok(a, "status", "--json").out()))
                            .anySatisfy(o -> assertThat(o.has("disk-full") && o.get("repository").getAsString()
                                    .equals("b")).isTrue());
                    assertThat(da.status().orElseThrow().getAsJsonArray("disks-full")).as("a's daemon.json")
                            .anySatisfy(e -> assertThat(e.getAsJsonObject().get("path").getAsString())
                                    .isEqualTo(b.toString()));
                });

        Files.delete(filler); // space returns
        f.awaitSame(PATIENCE, a, b);
        assertThat(da.alive()).as("daemon a alive: %s", f.logs()).isTrue();
        assertThat(db.alive()).as("daemon b alive: %s", f.logs()).isTrue();
        await("the statuses no longer say the disk is full").atMost(PATIENCE).untilAsserted(() -> {
            assertThat(Cli.ok(a, "status").out()).doesNotContain("disk full").doesNotContain("push owed");
            assertThat(Cli.ok(b, "status").out()).doesNotContain("disk full");
        });
        String logA = Files.readString(a.resolve(".git/annex-sync/daemon.log"));
        assertThat(logA).doesNotContain("the assistant stops");
        assertThat(logA.lines().filter(l -> l.contains("cannot write the location logs")).count())
                .as("said once per repository and cause, not every 200 ms:\n%s", logA).isLessThanOrEqualTo(2);
        Oracle.assertEveryObjectVerifies(b);
        Oracle.assertGitAnnexFsckPasses(tools, b);
    }

    /** Writes {@code file} until its disk is full. */
    private static void fill(Path file) throws IOException {
        byte[] chunk = new byte[64 << 10];
        try (OutputStream out = Files.newOutputStream(file)) {
            while (true) {
                out.write(chunk);
            }
        } catch (IOException e) {
            assertThat(e.getMessage()).contains("No space left on device");
        }
    }

    /** A tmpfs of {@code size} mounted at {@code tmp/name}; the test is skipped where mounting is not allowed. */
    private Path tmpfs(String name, String size) throws Exception {
        Path dir = tmp.resolve(name);
        Files.createDirectories(dir);
        String[] mount = {"mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString()};
        String out = run(mount);
        assumeTrue(out.isEmpty(), "skipped: a tmpfs cannot be mounted here (this needs root, and mount(8) in the "
                + "test's namespace): " + out);
        mounts.add(dir);
        return dir;
    }

    /** Runs a command; empty when it succeeded, else its exit code and output. */
    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return "timed out";
        }
        return p.exitValue() == 0 ? "" : "exit " + p.exitValue() + ": " + out.strip();
    }

    private static Optional<String> line(String text, String containing) {
        return text.lines().filter(l -> l.contains(containing)).findFirst();
    }
}
