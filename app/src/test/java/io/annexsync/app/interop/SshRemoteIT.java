package io.annexsync.app.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.annexsync.gitsync.testing.GitAnnex;
import io.annexsync.gitsync.testing.OpenSshServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code annex-sync sync} (the launcher, in its own JVM) with a remote that is a real git-annex repository behind a
 * real OpenSSH server: commits and the git-annex branch go both ways over JGit's ssh transport, with keys and
 * known_hosts from the fixture's client directory (the JVM's {@code user.home}); real git-annex on the far side then
 * merges them and fsck is clean.
 */
class SshRemoteIT {
    @TempDir
    Path tmp;

    @Test
    void syncsWithGitAnnexOverSshBothWays() throws Exception {
        OpenSshServer.assumeAvailable();
        GitAnnex tools = new GitAnnex(tmp.resolve("home"));
        try (OpenSshServer sshd = OpenSshServer.start(tmp.resolve("sshd"))) {
            Path repo = Files.createDirectories(tmp.resolve("repo"));
            Cli.ok(repo, "init", "laptop");
            Oracle.identity(tools, repo);
            String branch = tools.git(repo, "symbolic-ref", "--short", "HEAD").trim();
            Path far = Files.createDirectories(tmp.resolve("far"));
            tools.git(far, "init", "-q", "-b", branch);
            tools.annex(far, "init", "-q", "server");
            Files.writeString(far.resolve("from-far.txt"), "written on the server\n");
            tools.annex(far, "add", "-q", "from-far.txt");
            tools.git(far, "commit", "-q", "-m", "on the server");

            Files.writeString(repo.resolve("from-laptop.txt"), "written on the laptop\n");
            Map<String, String> env = Map.of("ANNEX_SYNC_JAVA_OPTS", "-Duser.home=" + sshd.clientHome());
            Cli.Run add = CliProcess.run(tools, tmp.resolve("logs"), "add", repo, env, "remote", "add", "server",
                    sshd.url(far));
            assertThat(add.exitCode()).as(add.toString()).isZero();
            String farUuid = tools.git(far, "config", "annex.uuid").trim();
            assertThat(add.out()).contains("remote add server ok (uuid " + farUuid + ", cost 200.0)");
            assertThat(tools.git(repo, "config", "remote.server.annex-uuid").trim()).isEqualTo(farUuid);

            Cli.Run sync = CliProcess.run(tools, tmp.resolve("logs"), "sync", repo, env, "sync");
            assertThat(sync.exitCode()).as(sync + "\n" + sshd.log()).isZero();
            assertThat(sync.out()).containsPattern("server\\s+ok\\s+ok");
            assertThat(Files.isSymbolicLink(repo.resolve("from-far.txt"))).isTrue();

            tools.annex(far, "sync", "-q", "--no-content");
            assertThat(tools.git(far, "ls-files")).contains("from-laptop.txt");
            String laptop = tools.git(repo, "config", "annex.uuid").trim();
            assertThat(tools.annex(far, "whereis", "from-laptop.txt")).contains(laptop);
            assertThat(tools.git(far, "show", "git-annex:uuid.log")).contains(laptop);
            GitAnnex.Outcome fsck = tools.tryAnnex(far, "fsck", "-q");
            assertThat(fsck.exitCode()).as(fsck.all()).isZero();

            Files.writeString(far.resolve("again.txt"), "more from the server\n");
            tools.annex(far, "add", "-q", "again.txt");
            tools.annex(far, "sync", "-q", "--no-content");
            Cli.Run again = CliProcess.run(tools, tmp.resolve("logs"), "sync-again", repo, env, "sync");
            assertThat(again.exitCode()).as(again.toString()).isZero();
            assertThat(Files.isSymbolicLink(repo.resolve("again.txt"))).isTrue();
        }
    }

    @Test
    void anUnknownHostKeyFailsRemoteAddAndTheSyncAndSaysWhatToDo() throws Exception {
        OpenSshServer.assumeAvailable();
        GitAnnex tools = new GitAnnex(tmp.resolve("home"));
        try (OpenSshServer sshd = OpenSshServer.start(tmp.resolve("sshd"))) {
            Path repo = Files.createDirectories(tmp.resolve("repo"));
            Cli.ok(repo, "init", "laptop");
            Oracle.identity(tools, repo);
            Path far = tools.initAnnexRepo(tmp.resolve("far"));
            tools.git(repo, "config", "remote.server.url", sshd.url(far));
            tools.git(repo, "config", "remote.server.fetch", "+refs/heads/*:refs/remotes/server/*");
            Files.writeString(sshd.knownHosts(), "");
            Map<String, String> env = Map.of("ANNEX_SYNC_JAVA_OPTS", "-Duser.home=" + sshd.clientHome());
            Cli.Run add = CliProcess.run(tools, tmp.resolve("logs"), "add", repo, env, "remote", "add", "other",
                    sshd.url(far));
            assertThat(add.exitCode()).as(add.toString()).isEqualTo(4);
            assertThat(add.err()).contains("host key of [127.0.0.1]:" + sshd.port() + " is unknown");
            assertThat(tools.tryGit(repo, "config", "remote.other.url").exitCode()).isNotZero();

            Cli.Run sync = CliProcess.run(tools, tmp.resolve("logs"), "sync", repo, env, "sync");
            assertThat(sync.exitCode()).as(sync.toString()).isEqualTo(1);
            assertThat(sync.out() + sync.err()).contains("host key of [127.0.0.1]:" + sshd.port() + " is unknown");
            assertThat(Files.readString(sshd.knownHosts())).isEmpty();
        }
    }
}
