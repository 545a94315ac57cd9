package io.annexsync.app.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.annexsync.gitsync.testing.GitAnnex;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Wrong paths, missing repositories, damaged objects and killed runs: exit codes per docs/cli.md, nothing broken. */
class BadInputIT {
    @TempDir
    Path tmp;

    private GitAnnex tools;
    private Path repo;

    @BeforeEach
    void aRepositoryWithTwoFiles() throws IOException {
        Oracle.assumeGitAnnex();
        tools = new GitAnnex(tmp.resolve("home"));
        repo = tmp.resolve("repo");
        Files.createDirectories(repo);
        Cli.ok(repo, "init", "bad input");
        Oracle.identity(tools, repo);
        Files.writeString(repo.resolve("unlocked.txt"), "unlocked content\n");
        Files.writeString(repo.resolve("locked.bin"), "locked content, 31 bytes long\n");
        Cli.ok(repo, "add", "unlocked.txt");
        Cli.ok(repo, "add", "--locked", "locked.bin");
        Cli.ok(repo, "commit", "-m", "two files");
    }

    /**
     * What must not change when a command refuses: index, branches, status, objects. (Not refs/annex/: git status runs
     * git-annex's filter, which records its own refs/annex/last-index.)
     */
    private String state(Path dir) {
        return tools.git(dir, "ls-files", "-s")
                + tools.git(dir, "for-each-ref", "refs/heads", "refs/remotes")
                + tools.git(dir, "status", "--porcelain", "--untracked-files=all")
                + Oracle.assertEveryObjectVerifies(dir);
    }

    @Test
    void addOfAPathOutsideTheRepositoryFailsAndChangesNothing() throws IOException {
        Path outside = Files.writeString(tmp.resolve("outside.txt"), "not in the repository\n");
        String before = state(repo);
        Cli.Run add = Cli.run(repo, "add", outside.toString());
        assertThat(add.exitCode()).as("%s", add).isEqualTo(1);
        assertThat(add.out() + add.err()).contains("outside.txt").contains("not inside the work tree " + repo);
        assertThat(add.err()).contains("add: 1 failed");
        assertThat(state(repo)).isEqualTo(before);
    }

    @Test
    void whereisOfAPathOutsideTheRepositoryFailsWithExitOne() throws IOException {
        Cli.Run whereis = Cli.run(repo, "whereis", tmp.resolve("home").toString());
        assertThat(whereis.exitCode()).as("%s", whereis).isEqualTo(1);
        assertThat(whereis.err()).contains("is outside the repository " + repo);
    }

    @Test
    void aMissingFileFailsWithExitOneAndChangesNothing() {
        String before = state(repo);
        Cli.Run add = Cli.run(repo, "add", "no such file.txt");
        assertThat(add.exitCode()).as("%s", add).isEqualTo(1);
        assertThat(add.out() + add.err()).contains("no such file.txt").contains("no such file");
        for (String command : List.of("whereis", "get", "drop", "fsck")) {
            Cli.Run r = Cli.run(repo, command, "no such file.txt");
            assertThat(r.exitCode()).as("%s: %s", command, r).isEqualTo(1);
            assertThat(r.err()).contains("error: pathspec 'no such file.txt' did not match any file(s) known to git")
                    .contains(command + ": 1 failed");
        }
        assertThat(state(repo)).isEqualTo(before);
    }

    @Test
    void aFolderThatIsNotARepositoryExitsThreeAndSaysToRunInit() throws IOException {
        Path plain = Files.createDirectories(tmp.resolve("plain folder"));
        Files.writeString(plain.resolve("file.txt"), "x");
        for (String command : List.of("add", "whereis", "status", "fsck", "info")) {
            Cli.Run r = command.equals("add") ? Cli.run(plain, command, ".") : Cli.run(plain, command);
            assertThat(r.exitCode()).as("%s: %s", command, r).isEqualTo(3);
            assertThat(r.err()).contains(plain.toString()).contains("run 'annex-sync init'");
        }
        assertThat(plain.resolve(".git")).doesNotExist();
    }

