package io.annexsync.gitsync.remote.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.Progress;
import io.annexsync.gitsync.stage.AddOptions;
import io.annexsync.gitsync.sync.FetchOutcome;
import io.annexsync.gitsync.sync.PushOutcome;
import io.annexsync.gitsync.sync.SyncOptions;
import io.annexsync.gitsync.sync.SyncReport;
import io.annexsync.gitsync.sync.Syncer;
import io.annexsync.gitsync.testing.GitAnnex;
import io.annexsync.gitsync.testing.OpenSshServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.StoredConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * annex-sync's sync against a real git-annex repository behind a real OpenSSH server: git over JGit's sshd
 * transport, commits and the git-annex branch both ways, then real git-annex on the far side merges and is clean.
 */
class SshSyncIT {
    @TempDir
    Path tmp;
    private OpenSshServer sshd;
    private GitAnnex oracle;
    private Path far;
    private AnnexRepo local;

    @BeforeEach
    void setUp() throws Exception {
        OpenSshServer.assumeAvailable();
        sshd = OpenSshServer.start(tmp.resolve("sshd"));
        oracle = new GitAnnex(tmp.resolve("oracle-home"));
        far = Files.createDirectories(tmp.resolve("far"));
        oracle.git(far, "init", "-q", "-b", "main");
        oracle.annex(far, "init", "-q", "far side");
        Files.writeString(far.resolve("far.txt"), "from the far side\n");
        oracle.annex(far, "add", "-q", "far.txt");
        oracle.git(far, "commit", "-q", "-m", "far commit");
        local = localRepo(tmp.resolve("local"));
    }

    @AfterEach
    void tearDown() {
        if (local != null) {
            local.close();
        }
        if (sshd != null) {
            sshd.close();
        }
    }

    @Test
    void syncsCommitsAndTheGitAnnexBranchBothWaysWithGitAnnexOverSsh() throws Exception {
        addRemote(sshd.url(far));
        Files.writeString(local.workTree().resolve("local.txt"), "from annex-sync\n");
        local.add(List.of(local.workTree().resolve("local.txt")), new AddOptions(true, AddOptions.Force.LARGE, 1),
                Progress.NONE);
        local.commit("local commit");

        SyncReport report = sync();

        assertThat(report.fetched()).extracting(FetchOutcome::ok).as(report.toString()).containsExactly(true);
        assertThat(report.pushed()).allMatch(PushOutcome::succeeded, report.toString());
        assertThat(Files.isSymbolicLink(local.workTree().resolve("far.txt"))).isTrue();
        String farUuid = oracle.git(far, "config", "annex.uuid").trim();
        assertThat(oracle.git(local.workTree(), "show", "git-annex:uuid.log")).contains(farUuid);

        oracle.annex(far, "sync", "-q", "--no-content");
        assertThat(oracle.git(far, "ls-files")).contains("local.txt", "far.txt");
        String localUuid = local.git().getConfig().getString("annex", null, "uuid");
        assertThat(oracle.annex(far, "whereis", "local.txt")).contains(localUuid);
        assertThat(oracle.tryAnnex(far, "fsck", "-q").exitCode()).isZero();

        Files.writeString(far.resolve("second.txt"), "again from far\n");
        oracle.annex(far, "add", "-q", "second.txt");
        oracle.annex(far, "sync", "-q", "--no-content");
        SyncReport again = sync();
        assertThat(again.fetched()).extracting(FetchOutcome::ok).containsExactly(true);
        assertThat(Files.isSymbolicLink(local.workTree().resolve("second.txt"))).isTrue();
    }

    @Test
    void anUnknownHostKeyIsRefusedWithAMessageThatSaysWhatToDo() throws Exception {
        addRemote(sshd.url(far));
        Files.writeString(sshd.knownHosts(), "");
        SyncReport report = sync();
        assertThat(report.fetched()).singleElement().satisfies(f -> {
            assertThat(f.ok()).isFalse();
            assertThat(f.message()).contains("host key of [127.0.0.1]:" + sshd.port() + " is unknown",
                    "ssh -p " + sshd.port() + " 127.0.0.1");
        });
        assertThat(Files.readString(sshd.knownHosts())).isEmpty();
        assertThat(oracle.tryGit(far, "rev-parse", "--verify", "-q", "refs/heads/synced/main").exitCode())
                .isNotZero();
    }

    @Test
    void aChangedHostKeyIsRefused() throws Exception {
        addRemote(sshd.url(far));
        Path other = tmp.resolve("other-key");
        ProcessBuilder keygen = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f",
                other.toString()).redirectErrorStream(true);
        keygen.environment().keySet().removeIf(k -> k.startsWith("GIT_"));
        assertThat(keygen.start().waitFor()).isZero();
        String[] fields = Files.readString(other.resolveSibling("other-key.pub")).trim().split(" ");
        String line = "[127.0.0.1]:" + sshd.port() + " " + fields[0] + " " + fields[1] + "\n";
        Files.writeString(sshd.knownHosts(), line);
        SyncReport report = sync();
        assertThat(report.fetched()).singleElement().satisfies(f -> assertThat(f.message())
                .contains("host key of [127.0.0.1]:" + sshd.port() + " has CHANGED"));
        assertThat(report.pushed()).noneMatch(PushOutcome::succeeded);
        assertThat(Files.readString(sshd.knownHosts())).isEqualTo(line);
    }

    private SyncReport sync() throws Exception {
        SyncOptions options = new SyncOptions(true, true, false, List.of(), Duration.ofSeconds(60), 1);
        return new Syncer(local, options, Clock.systemUTC()).ssh(SshSettings.under(sshd.clientHome()))
                .sync(Progress.NONE);
    }

    private void addRemote(String url) throws Exception {
        StoredConfig config = local.git().getConfig();
        config.setString("remote", "far", "url", url);
        config.setString("remote", "far", "fetch", "+refs/heads/*:refs/remotes/far/*");
        config.save();
    }

    private static AnnexRepo localRepo(Path dir) throws Exception {
        Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call().close();
        AnnexRepo.init(dir, Optional.of("local"), "test");
        AnnexRepo repo = AnnexRepo.open(dir);
        StoredConfig config = repo.git().getConfig();
        config.setString("user", null, "name", GitAnnex.NAME);
        config.setString("user", null, "email", GitAnnex.EMAIL);
        config.save();
        return repo;
    }
}
