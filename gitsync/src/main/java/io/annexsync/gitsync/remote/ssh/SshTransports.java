package io.annexsync.gitsync.remote.ssh;

import io.annexsync.gitsync.RepoException;
import java.io.File;
import java.util.Objects;
import org.eclipse.jgit.api.TransportConfigCallback;
import org.eclipse.jgit.errors.TransportException;
import org.eclipse.jgit.transport.RemoteSession;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.sshd.JGitKeyCache;
import org.eclipse.jgit.transport.sshd.ServerKeyDatabase;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.util.FS;

/**
 * The ssh side of remotes: JGit's Apache MINA sshd client set up from {@link SshSettings} (the user's keys, ssh
 * config and known_hosts, host keys checked strictly by {@link StrictHostKeys}). As a {@link TransportConfigCallback}
 * it makes a JGit fetch or push over ssh use that client instead of JGit's global default; {@link #open} opens a
 * session of our own for commands on the far side (git-annex-shell).
 *
 * <p>Thread-safe: fetches, pushes and sessions may run at once. The creator closes it, after the sessions it opened;
 * closing stops the ssh client's threads.
 */
public final class SshTransports implements TransportConfigCallback, AutoCloseable {
    private final SshSettings settings;
    private final SshdSessionFactory factory;

    /** An ssh client that reads its files as {@code settings} says. */
    public SshTransports(SshSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.factory = new Factory(settings);
        factory.setHomeDirectory(settings.home().toFile());
        factory.setSshDirectory(settings.sshDir().toFile());
    }

    /** The settings this client was made with. */
    public SshSettings settings() {
        return settings;
    }

    /** Makes {@code transport}, if it is JGit's ssh transport, use this client. */
    @Override
    public void configure(Transport transport) {
        if (transport instanceof SshTransport ssh) {
            ssh.setSshSessionFactory(factory);
        }
    }

    /**
     * Connects and logs in to {@code url}'s host, within the connect timeout.
     *
     * @throws RepoException if the host cannot be reached, refuses the login, or its host key is refused (the
     *     message says which and what to do)
     */
    public SshSession open(SshUrl url) throws RepoException {
        Objects.requireNonNull(url, "url");
        URIish uri = new URIish().setScheme("ssh").setHost(url.host()).setPort(url.port().orElse(-1))
                .setUser(url.user().orElse(null)).setPath(url.path());
        try {
            RemoteSession session = factory.getSession(uri, null, FS.DETECTED,
                    (int) Math.min(Integer.MAX_VALUE, settings.connectTimeout().toMillis()));
            return new SshSession(url, session);
        } catch (TransportException | RuntimeException e) {
            throw new RepoException("cannot log in to " + url.where() + " over ssh: " + SshErrors.explain(e), e);
        }
    }

    @Override
    public void close() {
        factory.close();
    }

    /** JGit's factory with host keys checked strictly. */
    private static final class Factory extends SshdSessionFactory {
        private final SshSettings settings;

        Factory(SshSettings settings) {
            super(new JGitKeyCache(), null);
            this.settings = settings;
        }

        @Override
        protected ServerKeyDatabase createServerKeyDatabase(File homeDir, File sshDir) {
            return new StrictHostKeys(super.createServerKeyDatabase(homeDir, sshDir), settings.knownHosts());
        }
    }
}
