package io.annexsync.app.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.annexsync.gitsync.testing.GitAnnex;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Folders that cannot be written, on real file systems (a tmpfs remounted read-only, a folder bind-mounted read-only,
 * a small tmpfs that fills): each command says in one line what it could not write and why, with the documented exit
 * code (docs/cli.md), no "internal error" and no stack trace on the terminal; nothing half-made enters an object
 * store; and the daemon whose disk fills during a transfer keeps running and gets the content once there is room.
 * Commands run through bin/annex-sync in processes of their own, so their terminal output is what a person sees.
 * Needs root (mount); skipped otherwise.
 */
class UnwritableDisksIT {
    private static final long MIB = 1L << 20;
    private static final String BIG = "big.bin";

    @TempDir
    Path tmp;

    private GitAnnex tools;
    private Mounts mounts;
    private Path logs;
    /** A repository holding {@link #BIG} (4 MiB) and small.txt, on the ordinary disk. */
    private Path origin;
    private String key;

    @BeforeEach
    void anOriginWithContent() throws Exception {
        Oracle.assumeGitAnnex();
        Mounts.assumeAvailable(tmp);
        mounts = new Mounts();
        tools = new GitAnnex(tmp.resolve("home"));
        logs = tmp.resolve("logs");
        origin = Files.createDirectories(tmp.resolve("origin"));
        Cli.ok(origin, "init", "origin");
        Oracle.identity(tools, origin);
        writeRandom(origin.resolve(BIG), 4 * MIB);
        Files.writeString(origin.resolve("small.txt"), "small\n");
        Cli.ok(origin, "add", BIG, "small.txt");
        Cli.ok(origin, "commit", "-m", "content");
        key = tools.annex(origin, "lookupkey", BIG).strip();
    }

    @AfterEach
    void unmount() throws Exception {
        if (mounts != null) {
            mounts.close();
        }
    }

    @Test
    void initInAReadOnlyFolderSaysWhereAndWhy() throws Exception {
        Path empty = mounts.tmpfs(tmp.resolve("ro-empty"), "1m");
        mounts.remountReadOnly(empty);
        Cli.Run init = run(empty, "init");
        assertThat(init.exitCode()).as("%s", init).isEqualTo(4);
        assertThat(init.err()).isEqualTo("annex-sync: cannot initialise " + empty + ": " + empty
                + "/.git: read-only file system\n");
        assertThat(tools.tryGit(empty, "init").err()).as("git init fails there too").contains("Read-only file system");

        Path repo = Files.createDirectories(tmp.resolve("ro-git"));
        tools.git(repo, "init", "-q");
        mounts.bindReadOnly(repo);
        Cli.Run adopt = run(repo, "init");
        assertThat(adopt.exitCode()).as("%s", adopt).isEqualTo(4);
        assertThat(adopt.err()).isEqualTo("annex-sync: cannot initialise " + repo + ": " + repo
                + "/.git/config.lock: read-only file system\n");
        assertThat(tools.tryAnnex(repo, "init").exitCode()).as("git annex init fails there too").isNotZero();
    }

    @Test
    void copyToAReadOnlyRemoteFailsThatFileWithTheRemotesPathAndTheCause() throws Exception {
        Path remote = tmp.resolve("ro-remote");
        tools.git(tmp, "clone", "-q", origin.toString(), remote.toString());
        Cli.ok(remote, "init", "ro-remote");
        Cli.ok(origin, "remote", "add", "ro", remote.toString());
        mounts.bindReadOnly(remote);

        Cli.Run copy = run(origin, "copy", "--to", "ro", BIG);
        assertThat(copy.exitCode()).as("%s", copy).isEqualTo(1);
        assertThat(copy.out()).contains("copy " + BIG + " (to ro...) failed");
        assertThat(copy.err()).as("%s", copy).contains(remote + "/.git/annex/").contains("read-only file system")
                .contains("copy: 1 failed");
        assertClean(copy);
        assertThat(objects(remote)).as("nothing in the read-only remote's store").isEmpty();
        assertThat(tools.tryAnnex(origin, "copy", "--to", "ro", BIG).exitCode()).as("git annex copy fails too")
                .isEqualTo(1);
    }

