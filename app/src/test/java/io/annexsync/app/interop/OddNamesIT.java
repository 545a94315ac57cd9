package io.annexsync.app.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.annexsync.gitsync.testing.GitAnnex;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * File names git accepts on Linux, each through {@code add} and the daemon, {@code commit}, {@code sync --content} to
 * a second repository, {@code whereis}, {@code drop}, {@code get} and real {@code git annex fsck} (the table of
 * {@link Name}), and the two that annex-sync refuses up front with a message that names them, adding nothing of them
 * and going on with the others: a newline in the name of a file that would be annexed unlocked (git-annex's filter
 * cannot tell its key, so git showed it modified forever, and its transfer record failed with a stack trace; it is
 * added locked as git-annex adds it), and a name that is not valid UTF-8 (the JDK cannot open it). Every path
 * argument is taken literally: no glob, no backslash read as a separator.
 *
 * <p>What real git-annex 10.20230126 did with the same names (a repository with every name of the table plus
 * {@code bad\377.txt} and {@code a.txt}, {@code git annex add -- .} locked, then again with
 * {@code annex.addunlocked=true}; a clone with {@code git annex sync --content}, then {@code whereis}, {@code drop},
 * {@code get} and {@code fsck} of each name by name): every name was added (exit 0), synced, listed with its two
 * copies, dropped, got back and passed fsck, locked and unlocked, {@code *?[].txt} and {@code [ab].txt} matched
 * themselves only (a.txt beside them untouched), the 4,000-byte path and the 255-byte name included. It refuses none
 * of them up front; the one that does not work is a newline in an unlocked name: after {@code get} in the clone,
 * {@code git status} showed {@code M "new\nline.txt"}. annex-sync therefore refuses exactly that unlocked (and adds
 * it locked), and refuses the non-UTF-8 name, which the JDK cannot open whatever it does (see docs/cli.md).
 */
class OddNamesIT {
    private static final String NEWLINE = "a\nb";
    private static final String PROBLEM = "a file name with a newline cannot be an unlocked annexed file";

    @TempDir
    Path tmp;

    private GitAnnex tools;
    private Path ours;

    @BeforeEach
    void aFolderWithOddNames() throws IOException {
        Oracle.assumeGitAnnex();
        tools = new GitAnnex(tmp.resolve("home"));
        ours = Files.createDirectories(tmp.resolve("ours"));
        Cli.ok(ours, "init", "ours");
        Oracle.identity(tools, ours);
        writeOddFiles(ours);
    }

    @Test
    void addRefusesTheNamesItCannotTakeUnlockedAndAddsThemLockedAsGitAnnexDoes() throws IOException {
        Cli.Run add = Cli.run(ours, "add", ".");
        assertThat(add.exitCode()).as("%s", add).isEqualTo(1);
        assertThat(add.out()).contains("add c.txt ok");
        assertThat(add.err()).contains("add " + NEWLINE + " failed: " + PROBLEM)
                .contains("failed: its name is not valid UTF-8").contains("add: 2 failed").doesNotContain("Exception");
        assertThat(tools.git(ours, "status", "--porcelain")).as("nothing half-added")
                .isEqualTo("A  c.txt\n?? \"a\\nb\"\n?? \"bad\\377\"\n");
        assertThat(Oracle.assertEveryObjectVerifies(ours)).as("only c.txt's content is in the store").hasSize(1);

        Cli.ok(ours, "add", "--locked", NEWLINE);
        Cli.ok(ours, "commit", "-m", "odd names");
        assertThat(tools.git(ours, "status", "--porcelain")).isEqualTo("?? \"bad\\377\"\n");
        Path twin = tools.initAnnexRepo(tmp.resolve("twin"));
        writeOddFiles(twin);
        tools.annex(twin, "add", NEWLINE);
        assertThat(stagedEntry(ours)).as("the same symlink as git-annex's").isEqualTo(stagedEntry(twin));
    }

