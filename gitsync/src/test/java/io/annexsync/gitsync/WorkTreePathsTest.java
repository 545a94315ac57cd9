package io.annexsync.gitsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WorkTreePathsTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"", "/etc/passwd", "..", "../escape", "sub/../../escape", "a//b", "a/", "./a", "a/.",
        ".git", ".git/hooks/post-commit", ".GIT/x", ".Git", "sub/.git/config", ".git.", ".git ", ".git  ", ".git. .",
        ".git..", "GIT~1/x", "git~1", ".git:stream", ".git::$INDEX_ALLOCATION/x", ".git\\hooks", "sub/GIT~1 .",
        "a\u0000b", ".g\u200cit/x", "\u200d.git", ".git\ufeff", "\u206a.git/x"})
    void refusesWhatGitWouldNotCheckOut(String path) {
        assertThat(WorkTreePaths.problem(path)).as("'%s'", path).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "a/b/c.txt", ".gitignore", ".gitattributes", ".github/workflows/x.yml", "git",
        "git~2", ".gitx", "x.git", "...", "....txt", ".variant-a1b2.bashrc", "a:b", "What?.txt", "aux.c", "CON",
        "trailing space ", "trailing.dot.", "naïve/überall", "sub/..variant-1234.", "\u200c.gi"})
    void acceptsOrdinaryNamesAFileSystemOnLinuxHolds(String path) {
        assertThat(WorkTreePaths.problem(path)).as("'%s'", path).isEmpty();
    }

    @Test
    void saysWhyInWordsThatNameTheComponent() {
        assertThat(WorkTreePaths.problem("sub/../../escape")).contains(
                "a '..' component, which leads out of its folder");
        assertThat(WorkTreePaths.problem(".GIT/x")).contains("the component '.GIT', which names git's own folder .git");
        assertThat(WorkTreePaths.problem("/tmp/x")).contains("an absolute path");
        assertThat(WorkTreePaths.problem(".g\u200cit/x").orElseThrow()).contains("which git refuses");
    }

    @Test
    void checksTheRawBytesOfATreePath() {
        byte[] invalidUtf8 = {'.', 'g', 'i', 't', (byte) 0xff};
        assertThat(WorkTreePaths.problem(invalidUtf8)).isEmpty();
        assertThat(WorkTreePaths.problem(".git".getBytes(StandardCharsets.UTF_8))).isPresent();
        assertThat(WorkTreePaths.problem(new byte[] {'a', 0, 'b'})).isPresent();
    }

    @Test
    void refusesToWriteThroughALinkOrAFileOnTheWay() throws IOException {
        Path work = Files.createDirectories(tmp.resolve("work"));
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.createSymbolicLink(work.resolve("d"), outside);
        Files.createSymbolicLink(work.resolve("up"), Path.of("../.."));
        Files.writeString(work.resolve("file"), "x");

        assertThatThrownBy(() -> WorkTreePaths.resolve(work, "d/f")).isInstanceOf(UnsafePathException.class)
                .hasMessage("refusing to write d/f: d is a symbolic link, so the file would be written wherever it "
                        + "leads");
        assertThatThrownBy(() -> WorkTreePaths.resolve(work, "up/x/y")).isInstanceOf(UnsafePathException.class);
        assertThatThrownBy(() -> WorkTreePaths.resolve(work, "file/x")).hasMessageContaining("file is a file");
        assertThatThrownBy(() -> WorkTreePaths.resolve(work, "../x")).hasMessageContaining("'..' component");
    }

    @Test
    void resolvesPathsWhoseFoldersAreRealOrMissingAndTheFileItselfMayBeALink() throws Exception {
        Path work = Files.createDirectories(tmp.resolve("work"));
        Files.createDirectories(work.resolve("real/sub"));
        Files.createSymbolicLink(work.resolve("link"), tmp);
        assertThat(WorkTreePaths.resolve(work, "real/sub/f")).isEqualTo(work.resolve("real/sub/f"));
        assertThat(WorkTreePaths.resolve(work, "new/folder/f")).isEqualTo(work.resolve("new/folder/f"));
        assertThat(WorkTreePaths.resolve(work, "link")).isEqualTo(work.resolve("link"));
    }
}
