package io.annexsync.app.cli;

import io.annexsync.app.config.AssistantConfig;
import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.RepoException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A subcommand that works on the repository containing the current folder (or {@code -C DIR}). */
abstract class RepoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Override
    public final Integer call() throws Exception {
        Reporter reporter = new Reporter(spec.commandLine().getOut(), spec.commandLine().getErr(), output.json);
        try (AnnexRepo repo = AnnexRepo.open(cwd())) {
            int code = run(repo, reporter);
            if (writes()) {
                repo.flush();
            }
            spec.commandLine().getOut().flush();
            return code;
        }
    }

    /** The folder the command was started in (for resolving relative paths). */
    Path cwd() {
        return ((AnnexSyncCommand) spec.root().userObject()).directory();
    }

    /** The repository's {@code .git/annex-sync/assistant.conf}, or the defaults. */
    static AssistantConfig loadConfig(AnnexRepo repo) throws RepoException {
        try {
            return AssistantConfig.load(repo.gitDir().resolve(AssistantConfig.FILE),
                    Runtime.getRuntime().availableProcessors());
        } catch (IOException e) {
            throw new RepoException("cannot read " + AssistantConfig.FILE + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether the command commits the journal when it is done, as git-annex's commands that change something do. A
     * command that only reads does not: it reads the journal as it is, and works on a full disk, where committing
     * another process's journal entries fails (they stay in the journal for the next command that writes).
     */
    boolean writes() {
        return true;
    }

    /** Does the command's work and returns its exit code. */
    abstract int run(AnnexRepo repo, Reporter reporter) throws RepoException;
}