    @Test
    void getIntoAFullDiskKeepsThePartialOutOfTheStoreAndContinuesItOnceThereIsRoom() throws Exception {
        Path disk = mounts.tmpfs(tmp.resolve("small-disk"), "2m");
        Path ours = disk.resolve("ours");
        tools.git(tmp, "clone", "-q", origin.toString(), ours.toString());
        Oracle.identity(tools, ours);
        Cli.ok(ours, "init", "ours");
        tools.git(ours, "config", "annex.diskreserve", "1MiB");
        Path partial = ours.resolve(".git/annex/tmp").resolve(key);

        Cli.Run refused = run(ours, "get", BIG);
        assertThat(refused.exitCode()).as("%s", refused).isEqualTo(1);
        assertThat(refused.err()).as("the free-space check, before any byte is written").contains(
                "not enough free space, need").contains("adjust annex.diskreserve");
        assertThat(partial).doesNotExist();

        Cli.Run get = run(ours, "get", "--force", BIG); // past the check: the disk fills during the copy
        assertThat(get.exitCode()).as("%s", get).isEqualTo(1);
        assertThat(get.out()).contains("get " + BIG + " failed");
        assertThat(get.err()).as("%s", get).contains("copying " + BIG + " from origin into " + partial
                + " failed: no space left on device (the partial copy is kept; the next try continues it)")
                .contains("get: 1 failed");
        assertClean(get);
        assertThat(objects(ours)).as("nothing in the store").isEmpty();
        long kept = Files.size(partial);
        assertThat(kept).as("the partial file is kept, as documented").isPositive().isLessThan(4 * MIB);

        mounts.resize(disk, "20m");
        JsonObject again = Oracle.jsonLines(run(ours, "get", "--json", BIG).out()).get(0);
        assertThat(again.get("success").getAsBoolean()).as("%s", again).isTrue();
        assertThat(again.get("resumed-from").getAsLong()).isEqualTo(kept);
        assertThat(Oracle.assertEveryObjectVerifies(ours)).hasSize(1);
        Oracle.assertGitAnnexFsckPasses(tools, ours);
    }

    @Test
    void addOnAFullDiskAddsWhatFitsAndNamesWhatDoesNot() throws Exception {
        Path disk = mounts.tmpfs(tmp.resolve("small-disk"), "3m");
        Path repo = Files.createDirectories(disk.resolve("repo"));
        Cli.ok(repo, "init", "repo");
        Oracle.identity(tools, repo);
        writeRandom(repo.resolve("too-big.bin"), 2 * MIB);
        Files.writeString(repo.resolve("fits.txt"), "fits\n");
        fillUpTo(disk, MIB);

        Cli.Run add = run(repo, "add", ".");
        assertThat(add.exitCode()).as("%s", add).isEqualTo(1);
        assertThat(add.out()).contains("add fits.txt ok");
        assertThat(add.err()).as("%s", add).contains("add too-big.bin failed: cannot copy " + repo
                + "/too-big.bin into the annex (" + repo + "/.git/annex/tmp/").contains("): no space left on device")
                .contains("add: 1 failed");
        assertClean(add);
        assertThat(objects(repo)).as("only fits.txt's content").hasSize(1);
        assertThat(tools.git(repo, "status", "--porcelain")).isEqualTo("A  fits.txt\n?? too-big.bin\n");
        try (Stream<Path> left = Files.list(repo.resolve(".git/annex/tmp"))) {
            assertThat(left).as("no ingest file left").isEmpty();
        }

        fillUpTo(disk, 0);
        Cli.Run full = run(repo, "add", ".");
        assertThat(full.exitCode()).as("%s", full).isEqualTo(4);
        assertThat(full.err()).as("%s", full).startsWith("annex-sync: ").contains(repo + "/.git/annex-sync/state.db")
                .contains("no space left on device").hasLineCount(1);
        assertClean(full);
    }