    @Test
    void fsckMovesACorruptObjectToBadRecordsItGoneAndGitAnnexAgrees() throws IOException {
        String key = tools.annex(repo, "lookupkey", "locked.bin").strip();
        Path object = repo.resolve(tools.annex(repo, "contentlocation", key).strip());
        object.getParent().toFile().setWritable(true);
        object.toFile().setWritable(true);
        byte[] damaged = new byte[(int) Files.size(object)];
        Files.write(object, damaged);

        Cli.Run fsck = Cli.run(repo, "fsck");
        assertThat(fsck.exitCode()).as("%s", fsck).isEqualTo(1);
        assertThat(fsck.out()).contains("fsck locked.bin (checksum...) failed")
                .contains("fsck unlocked.txt (checksum...) ok");
        assertThat(fsck.err()).contains("locked.bin: Bad file content; moved to .git/annex/bad/" + key)
                .contains("fsck: 1 failed");
        Path bad = repo.resolve(".git/annex/bad/" + key);
        assertThat(bad).hasBinaryContent(damaged);
        assertThat(object).doesNotExist();
        assertThat(Cli.run(repo, "whereis", "locked.bin").exitCode()).isEqualTo(1);
        assertThat(Oracle.whereis(tools.tryAnnex(repo, "whereis", "--json", "locked.bin").out()).get("locked.bin"))
                .isEmpty();

        GitAnnex.Outcome theirs = tools.tryAnnex(repo, "fsck");
        assertThat(theirs.exitCode()).as("git annex fsck:\n%s", theirs.all()).isEqualTo(1);
        assertThat(theirs.all()).contains("No known copies exist of locked.bin").doesNotContain("fixing")
                .doesNotContain("moved to");
        assertThat(bad).hasBinaryContent(damaged);
        assertThat(Files.readString(repo.resolve("unlocked.txt"))).isEqualTo("unlocked content\n");
    }

    @Test
    void dropWithoutEnoughCopiesRefusesAndKeepsTheContent() {
        String before = state(repo);
        Cli.Run drop = Cli.run(repo, "drop", "locked.bin", "unlocked.txt");
        assertThat(drop.exitCode()).as("%s", drop).isEqualTo(1);
        assertThat(drop.err()).contains("Could only verify the existence of 0 out of 1 necessary copy")
                .contains("drop: 2 failed");
        assertThat(state(repo)).isEqualTo(before);
        Oracle.assertGitAnnexFsckPasses(tools, repo);
    }

    @Test
    void getOfAFileNoReachableRemoteHasFailsWithExitOneAndSaysWhy() throws IOException {
        Path clone = tmp.resolve("clone");
        tools.git(tmp, "clone", "-q", repo.toString(), clone.toString());
        Oracle.identity(tools, clone);
        Cli.ok(clone, "init", "clone");
        Files.move(repo, tmp.resolve("unplugged"));
        Cli.Run get = Cli.run(clone, "get", "locked.bin");
        assertThat(get.exitCode()).as("%s", get).isEqualTo(1);
        assertThat(get.out()).contains("get locked.bin failed");
        assertThat(get.err()).contains("remote origin is not reachable").contains(repo + " does not exist")
                .contains("get: 1 failed");
        assertThat(Oracle.assertEveryObjectVerifies(clone)).isEmpty();
        assertThat(tools.git(clone, "status", "--porcelain")).isEmpty();
    }

    /** An unknown remote means the command cannot run at all: exit 4 with a message naming it (see the report). */
    @Test
    void copyToAnUnknownRemoteNamesItAndChangesNothing() {
        String before = state(repo);
        Cli.Run copy = Cli.run(repo, "copy", "--to", "nowhere", ".");
        assertThat(copy.exitCode()).as("%s", copy).isEqualTo(4);
        assertThat(copy.err()).contains("there is no remote called nowhere");
        assertThat(state(repo)).isEqualTo(before);
    }

    @Test
    void remoteAddOfAFolderThatIsNotARepositoryAddsNoRemote() throws IOException {
        Path plain = Files.createDirectories(tmp.resolve("just a folder"));
        String before = state(repo);
        Cli.Run add = Cli.run(repo, "remote", "add", "usb", plain.toString());
        assertThat(add.exitCode()).as("%s", add).isEqualTo(4);
        assertThat(add.err()).contains(plain + " is not a git repository");
        assertThat(tools.git(repo, "remote")).isEmpty();
        assertThat(state(repo)).isEqualTo(before);
    }

