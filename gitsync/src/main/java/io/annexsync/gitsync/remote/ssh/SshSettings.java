package io.annexsync.gitsync.remote.ssh;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where ssh finds its files and how long it waits: the home directory and the ssh directory ({@code config}, the
 * keys {@code id_*}, {@code known_hosts}), and the timeout of connecting and logging in. Host keys are always checked
 * strictly against {@code known_hosts}, whatever {@code StrictHostKeyChecking} says.
 *
 * @param home the home directory ssh's config expands {@code ~} to
 * @param sshDir the directory standing in for {@code ~/.ssh}
 * @param connectTimeout how long connecting and authenticating may take (positive)
 */
public record SshSettings(Path home, Path sshDir, Duration connectTimeout) {
    /** The default timeout of connecting and logging in. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);

    public SshSettings {
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(sshDir, "sshDir");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout must be positive: " + connectTimeout);
        }
    }

    /** The user's own: {@code ~/.ssh} of the account this JVM runs as (Java's {@code user.home}, as JGit's). */
    public static SshSettings user() {
        Path home = Path.of(System.getProperty("user.home"));
        return new SshSettings(home, home.resolve(".ssh"), DEFAULT_CONNECT_TIMEOUT);
    }

    /** {@code home} with its {@code .ssh}, the default timeout: for tests and for a daemon run for another user. */
    public static SshSettings under(Path home) {
        return new SshSettings(home, home.resolve(".ssh"), DEFAULT_CONNECT_TIMEOUT);
    }

    /** The {@code known_hosts} file new host keys belong in. */
    public Path knownHosts() {
        return sshDir.resolve("known_hosts");
    }
}
