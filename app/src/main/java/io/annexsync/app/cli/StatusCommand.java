package io.annexsync.app.cli;

import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.WorkTreeChange;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code annex-sync status}: what changed in the work tree since the last commit, as {@code git annex status} shows. */
@Command(
        name = "status",
        description = {
            "Show files that are new (?), modified (M), deleted (D), or staged but not committed (A).",
            "Annexed files are compared through the stat cache: unchanged files are not hashed."
        })
final class StatusCommand extends RepoCommand {
    @Override
    int run(AnnexRepo repo, Reporter reporter) throws RepoException {
        for (WorkTreeChange c : repo.status()) {
            if (reporter.json()) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("status", String.valueOf(c.code()));
                o.put("file", c.path());
                o.put("error-messages", java.util.List.of());
                reporter.object(o);
            } else {
                reporter.human(c.code() + " " + c.path());
            }
        }
        return ExitCode.OK;
    }
}
