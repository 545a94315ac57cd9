package io.annexsync.app.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.annexsync.gitsync.testing.GitAnnex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Several clones joined as a chain, a star or a full mesh of path remotes, edited concurrently (new files on every
 * side, the same annexed file changed on two, a small git file changed on two, a file deleted on one and changed on
 * another): after every side has synced enough rounds for changes to cross the network, every work tree is the
 * same, every repository knows the same copies, and every version written is still in a file.
 */
class SyncConvergenceIT {
    @TempDir
    Path tmp;

    private GitAnnex tools;
    private final Set<String> versions = new HashSet<>();
    private final Random random = new Random(42);

    @ParameterizedTest(name = "{0} of {1}")
    @CsvSource({"chain, 3", "star, 4", "mesh, 3", "chain, 5"})
    void clonesConvergeAndNoVersionIsLost(String topology, int n) throws IOException {
        tools = new GitAnnex(tmp.resolve("home"));
        List<Path> repos = clones(n);
        link(repos, topology);
        editConcurrently(repos);
        int rounds = topology.equals("chain") ? n + 1 : 3;
        for (int round = 0; round < rounds; round++) {
            for (Path r : repos) {
                Cli.Run sync = Cli.run(r, "sync", "--content", "--timeout", "30");
                assertThat(sync.exitCode()).as("sync in %s, round %d:\n%s", r.getFileName(), round, sync).isZero();
            }
        }
        Map<String, String> first = Oracle.contents(repos.get(0));
        for (Path r : repos) {
            assertThat(Oracle.contents(r)).as("work tree of %s", r.getFileName()).isEqualTo(first);
            assertThat(Cli.ok(r, "status").out()).as("status of %s", r.getFileName()).isEmpty();
            assertThat(Oracle.whereis(Cli.ok(r, "whereis", "--json").out()))
                    .as("copies known in %s", r.getFileName())
                    .isEqualTo(Oracle.whereis(Cli.ok(repos.get(0), "whereis", "--json").out()));
            Oracle.assertEveryObjectVerifies(r);
        }
        assertThat(first.values()).as("every version written is still in a file").containsAll(versions);
        assertThat(first.keySet()).anyMatch(p -> p.startsWith("shared.variant-"));
    }

    /** An origin with a few files, cloned n-1 times; each clone initialised by annex-sync with its own name. */
    private List<Path> clones(int n) throws IOException {
        Path origin = tmp.resolve("r0");
        Files.createDirectories(origin);
        writeInitial(origin.resolve("shared.bin"), 3000);
        writeInitial(origin.resolve("old.bin"), 3000);
        Files.writeString(origin.resolve("notes.txt"), "first line\n");
        Cli.ok(origin, "init", "r0");
        Oracle.identity(tools, origin);
        tools.git(origin, "config", "annex.largefiles", "largerthan=100b");
        Cli.ok(origin, "add", ".");
        Cli.ok(origin, "commit", "-m", "start");
        List<Path> repos = new ArrayList<>(List.of(origin));
        for (int i = 1; i < n; i++) {
            Path clone = tmp.resolve("r" + i);
            tools.git(tmp, "clone", "-q", origin.toString(), clone.toString());
            tools.git(clone, "remote", "remove", "origin");
            Oracle.identity(tools, clone);
            tools.git(clone, "config", "annex.largefiles", "largerthan=100b");
            Cli.ok(clone, "init", "r" + i);
            repos.add(clone);
        }
        return repos;
    }

    private void link(List<Path> repos, String topology) {
        for (int i = 0; i < repos.size(); i++) {
            for (int j = 0; j < repos.size(); j++) {
                boolean edge = switch (topology) {
                    case "chain" -> Math.abs(i - j) == 1;
                    case "star" -> i != j && (i == 0 || j == 0);
                    default -> i != j;
                };
                if (edge) {
                    Cli.ok(repos.get(i), "remote", "add", "r" + j, repos.get(j).toString());
                }
            }
        }
    }

    private void editConcurrently(List<Path> repos) throws IOException {
        for (int i = 0; i < repos.size(); i++) {
            write(repos.get(i).resolve("from-r" + i + ".bin"), 2000 + i);
        }
        write(repos.get(0).resolve("shared.bin"), 4000);
        write(repos.get(1).resolve("shared.bin"), 5000);
        Files.writeString(repos.get(1).resolve("notes.txt"), "edited in r1\n");
        Files.writeString(repos.get(repos.size() - 1).resolve("notes.txt"), "edited in the last one\n");
        versions.add(Oracle.sha256(repos.get(1).resolve("notes.txt")));
        versions.add(Oracle.sha256(repos.get(repos.size() - 1).resolve("notes.txt")));
        Files.delete(repos.get(1).resolve("old.bin"));
        write(repos.get(repos.size() - 1).resolve("old.bin"), 3500);
    }

    /** A concurrent edit: its content must survive in some file. */
    private void write(Path file, int size) throws IOException {
        writeInitial(file, size);
        versions.add(Oracle.sha256(file));
    }

    /** A starting version, which the edits replace (it stays in history). */
    private void writeInitial(Path file, int size) throws IOException {
        byte[] b = new byte[size];
        random.nextBytes(b);
        Files.write(file, b);
    }
}
