package io.annexsync.gitsync.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sshd fixture with OpenSSH's own client: a login runs the real git-annex-shell; close stops the server. */
class OpenSshServerIT {
    @TempDir
    Path tmp;

    @Test
    void opensshClientRunsGitAnnexShellBehindTheFixture() throws Exception {
        OpenSshServer.assumeAvailable();
        GitAnnex oracle = new GitAnnex(tmp.resolve("oracle-home"));
        Path far = oracle.initAnnexRepo(tmp.resolve("far"));
        String uuid = oracle.git(far, "config", "annex.uuid").trim();
        int port;
        try (OpenSshServer sshd = OpenSshServer.start(tmp.resolve("sshd"))) {
            port = sshd.port();
            String out = ssh(sshd, "git-annex-shell configlist " + far);
            assertThat(out).as(sshd.log()).contains("annex.uuid=" + uuid);
            assertThat(ssh(sshd, "echo $HOME")).isEqualTo(sshd.serverHome() + "\n");
        }
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress(OpenSshServer.HOST, port), 2000);
            throw new AssertionError("sshd still listens on " + port + " after close");
        } catch (java.io.IOException expected) {
            assertThat(expected).isNotNull();
        }
    }

    @Test
    void realGitAnnexCopiesToARemoteBehindTheFixture() throws Exception {
        OpenSshServer.assumeAvailable();
        try (OpenSshServer sshd = OpenSshServer.start(tmp.resolve("sshd"))) {
            GitAnnex tools = new GitAnnex(tmp.resolve("home"), java.util.Map.of("GIT_SSH_COMMAND", sshd.sshCommand()));
            Path far = tools.initAnnexRepo(tmp.resolve("far"), "far");
            Path near = tools.initAnnexRepo(tmp.resolve("near"), "near");
            Files.writeString(near.resolve("f.txt"), "over ssh\n");
            tools.annex(near, "add", "-q", "f.txt");
            tools.git(near, "commit", "-q", "-m", "f");
            tools.git(near, "remote", "add", "far", "ssh://" + OpenSshServer.HOST_ALIAS + far);
            tools.git(near, "config", "remote.far.annex-ssh-options", sshd.sshOptions());
            GitAnnex.Outcome sync = tools.tryAnnex(near, "sync", "--no-content", "far");
            assertThat(sync.exitCode()).as(sync.all()).isZero();
            assertThat(tools.tryGit(near, "config", "remote.far.annex-ignore").out()).as(sync.all()).isBlank();
            tools.annex(near, "copy", "-q", "--to", "far", "f.txt");
            String farUuid = tools.git(far, "config", "annex.uuid").trim();
            assertThat(tools.git(near, "config", "remote.far.annex-uuid").trim()).isEqualTo(farUuid);
            assertThat(tools.annex(near, "whereis", "f.txt")).contains(farUuid);
            try (var objects = Files.walk(far.resolve(".git/annex/objects"))) {
                assertThat(objects.filter(Files::isRegularFile).count()).isEqualTo(1);
            }
            assertThat(tools.tryAnnex(far, "fsck", "-q", "--all").exitCode()).isZero();
        }
    }

    private static String ssh(OpenSshServer sshd, String command) throws Exception {
        List<String> cmd = List.of("ssh", "-F", sshd.clientSshDir().resolve("config").toString(),
                OpenSshServer.HOST_ALIAS, command);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("GIT_"));
        pb.environment().put("HOME", sshd.clientHome().toString());
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out + "\n" + sshd.log()).isZero();
        assertThat(Files.exists(sshd.knownHosts())).isTrue();
        return out;
    }
}