    @Test
    void aFileAddedLockedWithANewlineInItsNameMovesToAClonesWithSyncContent() throws IOException {
        Cli.ok(ours, "add", "--locked", NEWLINE, "c.txt");
        Cli.ok(ours, "commit", "-m", "a newline");
        Path clone = tmp.resolve("clone");
        tools.git(tmp, "clone", "-q", ours.toString(), clone.toString());
        Oracle.identity(tools, clone);
        Cli.ok(clone, "init", "clone");
        Cli.Run sync = Cli.run(clone, "sync", "--content");
        assertThat(sync.exitCode()).as("%s", sync).isZero();
        assertThat(sync.out()).contains("get " + NEWLINE + " (from origin...) ok");
        assertThat(Files.readString(clone.resolve(NEWLINE))).isEqualTo("x\n");
        assertThat(tools.git(clone, "status", "--porcelain")).isEmpty();
        Oracle.assertGitAnnexFsckPasses(tools, clone);

        Path theirs = tmp.resolve("theirs");
        tools.git(tmp, "clone", "-q", ours.toString(), theirs.toString());
        tools.annex(theirs, "init", "theirs");
        tools.annex(theirs, "get", NEWLINE);
        assertThat(Files.readString(theirs.resolve(NEWLINE))).isEqualTo("x\n");
    }

    @Test
    void syncCommitsTheOtherFilesAndSaysWhichItLeftOut() throws IOException {
        Cli.Run sync = Cli.run(ours, "sync");
        assertThat(sync.exitCode()).as("%s", sync).isEqualTo(1);
        assertThat(sync.err()).contains("not committed: " + NEWLINE + ": " + PROBLEM)
                .contains("not committed: bad\uFFFD: its name is not valid UTF-8").doesNotContain("Exception");
        assertThat(Oracle.committed(tools, ours, "c.txt")).isTrue();
        assertThat(Oracle.committed(tools, ours, NEWLINE)).isFalse();
        assertThat(tools.git(ours, "status", "--porcelain")).isEqualTo("?? \"a\\nb\"\n?? \"bad\\377\"\n");
    }

