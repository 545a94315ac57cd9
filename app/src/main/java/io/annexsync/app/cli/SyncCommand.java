package io.annexsync.app.cli;

import io.annexsync.app.map.RepoMap;
import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.CommitResult;
import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.content.ItemResult;
import io.annexsync.gitsync.stage.StageOutcome;
import io.annexsync.gitsync.sync.ConflictResolution;
import io.annexsync.gitsync.sync.ContentStep;
import io.annexsync.gitsync.sync.FetchOutcome;
import io.annexsync.gitsync.sync.PushOutcome;
import io.annexsync.gitsync.sync.SyncOptions;
import io.annexsync.gitsync.sync.SyncReport;
import io.annexsync.gitsync.sync.Syncer;
import io.annexsync.transfer.content.ContentSync;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code annex-sync sync}: commit, fetch and merge from every remote, push to every remote, in parallel. */
@Command(
        name = "sync",
        description = {
            "Commit the work tree, fetch every remote in parallel, merge their branches (conflicts keep both versions,",
            "never stopping), union-merge the git-annex branches, and push to every remote in parallel. With",
            "--content, content moves along the network map's cheapest tree (flooding when the map is incomplete).",
            "A remote whose push fails is owed a push: the next sync tries it first; 'annex-sync status' lists them."
        })
final class SyncCommand extends RepoCommand {
    @Parameters(arity = "0..*", paramLabel = "REMOTE", description = "Only these remotes (default: all).")
    List<String> remotes = List.of();

    @Option(names = "--content", description = "Also get missing content and send content to remotes lacking it.")
    boolean content;

    @Option(names = "--no-pull", description = "Do not fetch and merge.")
    boolean noPull;

    @Option(names = "--no-push", description = "Do not push.")
    boolean noPush;

    @Option(
            names = "--timeout",
            paramLabel = "SECONDS",
            description = "How long one remote's fetch or push may take (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds = 120;

    @Override
    int run(AnnexRepo repo, Reporter reporter) throws RepoException {
        if (timeoutSeconds < 1) {
            throw new IllegalArgumentException("--timeout must be at least 1 second");
        }
        SyncOptions options = new SyncOptions(!noPull, !noPush, content, remotes, Duration.ofSeconds(timeoutSeconds),
                Runtime.getRuntime().availableProcessors());
        Clock clock = Clock.systemUTC();
        try (RepoMap map = RepoMap.load(repo, clock)) {
            map.publish(repo);
        }
        SyncReport report;
        try (TerminalProgress progress = TerminalProgress.open(spec.commandLine().getErr(), reporter.json(), "sync");
                CommandTransfers transfers = content ? CommandTransfers.start(repo, progress) : null) {
            Optional<ContentStep> step = Optional.ofNullable(transfers)
                    .map(t -> new ContentSync(r -> RepoMap.load(r, clock), t.transfers()));
            report = new Syncer(repo, options, clock, step).sync(progress);
        }
        for (StageOutcome o : report.notStaged()) {
            reporter.warn("not committed: " + o.path() + ": " + o.problem().orElse(o.kind().toString()));
        }
        report.committed().flatMap(CommitResult::moved).ifPresent(m -> reporter.human(CommitCommand.movedLine(m)));
        report.committed().filter(CommitResult::committed)
                .ifPresent(c -> reporter.human("commit [" + c.branch() + " " + c.id().substring(0, 7)
                        + "] (" + c.filesChanged() + " file" + (c.filesChanged() == 1 ? "" : "s") + " changed)"));
        List<ConflictResolution> conflicts = new ArrayList<>();
        report.committed().flatMap(CommitResult::moved).ifPresent(m -> conflicts.addAll(m.conflicts()));
        conflicts.addAll(report.merged().conflicts());
        for (ConflictResolution c : conflicts) {
            reporter.human("conflict in " + c.path() + " (" + c.kind().toString().toLowerCase(Locale.ROOT)
                    .replace('_', ' ') + "): kept as " + String.join(", ", c.keptAs()));
        }
        UnsafeReport.leftOut(reporter, "sync", report.leftOut());
        for (ItemResult r : report.content()) {
            reporter.item(r.note().startsWith("to ") ? "copy" : "get", r);
        }
        table(reporter, report);
        return report.succeeded() ? ExitCode.OK : ExitCode.FAILED;
    }

    private static void table(Reporter reporter, SyncReport report) {
        TreeSet<String> names = new TreeSet<>();
        report.fetched().forEach(f -> names.add(f.remote()));
        report.pushed().forEach(p -> names.add(p.remote()));
        if (!reporter.json() && !names.isEmpty()) {
            reporter.human(String.format("%-16s %-12s %-12s %9s  %s", "REMOTE", "FETCH", "PUSH", "TIME", "MESSAGE"));
        }
        for (String name : names) {
            Optional<FetchOutcome> f = report.fetched().stream().filter(o -> o.remote().equals(name)).findFirst();
            Optional<PushOutcome> p = report.pushed().stream().filter(o -> o.remote().equals(name)).findFirst();
            String fetch = f.map(o -> o.ok() ? "ok" : "failed").orElse("-");
            String push = p.map(o -> o.status().toString().toLowerCase(Locale.ROOT).replace('_', ' ')).orElse("-");
            Duration took = p.map(PushOutcome::elapsed).orElse(Duration.ZERO)
                    .plus(f.map(FetchOutcome::elapsed).orElse(Duration.ZERO));
            List<String> messages = new ArrayList<>();
            f.filter(o -> !o.ok()).ifPresent(o -> messages.add(o.message()));
            p.filter(o -> !o.message().isEmpty() && !messages.contains(o.message()))
                    .ifPresent(o -> messages.add(o.message()));
            if (reporter.json()) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("command", "sync");
                o.put("remote", name);
                o.put("fetch", fetch);
                o.put("push", push);
                o.put("elapsed-ms", took.toMillis());
                o.put("message", String.join("; ", messages));
                o.put("success", !push.equals("rejected") && !push.equals("unreachable") && !push.equals("failed"));
                reporter.object(o);
            } else {
                reporter.human(String.format("%-16s %-12s %-12s %7.2f s  %s", name, fetch, push,
                        took.toMillis() / 1000.0, String.join("; ", messages)));
            }
        }
    }
}
