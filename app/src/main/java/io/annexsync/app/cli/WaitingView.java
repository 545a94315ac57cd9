package io.annexsync.app.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.annexsync.transfer.queue.QueueItem;
import io.annexsync.transfer.queue.TransferQueue;
import io.annexsync.transfer.queue.TransferRequest;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The files the assistant waits for the content of, in {@code status}: the daemon's list (its {@code daemon.json}
 * {@code waiting}, each with why) joined with the queue, so a download that keeps failing shows its last error while
 * the queue still retries it. Text: a heading and one line a file, at most {@link #SHOWN}; JSON: the daemon's entries
 * with {@code attempts}, {@code last-error} and {@code next-try} added. Stateless.
 */
final class WaitingView {
    /** How many waiting files the text lists. */
    static final int SHOWN = 20;

    private WaitingView() {}

    /**
     * Adds to the daemon's waiting entries (in place) what the queue says of their downloads: the failed tries and
     * the last error, and the reason says it.
     */
    static void join(JsonObject daemon, List<QueueItem> queued, Clock clock) {
        if (!daemon.has("waiting") || !daemon.get("waiting").isJsonArray()) {
            return;
        }
        Map<String, QueueItem> downloads = new HashMap<>();
        for (QueueItem i : queued) {
            if (i.request().way() == TransferRequest.Way.DOWNLOAD && i.owner().equals(TransferQueue.ASSISTANT)) {
                downloads.put(i.request().key().serialize() + "\n" + i.request().remote(), i);
            }
        }
        for (JsonElement e : daemon.getAsJsonArray("waiting")) {
            JsonObject w = e.getAsJsonObject();
            if (!w.has("remote") || !w.has("key")) {
                continue;
            }
            QueueItem item = downloads.get(w.get("key").getAsString() + "\n" + w.get("remote").getAsString());
            if (item != null && item.attempts() > 0 && item.lastError().isPresent()) {
                w.addProperty("attempts", item.attempts());
                w.addProperty("last-error", item.lastError().get());
                w.addProperty("next-try", item.nextTry().toString());
                boolean later = item.nextTry().isAfter(clock.instant());
                w.addProperty("reason", w.get("reason").getAsString() + "; transfer failed " + item.attempts()
                        + (item.attempts() == 1 ? " time: " : " times: ") + item.lastError().get()
                        + (later ? " (next try " + item.nextTry() + ")" : ""));
            }
        }
    }

    /** The text lines: nothing when no file waits. */
    static Stream<String> lines(JsonObject daemon) {
        long count = daemon.has("waiting-for-content") ? daemon.get("waiting-for-content").getAsLong() : 0;
        JsonArray listed = daemon.has("waiting") && daemon.get("waiting").isJsonArray()
                ? daemon.getAsJsonArray("waiting") : new JsonArray();
        if (count == 0 || listed.isEmpty()) {
            return Stream.empty();
        }
        Stream.Builder<String> out = Stream.builder();
        out.add("  waiting for content (" + count + " file" + (count == 1 ? "" : "s") + "):");
        int shown = 0;
        for (JsonElement e : listed) {
            if (shown++ == SHOWN) {
                break;
            }
            JsonObject w = e.getAsJsonObject();
            out.add("    " + w.get("file").getAsString() + ": " + w.get("reason").getAsString());
        }
        if (count > Math.min(SHOWN, listed.size())) {
            out.add("    ... and " + (count - Math.min(SHOWN, listed.size())) + " more ('status --json' lists "
                    + listed.size() + ")");
        }
        return out.build();
    }
}