    @Test
    void theDaemonLogsARefusedFileOnceListsItAndCommitsTheOthers() throws Exception {
        try (DaemonFolders folders = new DaemonFolders(tmp.resolve("daemon"), 1)) {
            Path dir = folders.folder("watched");
            Daemon daemon = folders.start("watched", dir);
            Files.writeString(dir.resolve("x\ny"), "one\n");
            Files.writeString(dir.resolve("ok.txt"), "fine\n");
            await("ok.txt committed").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> Oracle.committed(tools, dir, "ok.txt"));
            await("x\\ny listed").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> Cli.ok(dir, "status").out().contains("not committed: x\\ny: " + PROBLEM));
            Files.writeString(dir.resolve("x\ny"), "two\n");
            Files.writeString(dir.resolve("ok2.txt"), "fine too\n");
            await("ok2.txt committed").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> Oracle.committed(tools, dir, "ok2.txt"));
            assertThat(notAddedLines(dir)).as("logged once: %s", daemon.output()).hasSize(1);
            assertThat(Oracle.committed(tools, dir, "x\ny")).isFalse();
            assertThat(daemon.alive()).isTrue();

            Files.move(dir.resolve("x\ny"), dir.resolve("xy"));
            await("the renamed file committed").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> Oracle.committed(tools, dir, "xy"));
            await("x\\ny no longer listed").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> !Cli.ok(dir, "status").out().contains("not committed"));
            assertThat(daemon.output()).doesNotContain("Exception");
        }
    }

    /** The names of the table: what git accepts on Linux, each in a folder of its own beside {@code a.txt}. */
    enum Name {
        BACKSLASH("back\\slash.txt"),
        TAB("tab\there.txt"),
        CARRIAGE_RETURN("carriage\rreturn.txt"),
        LEADING_DASH("-dash.txt"),
        GLOB_CHARACTERS("*?[].txt"),
        /** A glob that would match {@code a.txt} beside it. */
        BRACKETS("[ab].txt"),
        HASH_FIRST("#hash.txt"),
        TILDE_FIRST("~tilde.txt"),
        /** The longest name Linux file systems take. */
        NAME_OF_255_BYTES("n".repeat(251) + ".txt"),
        /** 19 folders of 199 bytes, then a name of 200: a path of 4,000 bytes, under PATH_MAX with its folder. */
        PATH_OF_4000_BYTES(("d".repeat(199) + "/").repeat(19) + "f".repeat(196) + ".txt"),
        /** Refused unlocked (see the class comment), added locked. */
        NEWLINE("new\nline.txt");

        final String path;

        Name(String path) {
            this.path = path;
        }

        boolean lockedOnly() {
            return this == NEWLINE;
        }
    }

    @ParameterizedTest
    @EnumSource(Name.class)
    void everyNameGitAcceptsIsAddedSyncedListedDroppedAndGotBack(Name name) throws IOException {
        String path = name.path;
        assertThat(path.getBytes(StandardCharsets.UTF_8).length).as("bytes of %s", name)
                .isLessThanOrEqualTo(4000);
        Path mine = Files.createDirectories(tmp.resolve("mine"));
        Cli.ok(mine, "init", "mine");
        Oracle.identity(tools, mine);
        write(mine, "a.txt", "a\n");
        write(mine, path, "content of " + name + "\n");
        if (name.lockedOnly()) {
            Cli.Run refused = Cli.run(mine, "add", "--", path);
            assertThat(refused.exitCode()).as("%s unlocked: %s", name, refused).isEqualTo(1);
            assertThat(refused.err()).as("%s", name).contains("add " + path + " failed: " + PROBLEM);
        }
        Cli.Run add = name.lockedOnly() ? Cli.run(mine, "add", "--locked", "--", path)
                : Cli.run(mine, "add", "--", path);
        assertThat(add.exitCode()).as("%s: %s", name, add).isZero();
        assertThat(add.out()).as("%s", name).isEqualTo("add " + path + " ok\n");
        assertThat(tools.git(mine, "ls-files", "-z")).as("%s, taken literally", name).isEqualTo(path + "\0");
        Cli.ok(mine, "add", "a.txt");
        Cli.ok(mine, "commit", "-m", name.toString());

        Path theirs = tmp.resolve("theirs");
        tools.git(tmp, "clone", "-q", mine.toString(), theirs.toString());
        Oracle.identity(tools, theirs);
        Cli.ok(theirs, "init", "theirs");
        Cli.Run sync = Cli.run(theirs, "sync", "--content");
        assertThat(sync.exitCode()).as("%s: %s", name, sync).isZero();
        assertThat(Files.readString(theirs.resolve(path))).as("%s synced", name)
                .isEqualTo("content of " + name + "\n");

        Cli.Run whereis = Cli.run(theirs, "whereis", "--json", "--", path);
        assertThat(whereis.exitCode()).as("%s: %s", name, whereis).isZero();
        assertThat(Oracle.whereis(whereis.out())).as("%s: annex-sync's whereis", name).containsOnlyKeys(path)
                .allSatisfy((file, uuids) -> assertThat(uuids).hasSize(2));
        assertThat(Oracle.whereis(tools.annex(theirs, "whereis", "--json", "--", path)))
                .as("%s: git-annex's whereis", name).containsOnlyKeys(path)
                .allSatisfy((file, uuids) -> assertThat(uuids).hasSize(2));

        Cli.Run drop = Cli.run(theirs, "drop", "--", path);
        assertThat(drop.exitCode()).as("%s: %s", name, drop).isZero();
        assertThat(Oracle.assertEveryObjectVerifies(theirs)).as("%s dropped", name).hasSize(1); // a.txt's
        Cli.Run get = Cli.run(theirs, "get", "--", path);
        assertThat(get.exitCode()).as("%s: %s", name, get).isZero();
        assertThat(Files.readString(theirs.resolve(path))).as("%s got", name).isEqualTo("content of " + name + "\n");

        for (Path repo : List.of(mine, theirs)) {
            Oracle.assertGitAnnexFsckPasses(tools, repo);
            assertThat(tools.git(repo, "status", "--porcelain")).as("%s in %s", name, repo.getFileName()).isEmpty();
        }
    }

    @Test
    void aNameThatIsNotUtf8GivenOnTheCommandLineIsRefusedNamingIt() throws Exception {
        Cli.Run add = CliProcess.start(tools, tmp.resolve("logs"), "add-bad", ours, Map.of(),
                List.of("sh", "-c", "exec \"$0\" \"$@\" \"$(printf 'bad\\377')\""), "add", "--", "c.txt").finish();
        assertThat(add.exitCode()).as("%s", add).isEqualTo(1);
        assertThat(add.out()).contains("add c.txt ok");
        assertThat(add.err()).contains("add bad\uFFFD failed: its name is not valid UTF-8").contains("add: 1 failed")
                .doesNotContain("no such file");
        assertThat(tools.git(ours, "status", "--porcelain", "--", "c.txt", "bad*"))
                .isEqualTo("A  c.txt\n?? \"bad\\377\"\n");
    }

    @Test
    void theDaemonsCommitSyncAndFetchEveryNameOfTheTable() throws Exception {
        try (DaemonFolders folders = new DaemonFolders(tmp.resolve("daemons"), 4)) {
            Path a = folders.folder("a");
            Path b = folders.folder("b");
            DaemonFolders.link(a, "b", b);
            DaemonFolders.link(b, "a", a);
            folders.start("a", a);
            folders.start("b", b);
            Map<String, String> expected = new TreeMap<>();
            for (Name name : Name.values()) {
                if (!name.lockedOnly()) {
                    write(a, name.path, "written for the daemon: " + name + "\n");
                    expected.put(name.path, Oracle.sha256(a.resolve(name.path)));
                }
            }
            folders.awaitContents(Duration.ofSeconds(180), expected, a, b);
            shell(a, "printf 'not UTF-8\\n' > \"$(printf 'bad\\377.txt')\"");
            await("the name that is not UTF-8 listed").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200)).until(() -> Cli.ok(a, "status").out()
                            .contains("not committed: bad\uFFFD.txt: its name is not valid UTF-8"));
            for (Name name : Name.values()) {
                assertThat(Oracle.committed(tools, a, name.path)).as("%s committed by a's daemon", name)
                        .isEqualTo(!name.lockedOnly());
            }
            folders.close();
            for (Path repo : List.of(a, b)) {
                Oracle.assertGitAnnexFsckPasses(tools, repo);
                Map<String, Set<String>> where = Oracle.whereis(tools.annex(repo, "whereis", "--json"));
                for (Name name : Name.values()) {
                    if (!name.lockedOnly()) {
                        assertThat(where.get(name.path)).as("%s: git-annex's whereis in %s", name, repo.getFileName())
                                .hasSize(2);
                    }
                }
            }
        }
    }

    private static void write(Path dir, String path, String content) throws IOException {
        Path file = dir.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private static List<String> notAddedLines(Path dir) throws IOException {
        return Files.readAllLines(dir.resolve(".git/annex-sync/daemon.log")).stream()
                .filter(l -> l.contains("not committed: x\\ny")).toList();
    }

    /** The index entry of {@link #NEWLINE}: mode, blob (the symlink text) and path. */
    private String stagedEntry(Path repo) {
        return tools.git(repo, "ls-files", "-s", "--", NEWLINE).strip();
    }

    private static void writeOddFiles(Path dir) throws IOException {
        Files.writeString(dir.resolve(NEWLINE), "x\n");
        Files.writeString(dir.resolve("c.txt"), "c\n");
        // a name that is not valid UTF-8 (byte 0xff), made by the shell: the JDK cannot name it
        shell(dir, "printf 'z\\n' > \"$(printf 'bad\\377')\"");
    }

    private static void shell(Path dir, String script) throws IOException {
        Process p = new ProcessBuilder("sh", "-c", script).directory(dir.toFile()).start();
        try {
            assertThat(p.waitFor()).isZero();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
