package io.annexsync.app.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import io.annexsync.gitsync.testing.GitAnnex;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Content that is not what its key says, met in the middle of a transfer: a partial download holding wrong bytes, a
 * remote whose copy is corrupted. Each time the same run still ends with the right content, as git-annex's does,
 * and nothing that does not verify enters an object store. Real git-annex works on twin repositories as the oracle.
 */
class ContentFaultsIT {
    private static final long MIB = 1L << 20;
    private static final String FILE = "big.bin";

    @TempDir
    Path tmp;

    private GitAnnex tools;
    /** Holds {@link #FILE}. */
    private Path origin;
    private String key;

    @BeforeEach
    void anOriginWithOneFile() throws IOException {
        Oracle.assumeGitAnnex();
        tools = new GitAnnex(tmp.resolve("home"));
        origin = Files.createDirectories(tmp.resolve("origin"));
        Cli.ok(origin, "init", "origin");
        Oracle.identity(tools, origin);
        writeRandom(origin.resolve(FILE), 8 * MIB, 1);
        Cli.ok(origin, "add", "--locked", FILE);
        Cli.ok(origin, "commit", "-m", "one file");
        key = tools.annex(origin, "lookupkey", FILE).strip();
    }

    @Test
    void aPartialDownloadOfWrongBytesIsDiscardedAndTheDownloadStartsAgainInTheSameRun() throws Exception {
        Path ours = clone("ours", false);
        Path theirs = clone("theirs", true);
        for (Path clone : List.of(ours, theirs)) {
            writeRandom(Files.createDirectories(clone.resolve(".git/annex/tmp")).resolve(key), 3 * MIB, 2);
        }
        GitAnnex.Outcome oracle = tools.tryAnnex(theirs, "get", FILE);
        assertThat(oracle.exitCode()).as("git annex get:\n%s", oracle.all()).isZero();

        Cli.Run get = CliProcess.run(tools, tmp.resolve("logs"), "get", ours, Map.of(), "get", "--json", FILE);
        assertThat(get.exitCode()).as("%s", get).isZero();
        JsonObject item = Oracle.jsonLines(get.out()).get(0);
        assertThat(item.get("success").getAsBoolean()).as("%s", get).isTrue();
        assertThat(item.get("bytes-moved").getAsLong()).as("moved again from the start: %s", get).isEqualTo(8 * MIB);
        assertThat(item.get("resumed-from").getAsLong()).isZero();
        assertThat(get.err()).as("%s", get).contains("the partial file " + ours.resolve(".git/annex/tmp/" + key))
                .contains("do not match its key; discarded it");
        assertThat(ours.resolve(".git/annex/tmp/" + key)).doesNotExist();
        assertThat(Oracle.assertEveryObjectVerifies(ours)).hasSize(1);
        assertThat(failedRecords(ours)).as("no failure recorded against origin").isEmpty();
        Oracle.assertGitAnnexFsckPasses(tools, ours);
    }

    @Test
    void aCorruptedCopyInTheCheapestRemoteIsPassedOverForTheNextOneInTheSameRun() throws Exception {
        Path peer = clone("peer", false);
        Cli.ok(peer, "get", FILE);
        corrupt(peer);
        Path theirs = clone("theirs", true);
        tools.git(theirs, "remote", "add", "peer", peer.toString());
        tools.git(theirs, "config", "remote.peer.annex-cost", "50");
        tools.annex(theirs, "sync", "--no-push", "--no-content");
        GitAnnex.Outcome oracle = tools.tryAnnex(theirs, "get", FILE);
        assertThat(oracle.exitCode()).as("git annex get:\n%s", oracle.all()).isZero();
        assertThat(oracle.all()).contains("(from peer...)").contains("(from origin...)");

        for (String command : List.of("get", "sync")) {
            Path ours = clone("ours-" + command, false);
            Cli.ok(ours, "remote", "add", "peer", peer.toString());
            tools.git(ours, "config", "remote.peer.annex-cost", "50");
            Cli.Run run = command.equals("get") ? Cli.run(ours, "get", FILE)
                    : Cli.run(ours, "sync", "--content", "--no-push");
            assertThat(run.exitCode()).as("%s: %s", command, run).isZero();
            assertThat(run.out()).as("%s: %s", command, run).contains("get " + FILE + " (from origin...) ok");
            assertThat(Oracle.assertEveryObjectVerifies(ours)).as("%s", command).hasSize(1);
            assertThat(failedRecords(ours)).as("the failure against peer is recorded").hasSize(1);
            Oracle.assertGitAnnexFsckPasses(tools, ours);
        }
    }

    /** A clone of origin, initialised by git-annex or by annex-sync, without the content. */
    private Path clone(String name, boolean byGitAnnex) {
        Path clone = tmp.resolve(name);
        tools.git(tmp, "clone", "-q", origin.toString(), clone.toString());
        Oracle.identity(tools, clone);
        if (byGitAnnex) {
            tools.annex(clone, "init", name);
        } else {
            Cli.ok(clone, "init", name);
        }
        return clone;
    }

    /** Flips bytes in the middle of the object of {@link #FILE} in {@code repo}; its size stays. */
    private void corrupt(Path repo) throws IOException {
        Path object = repo.resolve(tools.annex(repo, "contentlocation", key).strip());
        assertThat(object.getParent().toFile().setWritable(true, true)).isTrue();
        assertThat(object.toFile().setWritable(true, true)).isTrue();
        try (RandomAccessFile f = new RandomAccessFile(object.toFile(), "rw")) {
            f.seek(f.length() / 2);
            f.write(new byte[64]);
        }
    }

    private static List<Path> failedRecords(Path repo) throws IOException {
        Path failed = repo.resolve(".git/annex/transfer/failed");
        if (!Files.isDirectory(failed)) {
            return List.of();
        }
        try (var files = Files.walk(failed)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    private static void writeRandom(Path file, long size, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] block = new byte[(int) MIB];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; left -= block.length) {
                random.nextBytes(block);
                out.write(block, 0, (int) Math.min(left, block.length));
            }
        }
    }
}
