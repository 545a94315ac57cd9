package io.annexsync.gitsync.remote.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.testing.GitAnnex;
import io.annexsync.gitsync.testing.OpenSshServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Repository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Adding an ssh remote as {@code git remote add -f} and git-annex's probe do it, against real git-annex over sshd. */
class SshRemotesIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path tmp;
    private OpenSshServer sshd;
    private SshTransports ssh;
    private GitAnnex oracle;
    private Path far;
    private Repository local;

    @BeforeEach
    void setUp() throws Exception {
        OpenSshServer.assumeAvailable();
        sshd = OpenSshServer.start(tmp.resolve("sshd"));
        ssh = new SshTransports(SshSettings.under(sshd.clientHome()));
        oracle = new GitAnnex(tmp.resolve("oracle-home"));
        far = oracle.initAnnexRepo(tmp.resolve("far"));
        local = Git.init().setDirectory(tmp.resolve("local").toFile()).call().getRepository();
    }

    @AfterEach
    void tearDown() {
        if (local != null) {
            local.close();
        }
        if (ssh != null) {
            ssh.close();
        }
        if (sshd != null) {
            sshd.close();
        }
    }

    @Test
    void addsLearnsTheUuidAndFetches() throws Exception {
        SshRemotes.Added added = SshRemotes.add(local, "far", sshd.url(far), ssh, TIMEOUT);
        String uuid = oracle.git(far, "config", "annex.uuid").trim();
        assertThat(added.remote().uuid()).hasValueSatisfying(u -> assertThat(u.value()).isEqualTo(uuid));
        assertThat(added.remote().cost()).isEqualTo(200);
        assertThat(local.resolve("refs/remotes/far/git-annex")).isNotNull();
    }

    @Test
    void aHostAliasOfTheSshConfigIsFollowedInAnScpStyleUrl() throws Exception {
        String url = OpenSshServer.HOST_ALIAS + ":" + far; // HostName, Port and User come from ~/.ssh/config
        SshRemotes.Added added = SshRemotes.add(local, "alias", url, ssh, TIMEOUT);
        assertThat(added.probe().uuid()).isPresent();
        assertThat(local.resolve("refs/remotes/alias/git-annex")).isNotNull();
    }

    @Test
    void anUnknownHostKeyLeavesNoRemoteBehind() throws Exception {
        Files.writeString(sshd.knownHosts(), "");
        assertThatThrownBy(() -> SshRemotes.add(local, "far", sshd.url(far), ssh, TIMEOUT))
                .isInstanceOf(RepoException.class)
                .hasMessageContaining("cannot log in to root@127.0.0.1:" + sshd.port())
                .hasMessageContaining("is unknown");
        assertThat(local.getConfig().getSubsections("remote")).isEmpty();
    }

    @Test
    void aMalformedUrlOrATakenNameIsRefused() throws Exception {
        assertThatThrownBy(() -> SshRemotes.add(local, "x", "ssh://host:99999/r", ssh, TIMEOUT))
                .hasMessageContaining("port 99999 is out of range");
        assertThatThrownBy(() -> SshRemotes.add(local, "x", "/local/path", ssh, TIMEOUT))
                .hasMessageContaining("is not an ssh URL");
        assertThatThrownBy(() -> SshRemotes.add(local, "../x", sshd.url(far), ssh, TIMEOUT))
                .hasMessageContaining("bad remote name");
        SshRemotes.add(local, "far", sshd.url(far), ssh, TIMEOUT);
        assertThatThrownBy(() -> SshRemotes.add(local, "far", sshd.url(far), ssh, TIMEOUT))
                .hasMessageContaining("already exists");
        assertThat(local.getConfig().getSubsections("remote")).containsExactly("far");
    }

    @Test
    void aPlainGitRepositoryIsAddedForGitOnly() throws Exception {
        Path plain = Files.createDirectories(tmp.resolve("plain"));
        oracle.git(plain, "init", "-q");
        Files.writeString(plain.resolve("f"), "x\n");
        oracle.git(plain, "add", "f");
        oracle.git(plain, "commit", "-q", "-m", "plain");
        SshRemotes.Added added = SshRemotes.add(local, "plain", sshd.url(plain), ssh, TIMEOUT);
        assertThat(added.remote().ignored()).isTrue();
        assertThat(added.probe().ignoredBecause()).hasValueSatisfying(m -> assertThat(m).contains("without git-annex"));
        assertThat(local.getRefDatabase().getRefsByPrefix("refs/remotes/plain/")).isNotEmpty();
    }
}
