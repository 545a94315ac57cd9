package io.annexsync.gitsync.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real OpenSSH server ({@code /usr/sbin/sshd}) on a free loopback port, for tests of ssh remotes: its own host key,
 * one authorized client key, its own {@code sshd_config} ({@code -D -e -f}), public keys only, no PAM, root allowed
 * with a key. A session's shell is the account's login shell, so it runs the real {@code git-annex-shell}; HOME on
 * the far side is a scratch directory of this server's (with a git identity), never the real one.
 *
 * <p>The client side is a directory that stands in for {@code ~/.ssh} ({@link #clientSshDir()}: {@code config},
 * {@code id_ed25519}, {@code known_hosts} holding this server's host key), under a scratch HOME
 * ({@link #clientHome()}); the real {@code ~/.ssh} is never read or written. The {@code config} names the server
 * {@link #HOST_ALIAS} (for OpenSSH's {@code ssh -F}); URLs from {@link #url(Path)} use the address and port
 * directly.
 *
 * <p>Not thread-safe; one per test class or test. {@link #close()} stops the server and every session it forked;
 * the files stay in the test's temp directory, which JUnit removes.
 */
public final class OpenSshServer implements AutoCloseable {
    /** The server's address. */
    public static final String HOST = "127.0.0.1";
    /** The name the client {@code config} gives this server. */
    public static final String HOST_ALIAS = "annex-test-sshd";
    private static final Path SSHD = Path.of("/usr/sbin/sshd");
    private static final long START_SECONDS = 20;
    private static final int ATTEMPTS = 3;

    private final Path dir;
    private final int port;
    private final Process process;
    private final Thread logCopier;

    private OpenSshServer(Path dir, int port, Process process, Thread logCopier) {
        this.dir = dir;
        this.port = port;
        this.process = process;
        this.logCopier = logCopier;
    }

    /** Whether OpenSSH's server and {@code ssh-keygen} are installed. */
    public static boolean available() {
        return Files.isExecutable(SSHD) && Files.isExecutable(Path.of("/usr/bin/ssh-keygen"));
    }

    /** Skips the calling test when OpenSSH's server or git-annex is missing. */
    public static void assumeAvailable() {
        Assumptions.assumeTrue(available(), "sshd not installed: apt-get install openssh-server");
        GitAnnex.assumeAvailable();
    }

    /**
     * Makes keys and config under {@code dir} (created when missing) and starts sshd on a free port of
     * {@link #HOST}; returns once it listens.
     */
    public static OpenSshServer start(Path dir) {
        try {
            Keys keys = Keys.make(dir);
            IOException last = null;
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                int port = freePort();
                try {
                    return launch(dir, keys, port);
                } catch (IOException e) { // the port was taken between probe and bind: try another
                    last = e;
                }
            }
            throw new UncheckedIOException("sshd did not start in " + ATTEMPTS + " attempts", last);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The port it listens on. */
    public int port() {
        return port;
    }

    /** A directory to use as {@code ~/.ssh} on the client side: config, the client key and known_hosts. */
    public Path clientSshDir() {
        return dir.resolve("client-home/.ssh");
    }

    /** A HOME whose {@code .ssh} is {@link #clientSshDir()}. */
    public Path clientHome() {
        return dir.resolve("client-home");
    }

    /** The client's {@code known_hosts}, holding this server's host key. */
    public Path knownHosts() {
        return clientSshDir().resolve("known_hosts");
    }

    /** This server's host key as a known_hosts line for its address and port. */
    public String knownHostsLine() {
        return "[" + HOST + "]:" + port + " " + read(dir.resolve("server/host_ed25519_key.pub")).trim();
    }

    /** The HOME of sessions on the far side (git-annex-shell runs with it). */
    public Path serverHome() {
        return dir.resolve("server-home");
    }

    /** {@code ssh://root@127.0.0.1:PORT/ABSOLUTE-PATH} for a repository at {@code repo} on the far side. */
    public String url(Path repo) {
        return "ssh://root@" + HOST + ":" + port + repo.toAbsolutePath();
    }

    /**
     * The command line of an OpenSSH client that uses only the client directory: for {@code GIT_SSH_COMMAND}, which
     * git honours (OpenSSH itself reads the account's real {@code ~/.ssh}, whatever HOME says).
     */
    public String sshCommand() {
        return "ssh " + sshOptions();
    }

    /**
     * {@code -F <client config>}: for real git-annex as a client, as {@code remote.NAME.annex-ssh-options} (git-annex
     * 10.20230126 runs plain {@code ssh} for git-annex-shell, ignoring {@code GIT_SSH_COMMAND}), with {@link
     * #sshCommand()} as {@code GIT_SSH_COMMAND} for its git fetch and push; the remote's URL then names
     * {@link #HOST_ALIAS}: {@code ssh://annex-test-sshd/PATH}.
     */
    public String sshOptions() {
        return "-F " + clientSshDir().resolve("config");
    }

    /** What sshd logged so far (its {@code -e} output), for failure messages. */
    public String log() {
        return read(dir.resolve("sshd.log"));
    }

    /** Stops sshd and the session processes it forked, and waits for them. */
    @Override
    public void close() {
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        process.destroy();
        all.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            for (ProcessHandle h : all) {
                h.onExit().get(5, TimeUnit.SECONDS);
            }
            logCopier.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            all.forEach(ProcessHandle::destroyForcibly);
        }
    }

    private static OpenSshServer launch(Path dir, Keys keys, int port) throws IOException {
        Path config = writeServerConfig(dir, keys, port);
        writeClientConfig(dir, keys, port);
        Files.createDirectories(Path.of("/run/sshd")); // privilege separation directory, normally made by systemd
        ProcessBuilder pb = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", config.toString())
                .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("GIT_"));
        Process p = pb.start();
        CountDownLatch listening = new CountDownLatch(1);
        Thread copier = new Thread(() -> copyLog(p, dir.resolve("sshd.log"), listening), "test-sshd-log-" + port);
        copier.setDaemon(true);
        copier.start();
        try {
            boolean up = false;
            while (!up && p.isAlive()) {
                up = listening.await(100, TimeUnit.MILLISECONDS);
            }
            if (!up || !p.isAlive()) {
                p.destroyForcibly();
                copier.join(2000);
                throw new IOException("sshd did not start on port " + port + ":\n" + read(dir.resolve("sshd.log")));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted starting sshd", e);
        }
        return new OpenSshServer(dir, port, p, copier);
    }

    private static void copyLog(Process p, Path log, CountDownLatch listening) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8)); Writer out = Files.newBufferedWriter(log)) {
            String line;
            while ((line = in.readLine()) != null) {
                out.write(line + "\n");
                out.flush();
                if (line.contains("Server listening on")) {
                    listening.countDown();
                }
            }
        } catch (IOException e) {
            // the server's output ended (it was stopped); nothing more to log
        }
    }

    private static Path writeServerConfig(Path dir, Keys keys, int port) throws IOException {
        Path home = Files.createDirectories(dir.resolve("server-home"));
        Files.writeString(home.resolve(".gitconfig"), "[user]\n\tname = " + GitAnnex.NAME + "\n\temail = "
                + GitAnnex.EMAIL + "\n");
        String text = String.join("\n",
                "Port " + port,
                "ListenAddress " + HOST,
                "HostKey " + keys.hostKey(),
                "PidFile " + dir.resolve("server/sshd.pid"),
                "AuthorizedKeysFile " + keys.authorizedKeys(),
                "PermitRootLogin prohibit-password",
                "PubkeyAuthentication yes",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "UsePAM no",
                "StrictModes no",
                "X11Forwarding no",
                "AllowTcpForwarding no",
                "PrintMotd no",
                "SetEnv HOME=" + home,
                "LogLevel VERBOSE",
                "");
        return Files.writeString(dir.resolve("server/sshd_config"), text);
    }

    private static void writeClientConfig(Path dir, Keys keys, int port) throws IOException {
        Path ssh = dir.resolve("client-home/.ssh");
        String hostLine = "[" + HOST + "]:" + port + " " + read(keys.hostKey().resolveSibling(
                keys.hostKey().getFileName() + ".pub")).trim();
        Files.writeString(ssh.resolve("known_hosts"), hostLine + "\n");
        String text = String.join("\n",
                "Host " + HOST_ALIAS,
                "  HostName " + HOST,
                "  Port " + port,
                "  User root",
                "",
                "Host *",
                "  IdentityFile " + keys.clientKey(),
                "  IdentitiesOnly yes",
                "  UserKnownHostsFile " + ssh.resolve("known_hosts"),
                "  StrictHostKeyChecking yes",
                "  BatchMode yes",
                "");
        Files.writeString(ssh.resolve("config"), text);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return s.getLocalPort();
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The host key, the client key and the server's authorized_keys (the client key's public half). */
    private record Keys(Path hostKey, Path clientKey, Path authorizedKeys) {
        static Keys make(Path dir) throws IOException {
            Path server = Files.createDirectories(dir.resolve("server"));
            Path ssh = Files.createDirectories(dir.resolve("client-home/.ssh"));
            Path host = server.resolve("host_ed25519_key");
            Path client = ssh.resolve("id_ed25519");
            keygen(host, "annex-sync test host");
            keygen(client, "annex-sync test client");
            Path authorized = Files.copy(ssh.resolve("id_ed25519.pub"), server.resolve("authorized_keys"));
            return new Keys(host, client, authorized);
        }

        private static void keygen(Path file, String comment) throws IOException {
            ProcessBuilder pb = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment,
                    "-f", file.toString()).redirectErrorStream(true);
            pb.environment().keySet().removeIf(k -> k.startsWith("GIT_"));
            Process p = pb.start();
            p.getOutputStream().close();
            try {
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    throw new IOException("ssh-keygen failed for " + file + ": " + out);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted in ssh-keygen", e);
            }
        }
    }
}
