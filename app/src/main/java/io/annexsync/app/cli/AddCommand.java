package io.annexsync.app.cli;

import io.annexsync.app.config.AssistantConfig;
import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.stage.AddOptions;
import io.annexsync.gitsync.stage.StageOutcome;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code annex-sync add PATH…}: stages files, annexing large ones (annex.largefiles) and adding the rest to git. */
@Command(
        name = "add",
        description = {
            "Stage files: large files (annex.largefiles; by default every file but dotfiles) go into the annex,",
            "unlocked unless --locked; the others go into git. Unchanged files are not hashed again."
        })
final class AddCommand extends RepoCommand {
    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files or folders to add.")
    List<Path> paths;

    @Option(
            names = "--locked",
            negatable = true,
            description = "Add annexed files locked (git-annex's symlinks, read-only content); --no-locked: unlocked."
                    + " Default: add.locked in assistant.conf, else unlocked.")
    Boolean locked;

    @Option(names = "--force-large", description = "Annex every file given, whatever annex.largefiles says.")
    boolean forceLarge;

    @Option(names = "--force-small", description = "Add every file given to git, whatever annex.largefiles says.")
    boolean forceSmall;

    @Option(
            names = "--jobs",
            paramLabel = "N",
            description = "Files hashed in parallel. Default: add.jobs in assistant.conf, else the number of cores.")
    Integer jobs;

    @Override
    int run(AnnexRepo repo, Reporter reporter) throws RepoException {
        if (forceLarge && forceSmall) {
            throw new IllegalArgumentException("--force-large and --force-small exclude each other");
        }
        AddOptions.Force force = forceLarge ? AddOptions.Force.LARGE
                : forceSmall ? AddOptions.Force.SMALL : AddOptions.Force.NONE;
        AssistantConfig config = loadConfig(repo);
        boolean lock = locked != null ? locked : config.addLocked();
        int threads = jobs != null ? jobs : config.addJobs();
        if (threads < 1) {
            throw new IllegalArgumentException("--jobs must be at least 1");
        }
        List<Path> absolute = paths.stream().map(p -> cwd().resolve(p)).toList();
        try (TerminalProgress progress = TerminalProgress.open(spec.commandLine().getErr(), reporter.json(), "add")) {
            List<StageOutcome> outcomes = repo.add(absolute, new AddOptions(lock, force, threads), progress);
            outcomes.sort(Comparator.comparing(StageOutcome::path));
            for (StageOutcome o : outcomes) {
                report(reporter, o);
            }
        }
        return reporter.finish("add");
    }

    private static void report(Reporter reporter, StageOutcome o) {
        switch (o.kind()) {
            case UNCHANGED, DELETED -> { }
            case FAILED, MISSING, OUTSIDE -> {
                reporter.fail();
                reporter.warn("add " + o.path() + " failed: " + o.problem().orElse(o.kind().toString()));
            }
            case IGNORED -> reporter.warn("add " + o.path() + " skipped: " + o.problem().orElse("not a regular file"));
            case REFUSED -> {
                reporter.fail();
                reporter.warn("add " + o.path() + " refused: " + o.problem().orElse(o.kind().toString()));
            }
            default -> {
                if (reporter.json()) {
                    Map<String, Object> j = new LinkedHashMap<>();
                    j.put("command", "add");
                    j.put("error-messages", List.of());
                    j.put("file", o.path());
                    j.put("input", List.of(o.path()));
                    o.key().ifPresent(k -> j.put("key", k.serialize()));
                    j.put("success", true);
                    reporter.object(j);
                } else {
                    String where = o.key().isPresent() ? "" : " (non-large file; adding content to git repository)";
                    reporter.human("add " + o.path() + where + " ok");
                }
            }
        }
    }
}
