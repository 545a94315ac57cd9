package io.annexsync.app.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.annexsync.gitsync.testing.GitAnnex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** annex-sync working in a clone of a repository made by real git-annex, with git-annex checking the result. */
class GitAnnexRepoInteropIT {
    @TempDir
    Path tmp;

    private GitAnnex tools;
    private Path origin;
    private String originUuid;

    @BeforeEach
    void gitAnnexMakesARepository() throws IOException {
        Oracle.assumeGitAnnex();
        tools = new GitAnnex(tmp.resolve("home"));
        origin = tmp.resolve("origin");
        Files.createDirectories(origin.resolve("locked/deep"));
        Files.createDirectories(origin.resolve("unlocked dir/ü"));
        Random random = new Random(7);
        write(origin.resolve("locked/big.tar.gz"), random, 1_500_000);
        write(origin.resolve("locked/deep/small file.txt"), random, 10);
        write(origin.resolve("locked/empty.dat"), random, 0);
        write(origin.resolve("unlocked dir/photo.JPG"), random, 700_000);
        write(origin.resolve("unlocked dir/ü/naïve.md"), random, 33);
        write(origin.resolve("to unlock.bin"), random, 5000);
        write(origin.resolve(".dotfile"), random, 20);
        tools.git(origin, "init", "-q");
        tools.annex(origin, "init", "origin by git-annex");
        tools.annex(origin, "add", "locked", "to unlock.bin", ".dotfile");
        tools.annex(origin, "unlock", "to unlock.bin");
        tools.git(origin, "-c", "annex.addunlocked=true", "annex", "add", "unlocked dir");
        tools.git(origin, "commit", "-q", "-m", "made by git-annex");
        originUuid = tools.git(origin, "config", "annex.uuid").strip();
    }

    private static void write(Path file, Random random, int size) throws IOException {
        byte[] b = new byte[size];
        random.nextBytes(b);
        Files.write(file, b);
    }

    private Path annexSyncClone() {
        Path clone = tmp.resolve("clone");
        tools.git(tmp, "clone", "-q", origin.toString(), clone.toString());
        Oracle.identity(tools, clone);
        Cli.Run init = Cli.ok(clone, "init", "clone by annex-sync");
        assertThat(init.out()).contains("init clone by annex-sync ok").doesNotContain("kept uuid");
        return clone;
    }

    @Test
    void aFreshCloneGetsANewUuidAndTheWhereisGitAnnexShows() {
        Path clone = annexSyncClone();
        String cloneUuid = tools.git(clone, "config", "annex.uuid").strip();
        assertThat(cloneUuid).isNotEqualTo(originUuid).matches("[0-9a-f-]{36}");
        assertThat(tools.git(clone, "config", "remote.origin.annex-uuid").strip()).isEqualTo(originUuid);

        Map<String, java.util.Set<String>> ours = Oracle.whereis(Cli.ok(clone, "whereis", "--json").out());
        Map<String, java.util.Set<String>> theirs = Oracle.whereis(tools.annex(clone, "whereis", "--json"));
        assertThat(ours).isEqualTo(theirs).hasSize(6);
        assertThat(ours.values()).allSatisfy(uuids -> assertThat(uuids).containsExactly(originUuid));
    }

    @Test
    void getFetchesEveryFileByteForByteAndBothFscksPass() {
        Path clone = annexSyncClone();
        Cli.ok(clone, "get", ".");
        assertThat(Oracle.contents(clone)).isEqualTo(Oracle.contents(origin));
        Cli.Run fsck = Cli.ok(clone, "fsck");
        assertThat(fsck.out()).contains("fsck locked/big.tar.gz (checksum...) ok");
        assertThat(tools.git(clone, "status", "--porcelain")).isEmpty();
        String cloneUuid = tools.git(clone, "config", "annex.uuid").strip();
        assertThat(Oracle.whereis(tools.annex(clone, "whereis", "--json")).values())
                .allSatisfy(uuids -> assertThat(uuids).containsExactlyInAnyOrder(originUuid, cloneUuid));
        Oracle.assertGitAnnexFsckPasses(tools, clone);
        Oracle.assertGitAnnexFsckPasses(tools, origin);
    }

    @Test
    void dropRefusesBelowNumcopiesAndThenDropsAgainstTheOriginsLockedCopy() throws IOException {
        Path clone = annexSyncClone();
        Cli.ok(clone, "get", ".");
        Map<String, String> content = Oracle.contents(clone);
        String branch = tools.git(clone, "rev-parse", "git-annex");
        List<Path> objects = Oracle.assertEveryObjectVerifies(clone);

        tools.git(clone, "config", "annex.numcopies", "2");
        Cli.Run refused = Cli.run(clone, "drop", ".");
        assertThat(refused.exitCode()).as("%s", refused).isEqualTo(1);
        assertThat(refused.err()).contains("Could only verify the existence of 1 out of 2 necessary copies")
                .contains("drop: 6 failed");
        assertThat(Oracle.contents(clone)).isEqualTo(content);
        assertThat(Oracle.assertEveryObjectVerifies(clone)).isEqualTo(objects);
        assertThat(tools.git(clone, "rev-parse", "git-annex")).isEqualTo(branch);
        assertThat(tools.git(clone, "status", "--porcelain")).isEmpty();

        tools.git(clone, "config", "annex.numcopies", "1");
        Cli.Run dropped = Cli.ok(clone, "drop", ".");
        assertThat(dropped.out()).contains("drop locked/big.tar.gz ok").contains("drop unlocked dir/photo.JPG ok");
        assertThat(Oracle.assertEveryObjectVerifies(clone)).isEmpty();
        assertThat(Files.readString(clone.resolve("unlocked dir/photo.JPG"))).startsWith("/annex/objects/SHA256E-");
        assertThat(Oracle.whereis(tools.annex(clone, "whereis", "--json")).values())
                .allSatisfy(uuids -> assertThat(uuids).containsExactly(originUuid));
        assertThat(Oracle.assertEveryObjectVerifies(origin)).hasSize(6);
        Oracle.assertGitAnnexFsckPasses(tools, clone);
        Oracle.assertGitAnnexFsckPasses(tools, origin);
    }

    @Test
    void initOnARepositoryGitAnnexInitialisedKeepsItsUuidAndSaysSo() {
        Oracle.identity(tools, origin);
        Cli.Run init = Cli.ok(origin, "init");
        assertThat(init.out()).contains("already initialised; kept uuid " + originUuid);
        assertThat(tools.git(origin, "config", "annex.uuid").strip()).isEqualTo(originUuid);
        assertThat(tools.git(origin, "config", "annex.version").strip()).isEqualTo("10");
        Oracle.assertGitAnnexFsckPasses(tools, origin);
        assertThat(tools.git(origin, "status", "--porcelain")).isEmpty();
    }
}
