package io.annexsync.gitsync.remote.ssh;

import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.Uuid;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;

/** What git-annex learns about an ssh remote before using it for content, done the same way. */
public final class SshRemotes {
    private SshRemotes() {}

    /**
     * What probing a remote found: its uuid, or why it cannot hold content (then {@code remote.NAME.annex-ignore}
     * was set to true, as git-annex sets it, and the remote is used for git only).
     */
    public record Probe(Optional<Uuid> uuid, Optional<String> ignoredBecause) {
        public Probe {
            Objects.requireNonNull(uuid, "uuid");
            Objects.requireNonNull(ignoredBecause, "ignoredBecause");
        }
    }

    /**
     * Runs {@code git-annex-shell configlist} on the far side of the ssh remote {@code name} of {@code repo} and
     * records the answer in its git config: {@code remote.NAME.annex-uuid}, or {@code remote.NAME.annex-ignore=true}
     * when the far side has no git-annex repository.
     *
     * @throws RepoException if the remote is not configured or not ssh, cannot be reached or logged in to (its host
     *     key refused, say), or the config cannot be written: nothing is recorded then
     */
    public static Probe probe(Repository repo, String name, SshTransports ssh, Duration timeout)
            throws RepoException {
        StoredConfig config = repo.getConfig();
        String url = config.getString("remote", name, "url");
        if (url == null) {
            throw new RepoException("there is no remote called " + name);
        }
        SshUrl parsed;
        try {
            parsed = SshUrl.parse(url);
        } catch (IllegalArgumentException e) {
            throw new RepoException("remote " + name + ": " + e.getMessage(), e);
        }
        Probe probe;
        try (SshSession session = ssh.open(parsed)) {
            Uuid uuid = new GitAnnexShell(session, timeout).configlist().uuid();
            config.setString("remote", name, "annex-uuid", uuid.value());
            config.unset("remote", name, "annex-ignore");
            probe = new Probe(Optional.of(uuid), Optional.empty());
        } catch (NoGitAnnexException e) {
            config.setBoolean("remote", name, "annex-ignore", true);
            probe = new Probe(Optional.empty(), Optional.of(e.getMessage()));
        }
        try {
            config.save();
        } catch (IOException e) {
            throw new RepoException("cannot record what remote " + name + " is in " + repo.getDirectory(), e);
        }
        return probe;
    }
}
