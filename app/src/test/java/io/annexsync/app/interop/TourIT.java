package io.annexsync.app.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.annexsync.gitsync.testing.GitAnnex;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/tour DIR}, which the README offers as a walk through the commands, on this build's jar. Needs git. */
class TourIT {
    @TempDir
    Path tmp;

    @Test
    void theTourRunsToTheEndAndShowsEachStepWorking() throws Exception {
        Path tour = Path.of("").toAbsolutePath().getParent().resolve("bin/tour");
        assertThat(tour).as("run from the app module").isExecutable();
        Path dir = tmp.resolve("tour");
        Path log = tmp.resolve("tour.log");
        ProcessBuilder pb = new ProcessBuilder(tour.toString(), dir.toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        new GitAnnex(tmp.resolve("home")).environment(pb.environment());
        Process p = pb.start();
        boolean finished = p.waitFor(300, TimeUnit.SECONDS);
        if (!finished) {
            p.destroyForcibly();
        }
        String out = Files.readString(log);
        assertThat(finished).as("tour finished in 5 minutes:\n%s", out).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("init my laptop ok", "add photos/beach.jpg ok", "add photos/sunset at sea.jpg ok",
                "add .settings (non-large file; adding content to git repository) ok", "init my desktop ok",
                "get photos/beach.jpg (from origin...) ok", "whereis photos/beach.jpg (2 copies)",
                "local annex keys: 2", "drop photos/beach.jpg (unsafe) failed",
                "Could only verify the existence of 1 out of 2 necessary copies",
                "(drop refused, as it should be: the content stays)", "drop photos/beach.jpg ok",
                "fsck photos/sunset at sea.jpg (checksum...) ok", "Done.");
        assertThat(dir.resolve("desktop/photos/sunset at sea.jpg")).hasSameBinaryContentAs(
                dir.resolve("laptop/photos/sunset at sea.jpg"));
    }
}
