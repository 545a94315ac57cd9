package io.annexsync.gitsync.remote.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.annexsync.gitsync.Uuid;
import io.annexsync.gitsync.testing.GitAnnex;
import io.annexsync.gitsync.testing.OpenSshServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** git-annex-shell behind a real sshd, over annex-sync's own ssh sessions: configlist, p2pstdio, notifychanges. */
class GitAnnexShellIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path tmp;
    private OpenSshServer sshd;
    private SshTransports ssh;
    private GitAnnex oracle;
    private Path far;
    private Uuid farUuid;

    @BeforeEach
    void setUp() throws Exception {
        OpenSshServer.assumeAvailable();
        sshd = OpenSshServer.start(tmp.resolve("sshd"));
        ssh = new SshTransports(SshSettings.under(sshd.clientHome()));
        oracle = new GitAnnex(tmp.resolve("oracle-home"));
        far = oracle.initAnnexRepo(tmp.resolve("far"));
        farUuid = Uuid.parse(oracle.git(far, "config", "annex.uuid").trim()).orElseThrow();
    }

    @AfterEach
    void tearDown() {
        if (ssh != null) {
            ssh.close();
        }
        if (sshd != null) {
            sshd.close();
        }
    }

    @Test
    void probeLearnsTheUuidAsGitAnnexDoesFirst() throws Exception {
        try (Repository local = localRepo("far", sshd.url(far))) {
            SshRemotes.Probe probe = SshRemotes.probe(local, "far", ssh, TIMEOUT);
            assertThat(probe.uuid()).contains(farUuid);
            assertThat(local.getConfig().getString("remote", "far", "annex-uuid")).isEqualTo(farUuid.value());
            assertThat(local.getConfig().getBoolean("remote", "far", "annex-ignore", false)).isFalse();
        }
    }

    @Test
    void aRemoteWithoutGitAnnexIsIgnoredForContentAndLeftPlain() throws Exception {
        Path plain = Files.createDirectories(tmp.resolve("plain"));
        oracle.git(plain, "init", "-q");
        try (Repository local = localRepo("plain", sshd.url(plain))) {
            SshRemotes.Probe probe = SshRemotes.probe(local, "plain", ssh, TIMEOUT);
            assertThat(probe.uuid()).isEmpty();
            assertThat(probe.ignoredBecause()).hasValueSatisfying(m -> assertThat(m)
                    .contains(plain.toString(), "is a git repository without git-annex", "git annex init"));
            assertThat(local.getConfig().getBoolean("remote", "plain", "annex-ignore", false)).isTrue();
            assertThat(local.getConfig().getString("remote", "plain", "annex-uuid")).isNull();
        }
        assertThat(oracle.tryGit(plain, "config", "annex.uuid").out()).isBlank();
    }

    @Test
    void aPathThatIsNoRepositoryGetsAClearError() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        try (SshSession session = ssh.open(SshUrl.parse(sshd.url(empty)))) {
            assertThatThrownBy(() -> new GitAnnexShell(session, TIMEOUT).configlist())
                    .isInstanceOf(NoGitAnnexException.class).hasMessageContaining("is not a git repository");
        }
        try (SshSession session = ssh.open(SshUrl.parse(sshd.url(tmp.resolve("missing"))))) {
            assertThatThrownBy(() -> new GitAnnexShell(session, TIMEOUT).configlist())
                    .isInstanceOf(NoGitAnnexException.class).hasMessageContaining("failed (exit 1)");
        }
    }

    @Test
    void p2pstdioGivesTheProtocolAsAPairOfStreams() throws Exception {
        Files.writeString(far.resolve("present.txt"), "here I am\n");
        oracle.annex(far, "add", "-q", "present.txt");
        oracle.git(far, "commit", "-q", "-m", "add");
        String present = oracle.annex(far, "lookupkey", "present.txt").trim();
        String absent = "SHA256E-s6--" + "0".repeat(64) + ".txt";
        try (SshSession session = ssh.open(SshUrl.parse(sshd.url(far)))) {
            GitAnnexShell shell = new GitAnnexShell(session, TIMEOUT);
            Uuid server = shell.configlist().uuid(); // first, as git-annex does, on the same session
            assertThat(server).isEqualTo(farUuid);
            try (ExecChannel p2p = shell.p2pstdio(Uuid.random(), server)) {
                talk(p2p, present, absent);
            }
        }
    }

    private void talk(ExecChannel p2p, String present, String absent) throws IOException {
        assertThat(line(p2p.stdout())).isEqualTo("AUTH-SUCCESS " + farUuid.value());
        assertThat(exchange(p2p, "VERSION 1")).isEqualTo("VERSION 1");
        assertThat(exchange(p2p, "CHECKPRESENT " + present)).isEqualTo("SUCCESS");
        assertThat(exchange(p2p, "CHECKPRESENT " + absent)).isEqualTo("FAILURE");
    }

    @Test
    void aConfiguredRemotesP2pConnectionUsesItsRecordedUuid() throws Exception {
        try (Repository local = localRepo("far", sshd.url(far))) {
            try (P2pStdio p2p = P2pStdio.open(local, "far", Uuid.random(), ssh, TIMEOUT)) {
                assertThat(p2p.server()).isEqualTo(farUuid); // learnt by configlist: none was recorded
                assertThat(line(p2p.in())).isEqualTo("AUTH-SUCCESS " + farUuid.value());
                p2p.out().write("VERSION 1\n".getBytes(StandardCharsets.UTF_8));
                p2p.out().flush();
                assertThat(line(p2p.in())).isEqualTo("VERSION 1");
            }
            Uuid other = Uuid.random();
            local.getConfig().setString("remote", "far", "annex-uuid", other.value());
            try (P2pStdio p2p = P2pStdio.open(local, "far", Uuid.random(), ssh, TIMEOUT)) {
                assertThat(p2p.server()).isEqualTo(other);
                assertThat(p2p.in().readAllBytes()).as("a replaced repository is not served").isEmpty();
            }
            local.getConfig().setBoolean("remote", "far", "annex-ignore", true);
            assertThatThrownBy(() -> P2pStdio.open(local, "far", Uuid.random(), ssh, TIMEOUT))
                    .hasMessageContaining("annex-ignore");
        }
    }

    @Test
    void p2pstdioRefusesAServerWithAnotherUuid() throws Exception {
        try (SshSession session = ssh.open(SshUrl.parse(sshd.url(far)));
                ExecChannel p2p = new GitAnnexShell(session, TIMEOUT).p2pstdio(Uuid.random(), Uuid.random())) {
            assertThat(p2p.stdout().readAllBytes()).isEmpty();
            assertThat(new String(p2p.stderr().readAllBytes(), StandardCharsets.UTF_8)).containsIgnoringCase("uuid");
        }
    }

    @Test
    void notifychangesReportsACommitOnTheFarSide() throws Exception {
        List<List<String>> changes = new CopyOnWriteArrayList<>();
        List<String> ended = new CopyOnWriteArrayList<>();
        ChangeListener.Events events = new ChangeListener.Events() {
            @Override
            public void changed(List<String> shas) {
                changes.add(shas);
            }

            @Override
            public void ended(String why) {
                ended.add(why);
            }
        };
        try (SshSession session = ssh.open(SshUrl.parse(sshd.url(far)));
                ChangeListener listener = new GitAnnexShell(session, TIMEOUT).notifychanges(events)) {
            assertThat(listener.awaitReady(TIMEOUT)).as("READY; ended: %s", ended).isTrue();
            Files.writeString(far.resolve("new.txt"), "new\n");
            oracle.git(far, "add", "new.txt");
            oracle.git(far, "commit", "-q", "-m", "new commit");
            String head = oracle.git(far, "rev-parse", "HEAD").trim();
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> changes.stream().anyMatch(c -> c.contains(head)));
        }
        assertThat(ended).as("close is no end to report").isEmpty();
    }

    @Test
    void aDroppedNotifychangesIsReported() throws Exception {
        List<String> ended = new CopyOnWriteArrayList<>();
        ChangeListener.Events events = new ChangeListener.Events() {
            @Override
            public void changed(List<String> shas) {
            }

            @Override
            public void ended(String why) {
                ended.add(why);
            }
        };
        try (SshSession session = ssh.open(SshUrl.parse(sshd.url(far)));
                ChangeListener listener = new GitAnnexShell(session, TIMEOUT).notifychanges(events)) {
            assertThat(listener.awaitReady(TIMEOUT)).isTrue();
            sshd.close();
            await().atMost(Duration.ofSeconds(20)).until(() -> !ended.isEmpty());
            assertThat(ended.get(0)).contains("notifychanges on", far.toString());
        }
    }

    private static String exchange(ExecChannel ch, String message) throws IOException {
        OutputStream out = ch.stdin();
        out.write((message + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return line(ch.stdout());
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("the stream ended after '" + bytes + "'");
            }
            bytes.write(b);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private Repository localRepo(String remote, String url) throws Exception {
        Git git = Git.init().setDirectory(tmp.resolve("local-" + remote).toFile()).setInitialBranch("main").call();
        StoredConfig config = git.getRepository().getConfig();
        config.setString("remote", remote, "url", url);
        config.save();
        return git.getRepository();
    }
}
