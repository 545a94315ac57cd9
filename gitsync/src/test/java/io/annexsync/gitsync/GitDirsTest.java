package io.annexsync.gitsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annexsync.gitsync.branch.Journal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitDirsTest {
    @TempDir
    Path tmp;

    @Test
    void makesFoldersBelowAGitDirectoryThatExists() throws Exception {
        Path git = Files.createDirectories(tmp.resolve("repo/.git"));
        GitDirs.createBelow(git, git.resolve("annex/transfer/download"));
        assertThat(git.resolve("annex/transfer/download")).isDirectory();
    }

    @Test
    void neverMakesTheGitDirectoryOfARepositoryThatIsGone() {
        Path drive = tmp.resolve("media/usb");
        Path git = drive.resolve(".git");
        assertThatThrownBy(() -> GitDirs.createBelow(git, git.resolve("annex/journal")))
                .isInstanceOf(NoSuchFileException.class).hasMessageContaining("not mounted");
        assertThat(drive).doesNotExist();
    }

    @Test
    void aJournalWriteIntoAnUnmountedRemoteFailsAndLeavesNoFolderBehind() {
        Path drive = tmp.resolve("media/usb");
        Journal journal = new Journal(drive.resolve(".git/annex"));
        assertThatThrownBy(() -> journal.write("uuid.log", "x\n".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(RepoException.class);
        assertThat(drive).doesNotExist();
    }

    @Test
    void refusesAFolderOutsideTheGitDirectory() {
        Path git = tmp.resolve("repo/.git");
        assertThatThrownBy(() -> GitDirs.createBelow(git, tmp.resolve("elsewhere")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
