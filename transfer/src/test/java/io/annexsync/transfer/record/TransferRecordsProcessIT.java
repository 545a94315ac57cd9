package io.annexsync.transfer.record;

import static org.assertj.core.api.Assertions.assertThat;

import io.annexsync.gitsync.Uuid;
import io.annexsync.gitsync.key.Key;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Transfer records between two JVMs: the fcntl lock is what one process sees of the other's transfer. */
@Timeout(120)
class TransferRecordsProcessIT {
    private static final Uuid REMOTE = new Uuid("0b9c5a1e-1111-4a8b-9d0e-2f6a7b9c1d3e");
    private static final Key KEY = Key.of("SHA256E-s5--2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b"
            + "9824.txt");

    @TempDir
    Path tmp;
    private Path gitDir;
    private TransferRecords records;
    private final List<Process> started = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        gitDir = Files.createDirectories(tmp.resolve("repo/.git"));
        records = new TransferRecords(gitDir);
    }

    @AfterEach
    void stopChildren() throws Exception {
        for (Process p : started) {
            p.destroyForcibly();
            p.waitFor(60, TimeUnit.SECONDS);
        }
    }

    /** A second JVM that begins the download of KEY from REMOTE; its stdout is read line by line. */
    private Child startChild() throws IOException {
        return startChild("download");
    }

    /** A second JVM that holds {@code what} of KEY: {@code download} from REMOTE, or {@code partial}. */
    private Child startChild(String what) throws IOException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                HoldTransferMain.class.getName(), gitDir.toString(), what, REMOTE.value(), KEY.serialize())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        started.add(p);
        return new Child(p);
    }

    private record Child(Process process, BufferedReader out, Writer in) {
        Child(Process process) {
            this(process, new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)),
                    new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        }

        void tell(String line) throws IOException {
            in.write(line + "\n");
            in.flush();
        }

        void awaitExit() throws InterruptedException {
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("child exited").isTrue();
        }
    }

    private Path infoFile() {
        return gitDir.resolve("annex/transfer/download").resolve(REMOTE.value()).resolve(KEY.keyFile());
    }

    @Test
    void aTransferHeldByAnotherProcessIsLiveUntilThatProcessIsKilled() throws Exception {
        Child child = startChild();
        assertThat(child.out().readLine()).isEqualTo("begun");

        assertThat(records.begin(Direction.DOWNLOAD, REMOTE, KEY, Optional.empty())).isEmpty();
        assertThat(records.isRunning(Direction.DOWNLOAD, REMOTE, KEY)).isTrue();
        assertThat(records.live()).singleElement().satisfies(i -> {
            assertThat(i.key()).isEqualTo(KEY);
            assertThat(i.direction()).isEqualTo(Direction.DOWNLOAD);
            assertThat(i.remote()).isEqualTo(REMOTE);
            assertThat(i.file()).contains("held.bin");
        });
        assertThat(records.live()).as("probing does not disturb the holder").hasSize(1);

        child.process().destroyForcibly();
        child.awaitExit();
        assertThat(infoFile()).as("kill -9 leaves the record behind").exists();
        assertThat(records.live()).isEmpty();
        assertThat(infoFile()).doesNotExist();
        assertThat(infoFile().resolveSibling("lck." + KEY.keyFile())).doesNotExist();
        try (ActiveTransfer t = records.begin(Direction.DOWNLOAD, REMOTE, KEY, Optional.empty()).orElseThrow()) {
            t.finish();
        }
    }

    @Test
    void aRecordLeftByAProcessThatExitedIsStale() throws Exception {
        Child child = startChild();
        assertThat(child.out().readLine()).isEqualTo("begun");
        child.tell("halt");
        child.awaitExit();

        assertThat(infoFile()).exists();
        assertThat(records.isRunning(Direction.DOWNLOAD, REMOTE, KEY)).isFalse();
        assertThat(infoFile()).doesNotExist();
        assertThat(records.live()).isEmpty();
    }

    @Test
    void anotherProcessCannotBeginWhatWeHoldAndCanAfterwards() throws Exception {
        try (ActiveTransfer mine = records.begin(Direction.DOWNLOAD, REMOTE, KEY, Optional.empty()).orElseThrow()) {
            Child busy = startChild();
            assertThat(busy.out().readLine()).isEqualTo("busy");
            busy.tell("halt");
            busy.awaitExit();
            assertThat(records.live()).as("the other process's probe left our lock alone").hasSize(1);
            mine.finish();
        }
        Child child = startChild();
        assertThat(child.out().readLine()).isEqualTo("begun");
        assertThat(records.isRunning(Direction.DOWNLOAD, REMOTE, KEY)).isTrue();
        child.tell("finish");
        assertThat(child.out().readLine()).isEqualTo("finished");
        child.awaitExit();
        assertThat(records.live()).isEmpty();
        assertThat(infoFile()).doesNotExist();
    }

    @Test
    void aPartialLockExcludesTheOtherProcessUntilItEndsOrDies() throws Exception {
        try (PartialLock mine = records.tryLockPartial(KEY).orElseThrow()) {
            Child busy = startChild("partial");
            assertThat(busy.out().readLine()).isEqualTo("busy");
            busy.tell("halt");
            busy.awaitExit();
        }
        Child child = startChild("partial");
        assertThat(child.out().readLine()).isEqualTo("begun");
        assertThat(records.tryLockPartial(KEY)).isEmpty();
        child.process().destroyForcibly();
        child.awaitExit();
        try (PartialLock again = records.tryLockPartial(KEY).orElseThrow()) {
            assertThat(gitDir.resolve("annex-sync/partial/lck." + KEY.keyFile())).exists();
        }
        assertThat(gitDir.resolve("annex-sync/partial/lck." + KEY.keyFile())).as("deleted on release").doesNotExist();
    }
}
