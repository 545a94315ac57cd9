package io.annexsync.gitsync.remote.ssh;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.sshd.ServerKeyDatabase;

/**
 * Host key checking that never trusts on first use: a server's key is accepted only when {@code known_hosts}
 * (the ssh config's {@code UserKnownHostsFile}, else {@code ~/.ssh/known_hosts}) lists exactly that key for the
 * host, whatever {@code StrictHostKeyChecking} the ssh config says; nothing is ever written to {@code known_hosts}.
 * A refusal throws {@link HostKeyRefusedException}, which names the host, the key's fingerprint, whether it is new
 * or changed, and what to do; JGit carries it up as the cause of the failed fetch or push.
 *
 * <p>Thread-safe if the delegate is (JGit's is).
 */
final class StrictHostKeys implements ServerKeyDatabase {
    private final ServerKeyDatabase delegate;
    private final Path knownHosts;

    /** Checks with {@code delegate}'s reading of known_hosts; {@code knownHosts} is named in messages. */
    StrictHostKeys(ServerKeyDatabase delegate, Path knownHosts) {
        this.delegate = delegate;
        this.knownHosts = knownHosts;
    }

    @Override
    public List<PublicKey> lookup(String connectAddress, InetSocketAddress remoteAddress, Configuration config) {
        return delegate.lookup(connectAddress, remoteAddress, config);
    }

    @Override
    public boolean accept(String connectAddress, InetSocketAddress remoteAddress, PublicKey serverKey,
            Configuration config, CredentialsProvider provider) {
        if (delegate.accept(connectAddress, remoteAddress, serverKey, new Strict(config), null)) {
            return true;
        }
        boolean known = !delegate.lookup(connectAddress, remoteAddress, config).isEmpty();
        String key = serverKey.getAlgorithm() + " key " + fingerprint(serverKey);
        throw new HostKeyRefusedException(connectAddress, known, key, files(config));
    }

    private String files(Configuration config) {
        List<String> user = config.getUserKnownHostsFiles();
        return user == null || user.isEmpty() ? knownHosts.toString() : String.join(", ", user);
    }

    /** OpenSSH's {@code SHA256:...} form of a key's fingerprint. */
    static String fingerprint(PublicKey key) {
        return KeyUtils.getFingerPrint(BuiltinDigests.sha256, key);
    }

    /** The ssh config's settings, except that only a key already listed is accepted. */
    private record Strict(Configuration config) implements Configuration {
        @Override
        public List<String> getUserKnownHostsFiles() {
            return config.getUserKnownHostsFiles();
        }

        @Override
        public List<String> getGlobalKnownHostsFiles() {
            return config.getGlobalKnownHostsFiles();
        }

        @Override
        public StrictHostKeyChecking getStrictHostKeyChecking() {
            return StrictHostKeyChecking.REQUIRE_MATCH;
        }

        @Override
        public boolean getHashKnownHosts() {
            return config.getHashKnownHosts();
        }

        @Override
        public String getUsername() {
            return config.getUsername();
        }
    }
}
