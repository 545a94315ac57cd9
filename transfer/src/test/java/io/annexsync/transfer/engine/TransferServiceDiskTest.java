package io.annexsync.transfer.engine;

import static io.annexsync.transfer.engine.Repos.addFiles;
import static io.annexsync.transfer.engine.Repos.addRemote;
import static io.annexsync.transfer.engine.Repos.download;
import static io.annexsync.transfer.engine.Repos.upload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.AnnexedFile;
import io.annexsync.gitsync.Progress;
import io.annexsync.gitsync.remote.RemoteConfig;
import io.annexsync.gitsync.sync.RetryPolicy;
import io.annexsync.transfer.engine.TransferOutcome.Status;
import io.annexsync.transfer.queue.QueuePolicy;
import io.annexsync.transfer.queue.TransferQueue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.lib.StoredConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The engine and the free space of the repositories it writes into: git-annex's {@code annex.diskreserve} check
 * before a transfer, the daemon's uploads paused while a disk is full and tried at once when it has space again,
 * and location logs that cannot be written tried again after a back-off and said once.
 */
class TransferServiceDiskTest {
    private static final int MIB = 1 << 20;
    private static final QueuePolicy ONCE = new QueuePolicy(RetryPolicy.DEFAULT, 1);
    /** The daemon's policy: a failed transfer is tried again after a minute, so a test never sees that retry. */
    private static final QueuePolicy DAEMON = QueuePolicy.of(RetryPolicy.DEFAULT);

    @TempDir
    Path tmp;

    private AnnexRepo a;
    private AnnexRepo b;
    private RemoteConfig bInA;
    private RemoteConfig aInB;
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeEach
    void setUp() throws Exception {
        a = Repos.init(tmp.resolve("a"));
        b = Repos.init(tmp.resolve("b"));
        bInA = addRemote(a, "b", b);
        aInB = addRemote(b, "a", a);
        log.start();
        root().addAppender(log);
    }

