package io.annexsync.app.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import io.annexsync.gitsync.testing.GitAnnex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A repository written by annex-sync, checked by real git-annex: fsck, whereis, info, and a clone that gets it all. */
class AnnexSyncRepoInteropIT {
    private static final String[] NAMES = {
        "notes/todo.txt", "notes/ideas for later.md", "notes/Ünïcödé naïve.txt", "notes/日本語のメモ.txt",
        "photos/2024/beach.jpg", "photos/2024/sunset at sea.JPG", "photos/2024/ünder wäter.jpeg",
        "photos/raw/IMG_0001.CR2", "photos/raw/IMG 0002.cr2", "archive/backup.tar.gz", "archive/old site.tar.bz2",
        "archive/data.2019.tar.xz", "archive/no extension", "archive/Makefile", "music/a - b/01 intro.flac",
        "music/a - b/02 øresund.mp3", "docs/report.pdf", "docs/draft.v2.docx", "docs/deep/er/still/file.odt",
        "empty.bin", "empty too", "one byte.x", "code/Main.java", "code/lib.so.1", "code/tool.sh",
        "video/clip.mkv", "video/clip with spaces.mp4", "misc/a&b%c.dat", "misc/comma,semi;colon.csv",
        "misc/quote's.txt", "misc/émoji 🎉.bin", "misc/very.long.name.with.many.dots.tar.gz",
        "misc/UPPER.TXT", "misc/trailing-dash-.txt", "misc/x.1234567890", "misc/y.-", "sizes/4k.bin",
        "sizes/64k.bin", "sizes/1m-minus-1.bin", "sizes/3m.bin", ".hidden", ".config/settings.json",
        "notes/.env", "photos/.thumbs/t1.jpg", "locked/frozen.iso", "locked/frozen copy.img",
        "locked/nested/ünlocked? no, locked.txt", "locked/nested/big.tar.gz", "locked/empty.lock", "README"
    };

    @TempDir
    static Path tmp;

    private static GitAnnex tools;
    private static Path repo;
    private static Map<String, String> written;

    @BeforeAll
    static void annexSyncMakesARepository() throws IOException {
        if (!Oracle.gitAnnexInstalled()) {
            return; // each test is skipped in @BeforeEach, so the report counts them as skipped
        }
        tools = new GitAnnex(tmp.resolve("home"));
        repo = tmp.resolve("made by annex-sync");
        Files.createDirectories(repo);
        Cli.ok(repo, "init", "annex-sync repo");
        Oracle.identity(tools, repo);
        writeFiles(repo);
        written = Oracle.contents(repo);
        assertThat(written).hasSize(50);
        List<String> unlocked = new ArrayList<>();
        try (var top = Files.list(repo)) {
            top.filter(p -> !p.getFileName().toString().equals(".git") && !p.getFileName().toString().equals("locked"))
                    .forEach(p -> unlocked.add(p.getFileName().toString()));
        }
        List<String> add = new ArrayList<>(List.of("add"));
        add.addAll(unlocked);
        Cli.ok(repo, add.toArray(String[]::new));
        Cli.ok(repo, "add", "--locked", "locked");
        Cli.ok(repo, "commit", "-m", "fifty files");
    }

    @BeforeEach
    void gitAnnexIsTheOracle() {
        Oracle.assumeGitAnnex();
    }

    /** 50 files named as in {@link #NAMES}: sizes from 0 bytes to a few MiB, seeded so every run is the same. */
    private static void writeFiles(Path root) throws IOException {
        Random random = new Random(42);
        for (String name : NAMES) {
            Path p = root.resolve(name);
            Files.createDirectories(p.getParent());
            Files.write(p, bytes(random, size(name, random)));
        }
    }

    private static int size(String name, Random random) {
        if (name.startsWith("empty")) {
            return 0;
        }
        return switch (name) {
            case "one byte.x" -> 1;
            case "sizes/4k.bin" -> 4096;
            case "sizes/64k.bin" -> 65536;
            case "sizes/1m-minus-1.bin" -> (1 << 20) - 1;
            case "sizes/3m.bin", "locked/frozen.iso" -> 3 << 20;
            case "video/clip.mkv", "archive/backup.tar.gz" -> (2 << 20) + 17;
            default -> random.nextInt(random.nextBoolean() ? 200 : 300_000);
        };
    }

