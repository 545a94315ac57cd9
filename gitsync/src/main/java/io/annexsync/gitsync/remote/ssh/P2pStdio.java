package io.annexsync.gitsync.remote.ssh;

import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.Uuid;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.jgit.lib.Repository;

/**
 * A P2P protocol connection to an ssh remote, as git-annex opens one: an ssh session to the remote's host, the far
 * uuid from {@code remote.NAME.annex-uuid} (or {@code git-annex-shell configlist} when none is recorded yet), then
 * {@code git-annex-shell p2pstdio DIR OUR-UUID --uuid FAR-UUID}. The P2P client (in {@code transfer}) reads
 * {@link #in()} (the server speaks first: {@code AUTH-SUCCESS <uuid>}) and writes {@link #out()}.
 *
 * <p>One connection carries one conversation; one thread may write while another reads. Whoever opened it closes
 * it, which ends the channel and the session.
 */
public final class P2pStdio implements AutoCloseable {
    private final SshSession session;
    private final ExecChannel channel;
    private final Uuid server;

    private P2pStdio(SshSession session, ExecChannel channel, Uuid server) {
        this.session = session;
        this.channel = channel;
        this.server = server;
    }

    /**
     * Opens the connection to the ssh remote {@code name} of {@code repo}, for this repository {@code self}.
     *
     * @throws NoGitAnnexException if the far side has no git-annex repository (when its uuid had to be learnt)
     * @throws RepoException if the remote is not an ssh remote, is marked {@code annex-ignore}, or cannot be reached
     *     or logged in to (a refused host key, say)
     */
    public static P2pStdio open(Repository repo, String name, Uuid self, SshTransports ssh, Duration timeout)
            throws RepoException {
        Objects.requireNonNull(self, "self");
        String url = repo.getConfig().getString("remote", name, "url");
        if (url == null || !SshUrl.isSsh(url)) {
            throw new RepoException("remote " + name + " is not an ssh remote" + (url == null ? "" : ": " + url));
        }
        if (repo.getConfig().getBoolean("remote", name, "annex-ignore", false)) {
            throw new RepoException("remote " + name + " is set to annex-ignore (no git-annex there when it was"
                    + " probed): unset remote." + name + ".annex-ignore to try it again");
        }
        SshUrl parsed;
        try {
            parsed = SshUrl.parse(url);
        } catch (IllegalArgumentException e) {
            throw new RepoException("remote " + name + ": " + e.getMessage(), e);
        }
        SshSession session = ssh.open(parsed);
        try {
            GitAnnexShell shell = new GitAnnexShell(session, timeout);
            Optional<Uuid> known = Optional.ofNullable(repo.getConfig().getString("remote", name, "annex-uuid"))
                    .flatMap(u -> Uuid.parse(u.trim()));
            Uuid server = known.isPresent() ? known.get() : shell.configlist().uuid();
            return new P2pStdio(session, shell.p2pstdio(self, server), server);
        } catch (RepoException | RuntimeException e) {
            session.close();
            throw e;
        }
    }

    /** The uuid the far repository must have (git-annex-shell refuses to serve otherwise). */
    public Uuid server() {
        return server;
    }

    /** What the server says. */
    public InputStream in() {
        return channel.stdout();
    }

    /** What we say. */
    public OutputStream out() {
        return channel.stdin();
    }

    /** git-annex-shell's stderr: why it refused or failed ("Verification of content failed"). */
    public InputStream err() {
        return channel.stderr();
    }

    @Override
    public void close() {
        channel.close();
        session.close();
    }
}
