package io.annexsync.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.annexsync.gitsync.Uuid;
import io.annexsync.gitsync.key.Key;
import io.annexsync.transfer.queue.QueueItem;
import io.annexsync.transfer.queue.TransferQueue;
import io.annexsync.transfer.queue.TransferRequest;
import io.annexsync.transfer.queue.TransferRequest.Way;
import io.annexsync.transfer.record.Direction;
import io.annexsync.transfer.record.TransferInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TransfersViewTest {
    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    private static final Instant NOW = T0.plusSeconds(10);
    private static final long MIB = 1024 * 1024;
    private static final Uuid USB = new Uuid("0b9c5a1e-1111-4a8b-9d0e-2f6a7b9c1d3e");
    private static final Uuid NAS = new Uuid("5d8e2f40-2222-4c3b-8a1f-9e0d7c6b5a41");
    private static final Key BIG = key(40 * MIB, 1);
    private static final String LONG_FILE = "photos/2025/summer holidays in the mountains/"
            + "a very long file name that does not fit a terminal.jpg";

    private static Key key(long size, int n) {
        return Key.of("SHA256E-s" + size + "--" + "%064x".formatted(n) + ".bin");
    }

    private static TransferInfo beach(long bytes) {
        return new TransferInfo(Direction.DOWNLOAD, USB, BIG, Optional.of("photos/beach.jpg"), T0,
                OptionalLong.of(bytes));
    }

    private static QueueItem item(int n, QueueItem.State state, int attempts, Instant nextTry, String error) {
        TransferRequest r = new TransferRequest(key(n * 1000L, n + 10), "nas", NAS, Way.UPLOAD,
                Optional.of("docs/report" + n + ".pdf"), 200, 5);
        return new QueueItem(n, r, state, attempts, T0, nextTry, Optional.empty(), Optional.empty(),
                Optional.ofNullable(error), TransferQueue.ASSISTANT);
    }

    private static TransfersSnapshot snapshot(Instant at, List<TransferInfo> running, List<QueueItem> queued,
            List<QueueItem> failedItems, List<TransferInfo> failedRecords) {
        return new TransfersSnapshot(at, running, queued, failedItems, failedRecords, Map.of(USB, "usb"));
    }

    private static TransfersSnapshot busy() {
        List<QueueItem> queued = new ArrayList<>();
        queued.add(item(1, QueueItem.State.QUEUED, 2, NOW.plusSeconds(180), "connection refused\nat line 2"));
        IntStream.rangeClosed(2, 25).forEach(n -> queued.add(item(n, QueueItem.State.QUEUED, 0, T0, null)));
        TransferInfo stopped = new TransferInfo(Direction.UPLOAD, NAS, key(4 * MIB, 99), Optional.empty(), T0,
                OptionalLong.of(MIB));
        return snapshot(NOW, List.of(beach(10 * MIB)), queued,
                List.of(item(30, QueueItem.State.FAILED, 10, T0, "disk full")), List.of(stopped));
    }

    @Test
    void aRunningTransferShowsDirectionRemoteFilePercentBytesRateAndTimeLeft() {
        List<String> lines = new TransfersView(false, false, 0).lines(busy());

        assertThat(lines.get(0)).startsWith("download  usb  photos/beach.jpg")
                .contains(" 25%", "10.0 MiB / 40.0 MiB", "1.0 MiB/s", "30s left");
    }

    @Test
    void withoutATerminalThereIsNoBarNorEscapeAndNothingIsCut() {
        TransferInfo longName = new TransferInfo(Direction.DOWNLOAD, USB, BIG, Optional.of(LONG_FILE), T0,
                OptionalLong.of(MIB));
        List<String> lines = new TransfersView(false, false, 0).lines(snapshot(NOW, List.of(longName), List.of(),
                List.of(), List.of()));

        assertThat(lines).singleElement().asString().contains(LONG_FILE).doesNotContain("[", "#", "\033");
    }

    @Test
    void onATerminalEachLineHasABarAndFitsTheWidth() {
        TransferInfo longName = new TransferInfo(Direction.DOWNLOAD, USB, key(40 * MIB, 2), Optional.of(LONG_FILE),
                T0, OptionalLong.of(20 * MIB));
        TransfersSnapshot s = snapshot(NOW, List.of(longName, beach(10 * MIB)), busy().queued(),
                busy().failedItems(), busy().failedRecords());
        List<String> lines = new TransfersView(true, false, 120).lines(s);

        assertThat(lines).allSatisfy(l -> assertThat(l.length()).isLessThan(120));
        assertThat(lines.get(0)).contains("[##########----------]", " 50%", "...", "fit a terminal.jpg")
                .doesNotContain("photos/2025");
        assertThat(lines.get(1)).contains("[#####---------------]", " 25%");
        assertThat(lines.get(0).indexOf('[')).as("bars aligned").isEqualTo(lines.get(1).indexOf('['));
    }

    @Test
    void aWatchOnATerminalDoesNotShiftItsColumnsWhenNumbersGetShorter() {
        TransfersView view = new TransfersView(true, true, 110);
        TransferInfo first = new TransferInfo(Direction.DOWNLOAD, USB, BIG, Optional.of(LONG_FILE), T0,
                OptionalLong.of(2 * MIB));
        TransferInfo later = new TransferInfo(Direction.DOWNLOAD, USB, BIG, Optional.of(LONG_FILE), T0,
                OptionalLong.of(39 * MIB));

        String before = view.lines(snapshot(NOW, List.of(first), List.of(), List.of(), List.of())).get(0);
        String after = view.lines(snapshot(NOW.plusSeconds(1), List.of(later), List.of(), List.of(), List.of()))
                .get(0);

        assertThat(before).contains("204.8 KiB/s", "3m10s left");
        assertThat(after).contains("37.0 MiB/s", " 1s left");
        assertThat(after.indexOf('[')).isEqualTo(before.indexOf('['));
    }

    @Test
    void anEightyColumnTerminalGetsNoBarButKeepsRateAndTimeLeft() {
        List<String> lines = new TransfersView(true, false, 80).lines(busy());

        assertThat(lines.get(0)).doesNotContain("[").contains("...beach.jpg", "1.0 MiB/s", "30s left");
        assertThat(lines).allSatisfy(l -> assertThat(l.length()).isLessThan(80));
    }

    @Test
    void theQueuedSectionListsTheFirstTwentyWithAttemptsNextTryAndLastError() {
        List<String> lines = new TransfersView(false, false, 0).lines(busy());

        assertThat(lines).contains("queued (25):", "  ... and 5 more");
        assertThat(lines).filteredOn(l -> l.startsWith("  upload  nas  docs/report")).hasSize(20);
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("  upload  nas  docs/report1.pdf ")
                .endsWith("2 failed attempts, next try in 3m00s, last error: connection refused ..."));
        assertThat(lines).anySatisfy(l -> assertThat(l).isEqualTo("  upload  nas  docs/report2.pdf"));
    }

    @Test
    void theFailedSectionHasGivenUpQueueItemsAndFailedStatusFiles() {
        List<String> lines = new TransfersView(false, false, 0).lines(busy());
        List<String> failed = lines.subList(lines.indexOf("failed (2):") + 1, lines.size());

        assertThat(failed).hasSize(2);
        assertThat(failed.get(0)).startsWith("  upload  nas").contains("docs/report30.pdf")
                .endsWith("gave up after 10 attempts: disk full");
        assertThat(failed.get(1)).startsWith("  upload  " + NAS.value()).contains(key(4 * MIB, 99).serialize())
                .endsWith("failed at 1.0 MiB / 4.0 MiB, started 2026-03-01T12:00:00Z");
    }

    @Test
    void atMostTwentyFailuresAreListed() {
        List<QueueItem> failed = IntStream.rangeClosed(1, 25)
                .mapToObj(n -> item(n, QueueItem.State.FAILED, 10, T0, "disk full")).toList();
        List<String> lines = new TransfersView(false, false, 0).lines(snapshot(NOW, List.of(), List.of(), failed,
                List.of()));

        assertThat(lines).hasSize(2 + 20 + 1).contains("failed (25):").endsWith("  ... and 5 more");
    }

    @Test
    void nothingAtAllIsOneLineAndNothingRunningIsSaid() {
        TransfersView view = new TransfersView(false, false, 0);

        assertThat(view.lines(snapshot(NOW, List.of(), List.of(), List.of(), List.of())))
                .containsExactly("no transfers running, none queued, none failed");
        assertThat(view.lines(snapshot(NOW, List.of(), busy().queued(), List.of(), List.of())))
                .startsWith("no transfers running", "queued (25):");
    }

    @Test
    void watchingTakesTheRateFromTheCountsOfTwoRefreshes() {
        TransfersView view = new TransfersView(false, true, 0);

        assertThat(view.lines(snapshot(NOW, List.of(beach(10 * MIB)), List.of(), List.of(), List.of())).get(0))
                .as("first look: average since the start").contains("1.0 MiB/s", "30s left");
        assertThat(view.lines(snapshot(NOW.plus(Duration.ofSeconds(2)), List.of(beach(20 * MIB)), List.of(),
                List.of(), List.of())).get(0)).contains("5.0 MiB/s", "4s left");
    }

    @Test
    void aSingleLookTakesTheAverageRateSinceTheStart() {
        TransfersView view = new TransfersView(false, false, 0);
        view.lines(snapshot(NOW, List.of(beach(10 * MIB)), List.of(), List.of(), List.of()));

        assertThat(view.lines(snapshot(NOW.plus(Duration.ofSeconds(10)), List.of(beach(30 * MIB)), List.of(),
                List.of(), List.of())).get(0)).contains("1.5 MiB/s", "7s left");
    }

    @Test
    void jsonHasTheThreeListsWithTheSameIdentityFields() {
        Map<String, Object> json = TransfersView.json(busy());

        assertThat(json).containsOnlyKeys("running", "queued", "failed");
        assertThat(list(json, "running")).singleElement().satisfies(r -> assertThat(r).containsExactly(
                Map.entry("direction", "download"), Map.entry("remote", "usb"), Map.entry("remote-uuid", USB.value()),
                Map.entry("key", BIG.serialize()), Map.entry("file", "photos/beach.jpg"),
                Map.entry("bytes", 10 * MIB), Map.entry("size", 40 * MIB), Map.entry("started", T0.toString())));
        assertThat(list(json, "queued")).hasSize(25).first().satisfies(q -> assertThat(q)
                .containsEntry("direction", "upload").containsEntry("remote", "nas")
                .containsEntry("remote-uuid", NAS.value()).containsEntry("file", "docs/report1.pdf")
                .containsEntry("attempts", 2).containsEntry("next-try", NOW.plusSeconds(180).toString())
                .containsEntry("last-error", "connection refused\nat line 2"));
        assertThat(list(json, "failed")).hasSize(2).satisfiesExactly(
                f -> assertThat(f).containsEntry("source", "queue").containsEntry("last-error", "disk full")
                        .containsEntry("attempts", 10),
                f -> assertThat(f).containsEntry("source", "record").containsEntry("remote", NAS.value())
                        .containsEntry("file", null).containsEntry("bytes", MIB));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> json, String name) {
        return (List<Map<String, Object>>) json.get(name);
    }

    @Test
    void shorteningKeepsTheEndOfAName() {
        assertThat(TransfersView.shorten("abcdefghij", 10)).isEqualTo("abcdefghij");
        assertThat(TransfersView.shorten("abcdefghij", 7)).isEqualTo("...ghij");
        assertThat(TransfersView.shorten("abcdefghij", 2)).isEqualTo("ij");
    }
}