    @Test
    void anAddKilledHalfwayLeavesNoPartialObjectAndARerunCompletes() throws Exception {
        writeBigFiles(8);
        Path annexTmp = Files.createDirectories(repo.resolve(".git/annex/tmp"));
        Process add = launch(repo, "add", "big");
        try {
            awaitCreations(annexTmp, 3, add);
        } finally {
            add.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no finally blocks in the child
            assertThat(add.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(add.exitValue()).as("killed, not finished").isEqualTo(137);

        Oracle.assertEveryObjectVerifies(repo);
        assertNoPointerWithoutContent();
        Path lock = repo.resolve(".git/index.lock");
        if (Files.exists(lock)) {
            Cli.Run blocked = Cli.run(repo, "add", "big");
            assertThat(blocked.exitCode()).as("%s", blocked).isEqualTo(4);
            assertThat(blocked.err()).contains(lock + " exists").contains("remove " + lock);
            Files.delete(lock); // what the message tells the user to do once no git or annex-sync is running
        }
        Cli.Run rerun = Cli.ok(repo, "add", "big");
        assertThat(rerun.out()).contains("add big/file 7.bin ok");
        Cli.ok(repo, "commit", "-m", "big files after a crash");
        assertThat(Oracle.assertEveryObjectVerifies(repo)).hasSize(10);
        assertNoPointerWithoutContent();
        try (Stream<Path> left = Files.list(annexTmp)) {
            assertThat(left).as("ingest temp files left by the killed run").isEmpty();
        }
        Oracle.assertGitAnnexFsckPasses(tools, repo);
        assertThat(tools.git(repo, "status", "--porcelain")).isEmpty();
    }

    @Test
    void aSecondAddWhileOneIsRunningIsRefusedWithoutDisturbingTheFirst() throws Exception {
        writeBigFiles(4);
        Path annexTmp = Files.createDirectories(repo.resolve(".git/annex/tmp"));
        Process first = launch(repo, "add", "big");
        try {
            awaitCreations(annexTmp, 1, first);
            Cli.Run second = Cli.run(repo, "add", "big");
            assertThat(second.exitCode()).as("%s", second).isEqualTo(4);
            assertThat(second.err()).contains(repo.resolve(".git/index.lock") + " exists");
            assertThat(first.waitFor(120, TimeUnit.SECONDS)).isTrue();
        } finally {
            first.destroyForcibly();
        }
        assertThat(first.exitValue()).as(Files.readString(tmp.resolve("killed-add.log"))).isZero();
        assertThat(Oracle.assertEveryObjectVerifies(repo)).hasSize(6);
        assertNoPointerWithoutContent();
    }

    private void writeBigFiles(int count) throws IOException {
        Path big = Files.createDirectories(repo.resolve("big"));
        Random random = new Random(3);
        byte[] block = new byte[1 << 20];
        for (int i = 0; i < count; i++) {
            random.nextBytes(block);
            try (var out = Files.newOutputStream(big.resolve("file " + i + ".bin"))) {
                for (int mib = 0; mib < 40; mib++) {
                    out.write(block, 0, block.length);
                    block[mib] ^= 1;
                }
            }
        }
    }

    private Process launch(Path dir, String... args) throws IOException {
        Path launcher = Path.of("").toAbsolutePath().getParent().resolve("bin/annex-sync");
        assertThat(launcher).as("run from the app module").isExecutable();
        List<String> command = new ArrayList<>(List.of(launcher.toString(), "-C", dir.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("killed-add.log").toFile());
        tools.environment(pb.environment());
        return pb.start();
    }

    /** Waits (bounded) until {@code n} files were created in {@code dir}, failing if the process ends first. */
    private static void awaitCreations(Path dir, int n, Process process) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        try (WatchService watch = FileSystems.getDefault().newWatchService()) {
            dir.register(watch, StandardWatchEventKinds.ENTRY_CREATE);
            int created = 0;
            while (created < n) {
                assertThat(process.isAlive()).as("add still running after %d temp files", created).isTrue();
                long left = deadline - System.nanoTime();
                assertThat(left).as("waiting for %d temp files in %s", n, dir).isPositive();
                WatchKey key = watch.poll(Math.min(left, TimeUnit.SECONDS.toNanos(1)), TimeUnit.NANOSECONDS);
                if (key != null) {
                    created += key.pollEvents().size();
                    key.reset();
                }
            }
        } catch (ClosedWatchServiceException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every annexed file in the index (symlink or pointer) has its content in the object store. */
    private void assertNoPointerWithoutContent() {
        String files = tools.annex(repo, "find", "--include=*", "--format=${file}\\n");
        String missing = tools.annex(repo, "find", "--not", "--in=here", "--include=*", "--format=${file}\\n");
        assertThat(missing).as("annexed files without content, of:\n%s", files).isEmpty();
    }
}
