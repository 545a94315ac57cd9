package io.annexsync.app.cli;

import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.remote.RemoteConfig;
import io.annexsync.gitsync.remote.ssh.SshRemotes;
import io.annexsync.gitsync.remote.ssh.SshSettings;
import io.annexsync.gitsync.remote.ssh.SshTransports;
import io.annexsync.gitsync.remote.ssh.SshUrl;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code annex-sync remote add NAME PATH} and {@code annex-sync remote list}. */
@Command(
        name = "remote",
        description = "Manage remotes (in this version: other repositories on local paths or mounted drives).",
        subcommands = {RemoteCommand.Add.class, RemoteCommand.ListRemotes.class})
final class RemoteCommand {
    /** {@code remote add NAME PATH}: configures the remote, learns its uuid and fetches its branches. */
    @Command(name = "add", description = "Add a remote repository at PATH, learn its uuid and fetch its branches.")
    static final class Add extends SubCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "The remote's name.")
        String name;

        @Parameters(index = "1", paramLabel = "PATH", description = "Where the repository is: a folder, or an ssh URL "
                + "(ssh://[user@]host[:port]/path or [user@]host:path) of a git-annex repository.")
        String path;

        @Override
        int run(AnnexRepo repo, Reporter reporter) throws RepoException {
            RemoteConfig r = SshUrl.isSsh(path) ? addSsh(repo, reporter) : repo.addRemote(name,
                    cwd().resolve(path).normalize());
            if (reporter.json()) {
                reporter.object(json(r));
            } else {
                reporter.human("remote add " + r.name() + " ok (uuid " + r.uuid().map(Object::toString).orElse("?")
                        + ", cost " + r.cost() + ")");
            }
            return ExitCode.OK;
        }

        /** An ssh remote, with the user's ssh keys, config and known_hosts (docs/ssh.md). */
        private RemoteConfig addSsh(AnnexRepo repo, Reporter reporter) throws RepoException {
            try (SshTransports ssh = new SshTransports(SshSettings.user())) {
                SshRemotes.Added added = SshRemotes.add(repo.git(), name, path, ssh, Duration.ofSeconds(120));
                added.probe().ignoredBecause().ifPresent(why -> reporter.warn(why + "; remote " + name
                        + " is used for git only (annex-ignore)"));
                return added.remote();
            }
        }
    }

    /** {@code remote list}: the configured remotes, cheapest first. */
    @Command(name = "list", description = "List the remotes, cheapest first.")
    static final class ListRemotes extends SubCommand {
        @Override
        int run(AnnexRepo repo, Reporter reporter) throws RepoException {
            for (RemoteConfig r : repo.remotes()) {
                if (reporter.json()) {
                    reporter.object(json(r));
                } else {
                    reporter.human(r.name() + "\t" + r.url() + "\t" + r.uuid().map(Object::toString).orElse("-")
                            + "\tcost " + r.cost() + (r.ignored() ? "\tignored" : ""));
                }
            }
            return ExitCode.OK;
        }
    }

    private static Map<String, Object> json(RemoteConfig r) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("remote", r.name());
        o.put("url", r.url());
        o.put("uuid", r.uuid().map(Object::toString).orElse(null));
        o.put("cost", r.cost());
        o.put("ignored", r.ignored());
        return o;
    }

    /** A {@code remote} subcommand: works on the repository like the top-level commands. */
    abstract static class SubCommand extends RepoCommand {}
}