    /**
     * The daemon's download fills its disk (something else writes the disk full while it runs, after the free-space
     * check let it start): the transfer fails (the partial deleted, so the disk is usable again), the daemon keeps
     * running, nothing enters the store, and the queue tries again later, which works once there is room (the retry
     * comes a minute after the failure).
     */
    @Test
    void theDaemonWhoseDiskFillsDuringATransferKeepsRunningAndTriesAgainLater() throws Exception {
        Path disk = mounts.tmpfs(tmp.resolve("daemon-disk"), "12m");
        Path watched = disk.resolve("watched");
        tools.git(tmp, "clone", "-q", origin.toString(), watched.toString());
        Oracle.identity(tools, watched);
        Cli.ok(watched, "init", "watched");
        tools.git(watched, "config", "annex.diskreserve", "0");
        tools.git(watched, "config", "remote.origin.annex-bwlimit", "1MiB"); // four seconds to fill the disk in
        Path partial = watched.resolve(".git/annex/tmp").resolve(key);
        try (Daemon daemon = Daemon.start("watched", watched, logs, tools)) {
            await("the download under way").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> Files.isRegularFile(partial) && Files.size(partial) > 0);
            fillUpTo(disk, 0);
            await("the failed download queued again").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(250)).until(() -> queuedError(watched).contains(
                            "no space left on device (the partial copy is deleted"));
            assertThat(daemon.alive()).as("%s", daemon.output()).isTrue();
            assertThat(objects(watched)).as("nothing of %s in the store", BIG)
                    .noneMatch(p -> p.getFileName().toString().equals(key));
            assertThat(watched.resolve(".git/annex/tmp").resolve(key)).doesNotExist();
            assertThat(Cli.ok(watched, "status").out()).contains("assistant: running");

            mounts.resize(disk, "30m");
            await("the content, on the retry").atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> tools.tryAnnex(watched, "find", "--in=here", BIG).out().contains(BIG));
            assertThat(daemon.alive()).isTrue();
            assertThat(daemon.output()).doesNotContain("Exception");
        }
        assertThat(Oracle.assertEveryObjectVerifies(watched)).hasSize(2); // small.txt's too
        Oracle.assertGitAnnexFsckPasses(tools, watched);
    }

    /** The last error of the queued download of {@link #BIG}, or empty. */
    private String queuedError(Path repo) {
        JsonObject t = Oracle.jsonLines(Cli.ok(repo, "transfers", "--json").out()).get(0);
        JsonArray queued = t.getAsJsonArray("queued");
        for (var e : queued) {
            JsonObject q = e.getAsJsonObject();
            if (q.get("key").getAsString().equals(key) && !q.get("last-error").isJsonNull()) {
                return q.get("last-error").getAsString();
            }
        }
        return "";
    }

    private Cli.Run run(Path dir, String... args) throws Exception {
        return CliProcess.run(tools, logs, String.join("-", args) + "-" + System.nanoTime(), dir, Map.of(), args);
    }

    /** What a person sees on the terminal: no crash report, no stack trace. */
    private static void assertClean(Cli.Run r) {
        assertThat(r.out() + r.err()).as("%s", r).doesNotContain("internal error").doesNotContain("Exception")
                .doesNotContain("\tat ");
    }

    private static List<Path> objects(Path repo) throws IOException {
        Path dir = repo.resolve(".git/annex/objects");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    /** Fills the disk of {@code dir} with a file until at most {@code free} bytes are left (0: until it is full). */
    private static void fillUpTo(Path dir, long free) throws IOException {
        Path filler = dir.resolve("filler-" + System.nanoTime());
        byte[] block = new byte[4096];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (free == 0 || Files.getFileStore(dir).getUsableSpace() > free) {
                out.write(block);
                out.flush();
            }
        } catch (IOException full) {
            // no space left: what was wanted
        }
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
}