    private static byte[] bytes(Random random, int size) {
        byte[] b = new byte[size];
        random.nextBytes(b);
        return b;
    }

    @Test
    void gitAnnexFsckFindsNothingToFixAndGitSeesACleanTree() {
        Oracle.assertGitAnnexFsckPasses(tools, repo);
        assertThat(tools.git(repo, "status", "--porcelain")).isEmpty();
    }

    @Test
    void theLockedFolderIsCommittedAsSymlinksAndTheRestAsPointerFiles() {
        for (String entry : tools.git(repo, "ls-files", "-s", "locked").split("\n")) {
            assertThat(entry).startsWith("120000 ");
        }
        for (String entry : tools.git(repo, "ls-files", "-s", "sizes", "photos/2024").split("\n")) {
            assertThat(entry).startsWith("100644 ");
        }
        assertThat(tools.git(repo, "show", "HEAD:sizes/3m.bin")).startsWith("/annex/objects/SHA256E-s3145728--");
    }

    @Test
    void gitAnnexWhereisListsExactlyTheRepositoriesAnnexSyncLists() {
        Map<String, Set<String>> ours = Oracle.whereis(Cli.ok(repo, "whereis", "--json").out());
        Map<String, Set<String>> theirs = Oracle.whereis(tools.annex(repo, "whereis", "--json"));
        String uuid = tools.git(repo, "config", "annex.uuid").strip();
        assertThat(ours).isEqualTo(theirs).hasSize(annexedCount());
        assertThat(ours.values()).allSatisfy(uuids -> assertThat(uuids).containsExactly(uuid));
    }

    @Test
    void gitAnnexInfoAgreesOnLocalContentAnnexedFilesAndRepositories() {
        JsonObject ours = Oracle.jsonLines(Cli.ok(repo, "info", "--json").out()).get(0);
        JsonObject theirs = Oracle.jsonLines(tools.annex(repo, "info", "--json")).get(0);
        for (String field : List.of("local annex keys", "local annex size", "annexed files in working tree",
                "size of annexed files in working tree")) {
            assertThat(ours.get(field)).as(field).isEqualTo(theirs.get(field));
        }
        assertThat(ours.get("annexed files in working tree").getAsInt()).isEqualTo(annexedCount());
        for (String list : List.of("trusted repositories", "semitrusted repositories", "untrusted repositories")) {
            assertThat(Oracle.repositories(ours, list)).as(list).isEqualTo(Oracle.repositories(theirs, list));
        }
        assertThat(theirs.getAsJsonArray("transfers in progress")).isEmpty();
    }

    @Test
    void aGitCloneGetsEveryFileWithRealGitAnnexByteForByte() {
        Path clone = tmp.resolve("git clone");
        tools.git(tmp, "clone", "-q", repo.toString(), clone.toString());
        tools.annex(clone, "get", ".");
        Oracle.assertGitAnnexFsckPasses(tools, clone);
        Map<String, String> got = Oracle.contents(clone);
        assertThat(got).isEqualTo(written);
        assertThat(Oracle.assertEveryObjectVerifies(clone)).hasSize(keys(clone).size());
    }

    /** Files annex-sync annexes by default: all but dotfiles and files in dot-folders (FORMAT.md §4.4). */
    private static int annexedCount() {
        return (int) written.keySet().stream().filter(AnnexSyncRepoInteropIT::annexed).count();
    }

    /** The distinct keys git-annex sees in the work tree (equal content with equal extension shares a key). */
    private static Set<String> keys(Path dir) {
        Set<String> keys = new TreeSet<>();
        Oracle.jsonLines(tools.annex(dir, "whereis", "--json")).forEach(o -> keys.add(o.get("key").getAsString()));
        return keys;
    }

    private static boolean annexed(String path) {
        for (String part : path.split("/")) {
            if (part.startsWith(".")) {
                return false;
            }
        }
        return true;
    }
}
