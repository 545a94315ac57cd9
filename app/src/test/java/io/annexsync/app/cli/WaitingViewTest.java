package io.annexsync.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.annexsync.gitsync.Uuid;
import io.annexsync.gitsync.key.Key;
import io.annexsync.gitsync.sync.RetryPolicy;
import io.annexsync.gitsync.testing.TestClock;
import io.annexsync.transfer.queue.QueuePolicy;
import io.annexsync.transfer.queue.TransferQueue;
import io.annexsync.transfer.queue.TransferRequest;
import io.annexsync.transfer.queue.TransferRequest.Way;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The waiting files of the daemon's status, joined with a real queue, as {@code status} shows them. */
class WaitingViewTest {
    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    private static final Uuid A = new Uuid("0b9c5a1e-1111-4a8b-9d0e-2f6a7b9c1d3e");
    private static final Key PHOTO = Key.of("SHA256E-s5--" + "%064x".formatted(5) + ".jpg");

    @TempDir
    Path dir;

    private static JsonObject daemon(int count, String waiting) {
        return JsonParser.parseString("{\"waiting-for-content\":" + count + ",\"waiting\":[" + waiting + "]}")
                .getAsJsonObject();
    }

    private static String entry(String file, String remote, String reason) {
        return "{\"file\":\"" + file + "\",\"key\":\"" + PHOTO.serialize() + "\",\"state\":\"downloading\","
                + "\"remote\":\"" + remote + "\",\"reason\":\"" + reason + "\"}";
    }

    @Test
    void aDownloadTheQueueRetriesShowsItsLastErrorInTheReason() throws Exception {
        TestClock clock = new TestClock(T0);
        Path gitDir = Files.createDirectories(dir.resolve(".git"));
        try (TransferQueue queue = TransferQueue.open(gitDir, clock, new QueuePolicy(RetryPolicy.DEFAULT, 10),
                new SplittableRandom(1))) {
            queue.enqueue(new TransferRequest(PHOTO, "a", A, Way.DOWNLOAD, Optional.of("photo.jpg"), 100, 10));
            queue.failed(queue.claim("w", 4).orElseThrow(), "a does not have the content of photo.jpg");
            JsonObject d = daemon(2, entry("photo.jpg", "a", "waiting for content from a") + ","
                    + entry("other.jpg", "b", "waiting for content from b"));
            WaitingView.join(d, queue.queued(), clock);

            JsonObject photo = d.getAsJsonArray("waiting").get(0).getAsJsonObject();
            assertThat(photo.get("attempts").getAsInt()).isEqualTo(1);
            assertThat(photo.get("last-error").getAsString()).isEqualTo("a does not have the content of photo.jpg");
            assertThat(photo.get("reason").getAsString()).startsWith("waiting for content from a; transfer failed 1 "
                    + "time: a does not have the content of photo.jpg (next try 2026-03-01T12:0");
            assertThat(d.getAsJsonArray("waiting").get(1).getAsJsonObject().has("attempts"))
                    .as("another remote's entry").isFalse();
            assertThat(WaitingView.lines(d).toList()).containsExactly("  waiting for content (2 files):",
                    "    photo.jpg: " + photo.get("reason").getAsString(),
                    "    other.jpg: waiting for content from b");
        }
    }

    @Test
    void theTextListsTheFirstTwentyAndCountsTheRest() {
        StringBuilder entries = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            entries.append(i == 0 ? "" : ",").append("{\"file\":\"f" + i + "\",\"reason\":\"no known copy\"}");
        }
        assertThat(WaitingView.lines(daemon(250, entries.toString())).toList()).hasSize(22)
                .startsWith("  waiting for content (250 files):", "    f0: no known copy")
                .endsWith("    ... and 230 more ('status --json' lists 30)");
        assertThat(WaitingView.lines(daemon(0, ""))).isEmpty();
    }
}
