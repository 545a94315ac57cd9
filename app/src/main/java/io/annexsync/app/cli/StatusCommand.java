package io.annexsync.app.cli;

import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.WorkTreeChange;
import io.annexsync.gitsync.sync.OwedPush;
import io.annexsync.gitsync.sync.OwedPushes;
import io.annexsync.gitsync.sync.RetryPolicy;
import io.annexsync.gitsync.sync.UnsafeCommits;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

/**
 * {@code annex-sync status}: whether the assistant runs and what it does, transfers, full disks, owed pushes, incoming
 * commits whose unsafe paths were left out, and what changed in the work tree since the last commit.
 */
@Command(
        name = "status",
        description = {
            "Show whether the assistant daemon runs and what it is doing (last commit, last sync with each remote),",
            "transfers queued and running, full disks (this repository's, and remotes' the daemon writes into),",
            "pushes owed to remotes, incoming commits whose unsafe paths were left out,",
            "then files that are new (?), modified (M),",
            "deleted (D), staged but not committed (A), or ignored as not regular files (!: FIFOs, sockets, devices).",
            "Annexed files are compared through the stat cache: unchanged files are not hashed."
        })
final class StatusCommand extends RepoCommand {
    /** What a {@code !} line adds: why the file is never added. */
    private static final String IGNORED = " (ignored: not a regular file; git and git-annex ignore it too)";

    @Override
    boolean writes() {
        return false;
    }

    @Override
    int run(AnnexRepo repo, Reporter reporter) throws RepoException {
        DaemonStatusView.show(repo, reporter, true);
        DaemonStatusView.fullDisks(repo, reporter);
        owedPushes(repo, reporter);
        try (UnsafeCommits unsafe = UnsafeCommits.open(repo.gitDir())) {
            UnsafeReport.recorded(reporter, unsafe.all());
        }
        for (WorkTreeChange c : repo.status()) {
            if (reporter.json()) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("status", String.valueOf(c.code()));
                o.put("file", c.path());
                o.put("error-messages", List.of());
                reporter.object(o);
            } else {
                reporter.human(c.code() + " " + c.path() + (c.code() == '!' ? IGNORED : ""));
            }
        }
        return ExitCode.OK;
    }

    /** The pushes a failed sync left owed, with their error and the time of the next try. */
    private static void owedPushes(AnnexRepo repo, Reporter reporter) throws RepoException {
        try (OwedPushes owed = OwedPushes.open(repo.gitDir(), Clock.systemUTC(), RetryPolicy.DEFAULT)) {
            for (OwedPush o : owed.all()) {
                if (reporter.json()) {
                    Map<String, Object> j = new LinkedHashMap<>();
                    j.put("owed-push", o.remote());
                    j.put("error", o.error());
                    j.put("attempts", o.attempts());
                    j.put("first-failed", o.firstFailed().toString());
                    j.put("next-try", o.nextTry().toString());
                    reporter.object(j);
                } else {
                    reporter.human("push owed to " + o.remote() + " (" + o.attempts() + " failed attempt"
                            + (o.attempts() == 1 ? "" : "s") + ", next try " + o.nextTry() + "): " + o.error());
                }
            }
        }
    }
}
