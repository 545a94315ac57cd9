package io.annexsync.app.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import io.annexsync.gitsync.testing.GitAnnex;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys read from files someone else committed: pointer files and annex symlinks whose key is a path ({@code ../..}),
 * too long for a file name, or holds a NUL. Every content command names each such file with the reason, counts it
 * as a failed item, leaves it alone and still does the other files; nothing is made outside the object store. Files
 * git-annex reads as annexed with valid keys (a key holding an escaped {@code /}, a pointer with hash folders) are
 * read as git-annex reads them, with real git-annex as the oracle.
 */
class UntrustedKeysIT {
    private static final String ESCAPE = "escaped-by-a-key";
    /** Pointer and symlink texts that name no valid key, by file name. */
    private static final Map<String, String> BROKEN = Map.of(
            "dotdot.bin", "/annex/objects/SHA256E-s5--../../../../../../../" + ESCAPE + "\n",
            "long.bin", "/annex/objects/SHA256-s5--" + "a".repeat(300) + "\n",
            "nul.bin", "/annex/objects/SHA256E-s5--a\0b\n");
    private static final String BROKEN_LINK = "link.bin";
    private static final String LINK_TARGET = ".git/annex/objects/xx/yy/../../../../../../" + ESCAPE;
    /** Pointers git-annex reads as annexed files, by file name: the key it names. */
    private static final Map<String, String> VALID = Map.of(
            "slash.bin", "SHA256E-s5--a/b",
            "hashdirs.bin", "SHA256E-s5--abc");

    @TempDir
    Path tmp;

    private GitAnnex tools;
    private Path origin;
    private Path ours;
    private Path theirs;

    @BeforeEach
    void aRepositoryWithCommittedBadPointers() throws IOException {
        Oracle.assumeGitAnnex();
        tools = new GitAnnex(tmp.resolve("home"));
        origin = Files.createDirectories(tmp.resolve("origin"));
        Cli.ok(origin, "init", "origin");
        Oracle.identity(tools, origin);
        Files.writeString(origin.resolve("good.txt"), "good content\n");
        Cli.ok(origin, "add", "--locked", "good.txt");
        for (var e : BROKEN.entrySet()) {
            stage(origin, e.getKey(), "100644", e.getValue());
        }
        stage(origin, BROKEN_LINK, "120000", LINK_TARGET);
        stage(origin, "slash.bin", "100644", "/annex/objects/SHA256E-s5--a%b\n");
        stage(origin, "hashdirs.bin", "100644", "/annex/objects/ab/cd/SHA256E-s5--abc\n");
        Cli.ok(origin, "commit", "-m", "good and bad pointers");
        ours = clone("ours");
        Cli.ok(ours, "init", "ours");
        theirs = clone("theirs");
        tools.annex(theirs, "init", "theirs");
    }

    @Test
    void everyContentCommandNamesEachBadFileAndStillDoesTheGoodOne() throws IOException {
        for (List<String> command : List.of(List.of("whereis"), List.of("get"), List.of("fsck"),
                List.of("copy", "--to", "origin"), List.of("drop"))) {
            Cli.Run run = Cli.run(ours, command.toArray(String[]::new));
            String name = command.get(0);
            assertThat(run.exitCode()).as("%s: %s", command, run).isEqualTo(1);
            assertThat(run.err()).as("%s: %s", command, run).contains(name + ": ").contains(" failed")
                    .doesNotContain("Exception").doesNotContain("internal error");
            for (String bad : List.of("dotdot.bin", "long.bin", "nul.bin", BROKEN_LINK)) {
                assertThat(run.out()).as("%s: %s", command, run).contains(name + " " + bad + " failed");
                assertThat(run.err()).as("%s: %s", command, run).contains(bad + ": its ")
                        .contains("names no git-annex key");
            }
            assertThat(run.err()).contains("dotdot.bin: its pointer '/annex/objects/SHA256E-s5--../../../../../../../"
                    + ESCAPE + "' names no git-annex key").contains("long.bin: its pointer").contains("too long")
                    .contains("nul.bin: its pointer").contains("control character");
            if (name.equals("whereis") || name.equals("get") || name.equals("fsck")) {
                assertThat(run.out()).as("%s: %s", command, run).contains(name + " good.txt");
            }
        }
        assertThat(escaped()).as("files made outside the object store").isEmpty();
        assertThat(Oracle.assertEveryObjectVerifies(origin)).hasSize(1);
    }

    @Test
    void keysGitAnnexAcceptsAreReadAsGitAnnexReadsThem() {
        Map<String, String> oracle = new TreeMap<>();
        for (String line : tools.annex(theirs, "find", "--include=*", "--format=${file} ${key}\\n").split("\n")) {
            if (VALID.containsKey(line.split(" ")[0]) || line.startsWith("good.txt ")) {
                oracle.put(line.substring(0, line.indexOf(' ')), line.substring(line.indexOf(' ') + 1));
            }
        }
        assertThat(oracle).as("git annex find").containsAllEntriesOf(VALID).doesNotContainKey("dotdot.bin");
        Map<String, String> read = new TreeMap<>();
        for (JsonObject o : Oracle.jsonLines(Cli.run(ours, "whereis", "--json").out())) {
            if (!o.has("key")) {
                assertThat(o.get("success").getAsBoolean()).as("%s", o).isFalse(); // a bad file, named
                continue;
            }
            read.put(o.get("file").getAsString(), o.get("key").getAsString());
        }
        assertThat(read).isEqualTo(oracle);
    }

    /** Puts {@code text} in the index of {@code repo} as {@code path} with {@code mode}, as git itself would. */
    private void stage(Path repo, String path, String mode, String text) throws IOException {
        Path blob = tmp.resolve("blob");
        Files.write(blob, text.getBytes(StandardCharsets.UTF_8));
        String id = tools.git(repo, "hash-object", "-w", "--no-filters", blob.toString()).strip();
        tools.git(repo, "update-index", "--add", "--cacheinfo", mode + "," + id + "," + path);
    }

    private Path clone(String name) {
        Path clone = tmp.resolve(name);
        tools.git(tmp, "clone", "-q", origin.toString(), clone.toString());
        Oracle.identity(tools, clone);
        return clone;
    }

    /** Files anywhere under the test's folder whose name is the one the bad keys aim at. */
    private List<Path> escaped() throws IOException {
        try (Stream<Path> all = Files.walk(tmp)) {
            return all.filter(p -> p.getFileName().toString().contains(ESCAPE)).toList();
        }
    }
}
