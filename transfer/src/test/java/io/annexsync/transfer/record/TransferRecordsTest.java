package io.annexsync.transfer.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annexsync.gitsync.Uuid;
import io.annexsync.gitsync.key.Key;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransferRecordsTest {
    private static final Instant START = Instant.ofEpochSecond(1795444757L, 154513695);
    private static final Uuid REMOTE = new Uuid("f0c1271e-5d4b-4a8b-9d0e-2f6a7b9c1d3e");
    private static final Key KEY = Key.of("SHA256E-s2000000--90b3c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4"
            + "c5d6e7f8a9b0.bin");

    @TempDir
    Path tmp;
    private Path gitDir;
    private Path transferDir;
    private MutableClock clock;
    private TransferRecords records;

    @BeforeEach
    void setUp() throws Exception {
        gitDir = Files.createDirectories(tmp.resolve("repo/.git"));
        transferDir = gitDir.resolve("annex/transfer");
        clock = new MutableClock(START);
        records = new TransferRecords(gitDir, clock);
    }

    private Path info(Direction d) {
        return transferDir.resolve(d.dirName()).resolve(REMOTE.value()).resolve(KEY.keyFile());
    }

    private Path lock(Direction d) {
        return info(d).resolveSibling("lck." + KEY.keyFile());
    }

    private static String text(Path file) throws Exception {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    @Test
    void writesTheInfoFileByteForByteAsGitAnnexDoes() throws Exception {
        Optional<String> file = Optional.of("mid3.bin");
        try (ActiveTransfer t = records.begin(Direction.DOWNLOAD, REMOTE, KEY, file).orElseThrow()) {
            assertThat(text(info(Direction.DOWNLOAD))).isEqualTo("1795444757.154513695s\nmid3.bin\n");
            assertThat(lock(Direction.DOWNLOAD)).isEmptyFile();
            clock.advance(Duration.ofSeconds(1));
            t.progress(425776);
            assertThat(text(info(Direction.DOWNLOAD))).isEqualTo("1795444757.154513695s 425776\nmid3.bin\n");
            clock.advance(Duration.ofSeconds(1));
            t.progress(1015312);
            assertThat(text(info(Direction.DOWNLOAD))).isEqualTo("1795444757.154513695s 1015312\nmid3.bin\n");
            t.finish();
        }
    }

    @Test
    void writesWholeSecondsWithoutDotAndAnEmptyLineWithoutFile() throws Exception {
        records = new TransferRecords(gitDir, new MutableClock(Instant.ofEpochSecond(1795444680L, 900000000)));
        try (ActiveTransfer t = records.begin(Direction.UPLOAD, REMOTE, KEY, Optional.empty()).orElseThrow()) {
            assertThat(text(info(Direction.UPLOAD))).isEqualTo("1795444680.9s\n\n");
            t.finish();
        }
        assertThat(InfoFormat.formatTime(Instant.ofEpochSecond(1795444680L))).isEqualTo("1795444680s");
    }

    @Test
    void throttlesProgressByOnePercentAndByTime() throws Exception {
        Key small = Key.of("SHA256E-s10000--aa.bin");
        Path file = transferDir.resolve("upload").resolve(REMOTE.value()).resolve(small.keyFile());
        try (ActiveTransfer t = records.begin(Direction.UPLOAD, REMOTE, small, Optional.of("x")).orElseThrow()) {
            clock.advance(Duration.ofSeconds(1));
            t.progress(99);
            assertThat(text(file)).as("below 1%% of 10000").isEqualTo("1795444757.154513695s\nx\n");
            t.progress(100);
            assertThat(text(file)).isEqualTo("1795444757.154513695s 100\nx\n");
            clock.advance(Duration.ofMillis(100));
            t.progress(5000);
            assertThat(text(file)).as("100 ms after the last write").isEqualTo("1795444757.154513695s 100\nx\n");
            assertThat(t.info().bytesDone()).hasValue(5000);
            clock.advance(Duration.ofMillis(150));
            t.progress(5000);
            assertThat(text(file)).isEqualTo("1795444757.154513695s 5000\nx\n");
            t.finish();
        }
    }

    @Test
    void stepsBy100KibWhenTheKeyHasNoSize() throws Exception {
        Key unsized = Key.of("URL--http://example.com/x");
        Path file = transferDir.resolve("download").resolve(REMOTE.value()).resolve(unsized.keyFile());
        try (ActiveTransfer t = records.begin(Direction.DOWNLOAD, REMOTE, unsized, Optional.empty()).orElseThrow()) {
            clock.advance(Duration.ofSeconds(1));
            t.progress(100 * 1024 - 1);
            assertThat(text(file)).isEqualTo("1795444757.154513695s\n\n");
            t.progress(100 * 1024);
            assertThat(text(file)).isEqualTo("1795444757.154513695s 102400\n\n");
            t.finish();
        }
    }

    @Test
    void finishDeletesInfoAndLockFiles() throws Exception {
        ActiveTransfer t = records.begin(Direction.DOWNLOAD, REMOTE, KEY, Optional.of("a")).orElseThrow();
        assertThat(records.isRunning(Direction.DOWNLOAD, REMOTE, KEY)).isTrue();
        t.finish();
        t.close();
        assertThat(info(Direction.DOWNLOAD)).doesNotExist();
        assertThat(lock(Direction.DOWNLOAD)).doesNotExist();
        assertThat(records.live()).isEmpty();
        assertThat(records.failed()).isEmpty();
        assertThat(records.isRunning(Direction.DOWNLOAD, REMOTE, KEY)).isFalse();
        assertThatThrownBy(() -> t.progress(1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void failMovesTheInfoFileToFailed() throws Exception {
        try (ActiveTransfer t = records.begin(Direction.DOWNLOAD, REMOTE, KEY, Optional.of("x")).orElseThrow()) {
            t.fail();
        }
        Path failed = transferDir.resolve("failed/download").resolve(REMOTE.value()).resolve(KEY.keyFile());
        assertThat(text(failed)).isEqualTo("1795444757.154513695s\nx\n");
        assertThat(info(Direction.DOWNLOAD)).doesNotExist();
        assertThat(lock(Direction.DOWNLOAD)).doesNotExist();
        assertThat(records.failed()).containsExactly(new TransferInfo(Direction.DOWNLOAD, REMOTE, KEY,
                Optional.of("x"), START, OptionalLong.empty()));
        assertThat(records.clearFailed(Direction.DOWNLOAD, REMOTE, KEY)).isTrue();
        assertThat(records.failed()).isEmpty();
        assertThat(records.clearFailed(Direction.DOWNLOAD, REMOTE, KEY)).isFalse();
    }

    @Test
    void closeWithoutFinishRecordsAFailure() throws Exception {
        try (ActiveTransfer t = records.begin(Direction.UPLOAD, REMOTE, KEY, Optional.empty()).orElseThrow()) {
            clock.advance(Duration.ofSeconds(1));
            t.progress(40000);
        }
        assertThat(records.failed()).containsExactly(new TransferInfo(Direction.UPLOAD, REMOTE, KEY,
                Optional.empty(), START, OptionalLong.of(40000)));
        assertThat(records.live()).isEmpty();
    }

    @Test
    void liveListsOwnRecordsWithTheirLatestProgress() throws Exception {
        try (ActiveTransfer up = records.begin(Direction.UPLOAD, REMOTE, KEY, Optional.of("u")).orElseThrow();
                ActiveTransfer down = records.begin(Direction.DOWNLOAD, REMOTE, KEY, Optional.empty()).orElseThrow()) {
            up.progress(7);
            assertThat(records.live()).containsExactly(
                    new TransferInfo(Direction.UPLOAD, REMOTE, KEY, Optional.of("u"), START, OptionalLong.of(7)),
                    new TransferInfo(Direction.DOWNLOAD, REMOTE, KEY, Optional.empty(), START, OptionalLong.empty()));
            assertThat(lock(Direction.UPLOAD)).as("probing must not drop our own locks").exists();
            up.finish();
            down.finish();
        }
    }

    @Test
    void secondThreadCannotBeginTheSameTransferButAnotherDirection() throws Exception {
        ExecutorService other = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-other-thread"));
        try (ActiveTransfer mine = records.begin(Direction.DOWNLOAD, REMOTE, KEY, Optional.empty()).orElseThrow()) {
            TransferRecords sameRepo = new TransferRecords(tmp.resolve("repo/../repo/.git"), clock);
            assertThat(other.submit(() -> sameRepo.begin(Direction.DOWNLOAD, REMOTE, KEY, Optional.empty()))
                    .get(30, TimeUnit.SECONDS)).isEmpty();
            assertThat(other.submit(() -> sameRepo.isRunning(Direction.DOWNLOAD, REMOTE, KEY))
                    .get(30, TimeUnit.SECONDS)).isTrue();
            ActiveTransfer theirs = other.submit(() -> sameRepo.begin(Direction.UPLOAD, REMOTE, KEY, Optional.empty()))
                    .get(30, TimeUnit.SECONDS).orElseThrow();
            assertThat(records.live()).extracting(TransferInfo::direction)
                    .containsExactly(Direction.UPLOAD, Direction.DOWNLOAD);
            theirs.finish();
            mine.finish();
        } finally {
            other.shutdownNow();
        }
        assertThat(records.begin(Direction.DOWNLOAD, REMOTE, KEY, Optional.empty())).isPresent().get()
                .satisfies(ActiveTransfer::finish);
    }

    @Test
    void staleRecordsAreCleanedByLiveAndIsRunning() throws Exception {
        Files.createDirectories(info(Direction.DOWNLOAD).getParent());
        Files.writeString(info(Direction.DOWNLOAD), "1795444757.154513695s\nx\n");
        Files.createFile(lock(Direction.DOWNLOAD));
        assertThat(records.live()).isEmpty();
        assertThat(info(Direction.DOWNLOAD)).doesNotExist();
        assertThat(lock(Direction.DOWNLOAD)).doesNotExist();

        Files.writeString(info(Direction.DOWNLOAD), "garbage without a lock file");
        assertThat(records.isRunning(Direction.DOWNLOAD, REMOTE, KEY)).isFalse();
        assertThat(info(Direction.DOWNLOAD)).doesNotExist();
        assertThat(lock(Direction.DOWNLOAD)).doesNotExist();
    }

    @Test
    void ignoresFilesThatAreNotRecords() throws Exception {
        Path dir = Files.createDirectories(transferDir.resolve("download").resolve(REMOTE.value()));
        Files.writeString(dir.resolve("not a key"), "x");
        Files.createDirectories(transferDir.resolve("sideways"));
        assertThat(records.live()).isEmpty();
        assertThat(dir.resolve("not a key")).exists();
    }

    @Test
    void aPartialLockExcludesEveryOtherTakerUntilReleasedAndLivesOutsideGitAnnexsFolders() throws Exception {
        Path lockFile = gitDir.resolve("annex-sync/partial/lck." + KEY.keyFile());
        TransferRecords sameRepo = new TransferRecords(tmp.resolve("repo/../repo/.git"), clock);
        PartialLock first = records.tryLockPartial(KEY).orElseThrow();
        assertThat(lockFile).exists();
        assertThat(records.tryLockPartial(KEY)).isEmpty();
        assertThat(sameRepo.tryLockPartial(KEY)).as("whatever path leads to the repository").isEmpty();
        assertThat(records.live()).as("not a transfer record").isEmpty();
        assertThat(transferDir).doesNotExist();
        first.close();
        assertThat(lockFile).as("deleted on release").doesNotExist();

        PartialLock second = sameRepo.tryLockPartial(KEY).orElseThrow();
        first.close();
        assertThat(records.tryLockPartial(KEY)).as("closing the first again does not release the second").isEmpty();
        second.close();
        records.tryLockPartial(KEY).orElseThrow().close();
    }
}
