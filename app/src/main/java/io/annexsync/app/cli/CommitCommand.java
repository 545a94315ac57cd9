package io.annexsync.app.cli;

import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.CommitResult;
import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.sync.ConflictResolution;
import io.annexsync.gitsync.sync.MovedMerge;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code annex-sync commit -m MSG}: commits what {@code add} staged, and the git-annex branch's journal. */
@Command(name = "commit", description = "Commit the staged changes (and record the git-annex branch's pending logs).")
final class CommitCommand extends RepoCommand {
    @Option(names = {"-m", "--message"}, required = true, paramLabel = "MSG", description = "The commit message.")
    String message;

    @Override
    int run(AnnexRepo repo, Reporter reporter) throws RepoException {
        Optional<CommitResult> result = repo.commit(message);
        Optional<MovedMerge> moved = result.flatMap(CommitResult::moved);
        boolean committed = result.map(CommitResult::committed).orElse(false);
        if (reporter.json()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("command", "commit");
            o.put("commit", committed ? result.get().id() : null);
            o.put("files-changed", result.map(CommitResult::filesChanged).orElse(0));
            moved.ifPresent(m -> {
                o.put("moved-from", m.leftAt().orElse(null));
                o.put("moved-to", m.foundAt());
                o.put("head", m.head());
                o.put("conflicts", m.conflicts().stream().map(ConflictResolution::path).toList());
            });
            o.put("success", true);
            reporter.object(o);
            return ExitCode.OK;
        }
        moved.ifPresent(m -> {
            reporter.human(movedLine(m));
            m.conflicts().forEach(c -> reporter.human("conflict in " + c.path() + " ("
                    + c.kind().toString().toLowerCase(Locale.ROOT).replace('_', ' ') + "): kept as "
                    + String.join(", ", c.keptAs())));
        });
        if (committed) {
            CommitResult r = result.get();
            reporter.human("[" + r.branch() + " " + r.id().substring(0, 7) + "] " + message + " ("
                    + r.filesChanged() + " file" + (r.filesChanged() == 1 ? "" : "s") + " changed)");
        } else if (moved.isEmpty()) {
            reporter.human("nothing to commit");
        }
        return ExitCode.OK;
    }

    /** The line that says a branch moved outside annex-sync was caught up with (shared with {@code sync}). */
    static String movedLine(MovedMerge m) {
        return "merge " + m.branch() + ": moved outside annex-sync from "
                + m.leftAt().map(id -> id.substring(0, 7)).orElse("nothing") + " to " + m.foundAt().substring(0, 7)
                + "; " + (m.takenAsFound() ? "taken as it is" : "merged, now at " + m.head().substring(0, 7))
                + (m.conflicts().isEmpty() ? "" : " (" + m.conflicts().size() + " conflicts kept)");
    }
}
