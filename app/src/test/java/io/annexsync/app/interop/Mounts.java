package io.annexsync.app.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real read-only and full file systems for the tests that need them: a small tmpfs (a disk that fills), remounted
 * read-only, or a folder bind-mounted onto itself read-only. Only root can mount: {@link #assumeAvailable} skips the
 * test otherwise, with the reason. Unmounts everything it mounted when closed (before JUnit deletes the temporary
 * folder). One per test.
 */
final class Mounts implements AutoCloseable {
    private final Deque<Path> mounted = new ArrayDeque<>();

    /** Skips the calling test (a JUnit assumption) unless this process may mount file systems. */
    static void assumeAvailable(Path scratch) throws IOException, InterruptedException {
        assumeTrue("root".equals(System.getProperty("user.name")),
                "needs root to mount a tmpfs (read-only folders, full disks); run as root to include it");
        Path probe = Files.createDirectories(scratch.resolve("mount-probe"));
        boolean ok = run(List.of("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", probe.toString())) == 0;
        if (ok) {
            run(List.of("umount", probe.toString()));
        }
        assumeTrue(ok, "mount -t tmpfs is refused here (a container without CAP_SYS_ADMIN?)");
    }

    /** Mounts a tmpfs of {@code size} ({@code 2m}) on {@code dir} (made when missing); returns {@code dir}. */
    Path tmpfs(Path dir, String size) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        mount(dir, List.of("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString()));
        return dir;
    }

    /** Gives the tmpfs on {@code dir} another size: more room frees the disk. */
    void resize(Path dir, String size) throws IOException, InterruptedException {
        assertThat(run(List.of("mount", "-o", "remount,size=" + size, dir.toString()))).as("resize %s", dir).isZero();
    }

    /** Makes the tmpfs on {@code dir} read-only. */
    void remountReadOnly(Path dir) throws IOException, InterruptedException {
        assertThat(run(List.of("mount", "-o", "remount,ro", dir.toString()))).as("remount ro %s", dir).isZero();
    }

    /** Makes the folder {@code dir} (on any file system) read-only by bind-mounting it onto itself. */
    void bindReadOnly(Path dir) throws IOException, InterruptedException {
        mount(dir, List.of("mount", "--bind", dir.toString(), dir.toString()));
        assertThat(run(List.of("mount", "-o", "remount,ro,bind", dir.toString()))).as("remount ro %s", dir).isZero();
    }

    private void mount(Path dir, List<String> command) throws IOException, InterruptedException {
        assertThat(run(command)).as("%s", command).isZero();
        mounted.push(dir);
    }

    private static int run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        while (!mounted.isEmpty()) {
            Path dir = mounted.pop();
            if (run(List.of("umount", dir.toString())) != 0) {
                run(List.of("umount", "-l", dir.toString())); // something still has a file open there
            }
        }
    }
}