    @AfterEach
    void tearDown() {
        root().detachAppender(log);
        a.close();
        b.close();
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    private static TransferService start(AnnexRepo repo, QueuePolicy policy, String owner, boolean checkSpace)
            throws Exception {
        TransferSettings settings = new TransferSettings(2, 2, 4, OptionalLong.empty(), Map.of(), policy);
        return TransferService.start(repo, checkSpace ? settings : settings.withoutSpaceCheck(), owner,
                Clock.systemUTC(), Progress.NONE);
    }

    private static void reserve(AnnexRepo repo, String value) throws Exception {
        StoredConfig config = repo.git().getConfig();
        config.setString("annex", null, "diskreserve", value);
        config.save();
    }

    @Test
    void aDownloadThatWouldLeaveLessThanTheReserveFailsWithGitAnnexsMessageAndForceLetsItIn() throws Exception {
        AnnexedFile f = addFiles(a, 1, MIB).get(0);
        reserve(b, "1000T");
        try (TransferService s = start(b, ONCE, TransferQueue.processOwner(), true)) {
            TransferOutcome o = s.submit(download(f, aInB, a)).get(60, TimeUnit.SECONDS);
            assertThat(o.status()).isEqualTo(Status.FAILED);
            assertThat(o.message()).matches("not enough free space, need 9\\d\\d(\\.\\d\\d?)? TB more \\(use --force "
                    + "to override this check or adjust annex.diskreserve\\)");
        }
        assertThat(b.hasContent(f.key())).isFalse();
        assertThat(Files.list(b.gitDir().resolve("annex/tmp")).toList()).as("nothing was written").isEmpty();
        try (TransferService s = start(b, ONCE, TransferQueue.processOwner(), false)) {
            assertThat(s.submit(download(f, aInB, a)).get(60, TimeUnit.SECONDS).status()).isEqualTo(Status.DONE);
        }
        assertThat(b.hasContent(f.key())).isTrue();
    }

    @Test
    void anUploadIsCheckedAgainstTheReceivingRepositorysOwnReserve() throws Exception {
        AnnexedFile f = addFiles(a, 2, MIB).get(0);
        reserve(a, "0");
        reserve(b, "1000T");
        try (TransferService s = start(a, ONCE, TransferQueue.processOwner(), true)) {
            TransferOutcome o = s.submit(upload(f, bInA, b)).get(60, TimeUnit.SECONDS);
            assertThat(o.status()).isEqualTo(Status.FAILED);
            assertThat(o.message()).startsWith("not enough free space, need ");
        }
        assertThat(b.hasContent(f.key())).isFalse();
    }

    @Test
    void theDaemonsUploadsIntoAFullDiskWaitAndRunAtOnceWhenItHasSpaceAgain() throws Exception {
        List<AnnexedFile> files = addFiles(a, 3, MIB, 2 * MIB);
        reserve(b, "1000T"); // no key fits: the disk is full for the engine
        try (TransferService s = start(a, DAEMON, TransferQueue.ASSISTANT, true)) {
            var first = s.submit(upload(files.get(0), bInA, b));
            await("the first upload tried and put back").atMost(Duration.ofSeconds(30))
                    .until(() -> s.queue().queued().stream().anyMatch(i -> i.attempts() == 1));
            var second = s.submit(upload(files.get(1), bInA, b));
            assertThat(s.checkDisks()).extracting(FullDisk::repository).containsExactly("b");
            await("the second upload waits without being tried").during(Duration.ofSeconds(2))
                    .atMost(Duration.ofSeconds(5)).until(() -> s.queue().queued().stream()
                            .filter(i -> i.request().key().equals(files.get(1).key()))
                            .allMatch(i -> i.attempts() == 0));
            assertThat(first).isNotDone();

            reserve(b, "0");
            assertThat(s.checkDisks()).isEmpty();
            // both run now, although the first one's back-off after its failure is a minute
            assertThat(first.get(30, TimeUnit.SECONDS).status()).isEqualTo(Status.DONE);
            assertThat(second.get(30, TimeUnit.SECONDS).status()).isEqualTo(Status.DONE);
        }
        assertThat(b.hasContent(files.get(0).key())).isTrue();
        assertThat(b.hasContent(files.get(1).key())).isTrue();
    }

    @Test
    void theDaemonsDownloadsWaitWhileItsOwnDiskIsFullAndRunAtOnceWhenItHasSpaceAgain() throws Exception {
        AnnexedFile f = addFiles(a, 5, MIB).get(0);
        reserve(b, "1000T");
        try (TransferService s = start(b, DAEMON, TransferQueue.ASSISTANT, true)) {
            assertThat(s.checkDisks()).singleElement().satisfies(d -> {
                assertThat(d.here()).isTrue();
                assertThat(d.path()).isEqualTo(b.workTree());
                assertThat(d.reserve()).isEqualTo(1000_000_000_000_000L);
            });
            var got = s.submit(download(f, aInB, a));
            await("the download waits, not tried").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                    .until(() -> s.queue().queued().size() == 1 && s.queue().queued().get(0).attempts() == 0);
            assertThat(got).isNotDone();
            reserve(b, "0");
            assertThat(s.checkDisks()).isEmpty();
            assertThat(got.get(30, TimeUnit.SECONDS).status()).isEqualTo(Status.DONE);
        }
        assertThat(b.hasContent(f.key())).isTrue();
    }

    @Test
    void locationLogsThatCannotBeWrittenAreTriedAgainAfterABackOffAndSaidOnce() throws Exception {
        AnnexedFile f = addFiles(a, 4, MIB).get(0);
        Path journal = b.gitDir().resolve("annex/journal");
        deleteTree(journal);
        Files.writeString(journal, "not a folder\n"); // b's journal cannot be written, its object store can
        try (TransferService s = start(a, DAEMON, TransferQueue.ASSISTANT, true)) {
            assertThat(s.submit(upload(f, bInA, b)).get(60, TimeUnit.SECONDS).status()).isEqualTo(Status.DONE);
            await("the location logs of b tried").atMost(Duration.ofSeconds(30))
                    .until(() -> said("location logs") > 0);
            // the workers are idle: before, each of them tried again (and said so) every 200 ms
            await("no second warning").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                    .until(() -> said("location logs") == 1);
            assertThat(log.list.stream().filter(e -> e.getFormattedMessage().contains("location logs")).findFirst()
                    .orElseThrow().getFormattedMessage()).contains("remote b").contains("Not a directory");

            Files.delete(journal);
            Files.createDirectories(journal);
            await("b's log written after the back-off").atMost(Duration.ofSeconds(30))
                    .until(() -> b.branch().locations(f.key()).contains(b.uuid()));
        }
        assertThat(a.branch().locations(f.key())).contains(b.uuid());
    }

    private long said(String what) {
        return List.copyOf(log.list).stream().filter(e -> e.getFormattedMessage().contains(what)).count();
    }

    private static void deleteTree(Path dir) throws Exception {
        if (Files.exists(dir)) {
            try (var walk = Files.walk(dir)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
