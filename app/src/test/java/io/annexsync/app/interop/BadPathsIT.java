package io.annexsync.app.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.annexsync.gitsync.testing.GitAnnex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A path that names nothing does not cancel the others: {@code whereis}, {@code get}, {@code fsck} and {@code drop}
 * report it as git-annex does and still do every other path, with git-annex's exit code and closing line. Real
 * git-annex runs the same commands in a clone of the same repository as the oracle.
 */
class BadPathsIT {
    @TempDir
    Path tmp;

    private GitAnnex tools;
    private Path ours;
    private Path theirs;

    @BeforeEach
    void aRepositoryAndTwoClones() throws IOException {
        Oracle.assumeGitAnnex();
        tools = new GitAnnex(tmp.resolve("home"));
        Path origin = Files.createDirectories(tmp.resolve("origin"));
        Cli.ok(origin, "init", "origin");
        Oracle.identity(tools, origin);
        Files.writeString(origin.resolve("a.txt"), "the content of a\n");
        Cli.ok(origin, "add", "--locked", "a.txt");
        Cli.ok(origin, "commit", "-m", "a");
        ours = tmp.resolve("ours");
        tools.git(tmp, "clone", "-q", origin.toString(), ours.toString());
        Oracle.identity(tools, ours);
        Cli.ok(ours, "init", "ours");
        theirs = tmp.resolve("theirs");
        tools.git(tmp, "clone", "-q", origin.toString(), theirs.toString());
        tools.annex(theirs, "init", "theirs");
    }

    @Test
    void aPathThatNamesNothingFailsAsItsOwnItemAndTheOthersAreStillDone() {
        for (String command : List.of("whereis", "get", "fsck", "drop")) {
            Cli.Run run = Cli.run(ours, command, "a.txt", "nosuch");
            GitAnnex.Outcome oracle = tools.tryAnnex(theirs, command, "a.txt", "nosuch");
            assertThat(run.exitCode()).as("%s: %s\ngit-annex:\n%s", command, run, oracle.all())
                    .isEqualTo(oracle.exitCode()).isEqualTo(1);
            for (String line : List.of("error: pathspec 'nosuch' did not match any file(s) known to git",
                    "Did you forget to 'git add'?", command + ": 1 failed")) {
                assertThat(oracle.err()).as("git-annex %s", command).contains(line);
                assertThat(run.err()).as("%s: %s", command, run).contains(line);
            }
            assertThat(run.out()).as("%s: %s", command, run).contains(command + " a.txt");
            assertThat(oracle.out()).as("git-annex %s", command).contains(command + " a.txt");
            boolean present = !command.equals("drop") && !command.equals("whereis");
            assertThat(hasContent(ours)).as("content of a.txt in ours after %s", command).isEqualTo(present);
            assertThat(hasContent(theirs)).as("content of a.txt in theirs after %s", command).isEqualTo(present);
        }
    }

    @Test
    void copyReportsAPathThatNamesNothingAndStillCopiesTheOthers() {
        Cli.ok(ours, "get", "a.txt");
        tools.annex(theirs, "get", "a.txt");
        Path target = tmp.resolve("target");
        tools.git(tmp, "clone", "-q", tmp.resolve("origin").toString(), target.toString());
        tools.annex(target, "init", "target");
        Cli.ok(ours, "remote", "add", "target", target.toString());
        tools.git(theirs, "remote", "add", "target", target.toString());
        tools.annex(theirs, "sync", "--no-push", "--no-content");

        Cli.Run run = Cli.run(ours, "copy", "--to", "target", "a.txt", "nosuch");
        GitAnnex.Outcome oracle = tools.tryAnnex(theirs, "copy", "--to", "target", "a.txt", "nosuch");
        assertThat(run.exitCode()).as("%s\ngit-annex:\n%s", run, oracle.all()).isEqualTo(oracle.exitCode())
                .isEqualTo(1);
        for (String line : List.of("error: pathspec 'nosuch' did not match any file(s) known to git",
                "Did you forget to 'git add'?", "copy: 1 failed")) {
            assertThat(oracle.err()).as("git-annex copy").contains(line);
            assertThat(run.err()).as("%s", run).contains(line);
        }
        assertThat(run.out()).as("%s", run).contains("copy a.txt (to target...) ok");
        assertThat(tools.tryAnnex(target, "find", "--in=here", "a.txt").out()).contains("a.txt");
    }

    @Test
    void aPathThatNamesNothingInJsonModeStillGivesTheOtherItemsObjects() {
        Cli.Run run = Cli.run(ours, "whereis", "--json", "nosuch", "a.txt");
        GitAnnex.Outcome oracle = tools.tryAnnex(theirs, "whereis", "--json", "nosuch", "a.txt");
        assertThat(run.exitCode()).as("%s", run).isEqualTo(oracle.exitCode()).isEqualTo(1);
        assertThat(Oracle.whereis(run.out()).keySet()).isEqualTo(Oracle.whereis(oracle.out()).keySet())
                .containsExactly("a.txt");
        assertThat(run.err()).contains("error: pathspec 'nosuch' did not match any file(s) known to git");
    }

    private boolean hasContent(Path clone) {
        return tools.tryAnnex(clone, "find", "--in=here", "a.txt").out().contains("a.txt");
    }
}
