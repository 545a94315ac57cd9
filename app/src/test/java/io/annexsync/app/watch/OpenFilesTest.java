package io.annexsync.app.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files open for writing by another process, read from /proc: what lets a closed file be committed sooner. */
class OpenFilesTest {
    @TempDir
    Path tree;

    /** Starts {@code python3} holding {@code file} open in {@code mode} ('w', 'a' or 'r') until its stdin closes. */
    private static Process holding(Path file, String mode) throws Exception {
        Process p = new ProcessBuilder("python3", "-c", "import sys; f = open(sys.argv[1], sys.argv[2]); "
                + "print('open', flush=True); sys.stdin.read()", file.toString(), mode).redirectErrorStream(true)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).as("the holder opened %s", file).isEqualTo("open");
        return p;
    }

    private static void release(Process p) throws Exception {
        p.getOutputStream().close();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aFileAnotherProcessWritesIsSeenUntilItIsClosed() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "needs Linux /proc");
        Path file = Files.createDirectories(tree.resolve("sub")).resolve("being written.bin");
        Process writer = holding(file, "w");
        try {
            assertThat(OpenFiles.openForWriting(tree)).hasValue(Set.of("sub/being written.bin"));
        } finally {
            release(writer);
        }
        assertThat(OpenFiles.openForWriting(tree)).hasValue(Set.of());
    }

    @Test
    void aFileOpenOnlyForReadingOrOutsideTheTreeDoesNotCount() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "needs Linux /proc");
        Path read = Files.writeString(tree.resolve("read.txt"), "x");
        Path outside = Files.createTempFile("annex-sync-open-files", ".tmp");
        Process reader = holding(read, "r");
        Process writer = holding(outside, "a");
        try {
            Optional<Set<String>> open = OpenFiles.openForWriting(tree);
            assertThat(open).hasValue(Set.of());
        } finally {
            release(reader);
            release(writer);
            Files.deleteIfExists(outside);
        }
    }

    @Test
    void thisProcesssOwnFilesDoNotCount() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "needs Linux /proc");
        try (var out = Files.newOutputStream(tree.resolve("mine.txt"))) {
            out.write(1);
            assertThat(OpenFiles.openForWriting(tree)).hasValue(Set.of());
        }
    }
}
