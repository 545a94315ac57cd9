package io.annexsync.gitsync.remote.ssh;

import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.Uuid;
import io.annexsync.gitsync.remote.RemoteConfig;
import io.annexsync.gitsync.remote.Remotes;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;

/** What git-annex learns about an ssh remote before using it for content, done the same way. */
public final class SshRemotes {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private SshRemotes() {}

    /** A remote added: its settings as now configured, and what probing it found. */
    public record Added(RemoteConfig remote, Probe probe) {
        public Added {
            Objects.requireNonNull(remote, "remote");
            Objects.requireNonNull(probe, "probe");
        }
    }

    /**
     * Adds the ssh remote {@code name} at {@code url}, as {@code git remote add -f} followed by git-annex's
     * {@code configlist} probe: configures {@code remote.NAME.url} and the usual fetch refspec, records the far
     * uuid (or {@code annex-ignore} when the far side has no git-annex) and fetches its branches.
     *
     * @throws RepoException if the name is bad or taken, the URL is no ssh URL or malformed, or the host cannot be
     *     reached, logged in to or fetched from (its host key refused, say); the remote is then not configured
     */
    public static Added add(Repository repo, String name, String url, SshTransports ssh, Duration timeout)
            throws RepoException {
        if (!NAME.matcher(name).matches()) {
            throw new RepoException("bad remote name '" + name + "': use letters, digits, '.', '_' and '-'");
        }
        StoredConfig config = repo.getConfig();
        if (config.getSubsections("remote").contains(name)) {
            throw new RepoException("a remote called " + name + " already exists");
        }
        try {
            SshUrl.parse(url);
        } catch (IllegalArgumentException e) {
            throw new RepoException(e.getMessage(), e);
        }
        config.setString("remote", name, "url", url);
        config.setString("remote", name, "fetch", "+refs/heads/*:refs/remotes/" + name + "/*");
        save(repo, name);
        try (Git git = Git.wrap(repo)) {
            Probe probe = probe(repo, name, ssh, timeout);
            git.fetch().setRemote(name).setTransportConfigCallback(ssh)
                    .setTimeout((int) Math.max(1, timeout.toSeconds())).call();
            return new Added(Remotes.find(config, name).orElseThrow(), probe);
        } catch (RepoException | GitAPIException | RuntimeException e) {
            config.unsetSection("remote", name);
            save(repo, name);
            if (e instanceof RepoException r) {
                throw r;
            }
            throw new RepoException("cannot fetch from " + name + " (" + url + "): " + SshErrors.explain(e), e);
        }
    }

    private static void save(Repository repo, String name) throws RepoException {
        try {
            repo.getConfig().save();
        } catch (IOException e) {
            throw new RepoException("cannot write the settings of remote " + name + " in " + repo.getDirectory(), e);
        }
    }

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
        save(repo, name);
        return probe;
    }
}
