package io.annexsync.app.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.annexsync.app.assistant.DaemonFiles;
import io.annexsync.app.assistant.DaemonLock;
import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.sync.RetryPolicy;
import io.annexsync.transfer.engine.FullDisk;
import io.annexsync.transfer.queue.QueueItem;
import io.annexsync.transfer.queue.TransferQueue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The assistant's part of {@code annex-sync status} (and {@code assistant --status}): whether a daemon runs for the
 * folder, what it is doing (read from its {@code daemon.json}), its last commit and merge, the last sync with each
 * remote, and the transfers queued, running and failed (read from the queue itself, so also without a daemon).
 */
final class DaemonStatusView {
    private DaemonStatusView() {}

    /**
     * Shows the daemon's status; with {@code quietWhenIdle} (the {@code status} command, whose output is empty for a
     * clean folder) nothing is shown, as text or JSON, when no daemon runs and no transfer is queued, running or
     * failed.
     */
    static void show(AnnexRepo repo, Reporter reporter, boolean quietWhenIdle) throws RepoException {
        DaemonFiles files = DaemonFiles.of(repo.gitDir());
        OptionalLong pid = DaemonLock.running(files);
        Optional<JsonObject> status = pid.isPresent() ? read(files) : Optional.empty();
        Map<String, Integer> transfers = transferCounts(repo, status);
        boolean noTransfers = transfers.values().stream().allMatch(n -> n == 0);
        if (pid.isEmpty() && quietWhenIdle && noTransfers) {
            return;
        }
        if (reporter.json()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("assistant", pid.isPresent() ? "running" : "not running");
            pid.ifPresent(p -> o.put("pid", p));
            status.ifPresent(s -> o.put("daemon", s));
            o.put("transfers", transfers);
            reporter.object(o);
            return;
        }
        if (pid.isEmpty()) {
            reporter.human("assistant: not running (start it with 'annex-sync assistant')");
        } else {
            reporter.human("assistant: running (pid " + pid.getAsLong() + ")" + status.map(DaemonStatusView::summary)
                    .orElse(""));
            status.ifPresent(s -> details(s, reporter));
        }
        reporter.human("transfers: " + transfers.get("running") + " running, " + transfers.get("queued")
                + " queued, " + transfers.get("failed") + " failed (see 'annex-sync transfers')");
    }

    /**
     * The full disks: this repository's own, measured now (with or without a daemon), and the remotes' disks the
     * daemon found full while it wrote into them ({@code disks-full} in its daemon.json). One line each, or one JSON
     * object each ({@code disk-full}, {@code repository}, {@code free}, {@code reserve}, {@code cause}).
     */
    static void fullDisks(AnnexRepo repo, Reporter reporter) {
        List<FullDisk> full = new ArrayList<>(FullDisk.measure(repo).stream().toList());
        boolean hereMeasured = !full.isEmpty();
        DaemonFiles files = DaemonFiles.of(repo.gitDir());
        if (DaemonLock.running(files).isPresent()) {
            read(files).filter(s -> s.has("disks-full")).ifPresent(s -> {
                for (JsonElement e : s.getAsJsonArray("disks-full")) {
                    // this disk as the daemon saw it only when it ran out of space with more free than measured now
                    fullDisk(e).filter(d -> !d.here() || !hereMeasured).ifPresent(full::add);
                }
            });
        }
        for (FullDisk d : full) {
            if (reporter.json()) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("disk-full", d.path().toString());
                o.put("repository", d.repository());
                o.put("free", d.free());
                o.put("reserve", d.reserve());
                o.put("cause", d.cause());
                reporter.object(o);
            } else {
                reporter.human(d.describe());
            }
        }
    }

    private static Optional<FullDisk> fullDisk(JsonElement e) {
        try {
            JsonObject o = e.getAsJsonObject();
            return Optional.of(new FullDisk(o.get("repository").getAsString(), Path.of(o.get("path").getAsString()),
                    o.get("free").getAsLong(), o.get("reserve").getAsLong(), o.get("cause").getAsString()));
        } catch (RuntimeException bad) { // a daemon.json of another version: shown without it
            return Optional.empty();
        }
    }

    private static String summary(JsonObject s) {
        String state = text(s, "state");
        return " since " + text(s, "started") + ": " + (state.equals("running") ? "" : state + ", ")
                + text(s, "activity") + "; " + number(s, "pending-changes") + " changes pending, "
                + number(s, "waiting-for-content") + " files waiting for content";
    }

    private static void details(JsonObject s, Reporter reporter) {
        if (s.has("problem")) {
            reporter.human("  problem: " + text(s, "problem"));
        }
        if (s.has("stale-locks") && s.get("stale-locks").isJsonArray()) {
            for (JsonElement e : s.getAsJsonArray("stale-locks")) {
                reporter.human("  lock not cleared: " + e.getAsString());
            }
        }
        if (s.has("not-added") && s.get("not-added").isJsonArray()) {
            for (JsonElement e : s.getAsJsonArray("not-added")) {
                JsonObject n = e.getAsJsonObject();
                reporter.human("  not committed: " + text(n, "file").replace("\n", "\\n") + ": " + text(n, "problem"));
            }
        }
        if (s.has("ignored") && s.get("ignored").isJsonArray()) {
            for (JsonElement e : s.getAsJsonArray("ignored")) {
                JsonObject n = e.getAsJsonObject();
                reporter.human("  ignored: " + text(n, "file").replace("\n", "\\n") + ": " + text(n, "reason"));
            }
        }
        if (s.has("last-commit")) {
            JsonObject c = s.getAsJsonObject("last-commit");
            reporter.human("  last commit " + text(c, "id").substring(0, Math.min(7, text(c, "id").length())) + " at "
                    + text(c, "time") + " (" + number(c, "files") + " files)");
        }
        if (s.has("last-merge")) {
            JsonObject m = s.getAsJsonObject("last-merge");
            reporter.human("  last merge at " + text(m, "time") + " (" + number(m, "conflicts") + " conflicts kept)");
        }
        JsonArray remotes = s.has("remotes") ? s.getAsJsonArray("remotes") : new JsonArray();
        for (JsonElement e : remotes) {
            JsonObject r = e.getAsJsonObject();
            StringBuilder line = new StringBuilder("  remote " + text(r, "name") + ":");
            if (r.has("push")) {
                line.append(" push ").append(text(r, "push"));
            }
            if (r.has("last-push")) {
                line.append(", last pushed ").append(text(r, "last-push"));
            }
            if (r.has("last-fetch")) {
                line.append(", last fetched ").append(text(r, "last-fetch"));
            }
            if (r.has("reachable") && !r.get("reachable").getAsBoolean()) {
                line.append(" (not reachable)");
            }
            reporter.human(line.toString());
        }
        WaitingView.lines(s).forEach(reporter::human);
    }

    private static Optional<JsonObject> read(DaemonFiles files) {
        try {
            return Optional.of(JsonParser.parseString(Files.readString(files.status(), StandardCharsets.UTF_8))
                    .getAsJsonObject());
        } catch (IOException | JsonParseException | IllegalStateException e) {
            return Optional.empty();
        }
    }

    /** The queue's counts; the daemon's waiting files get what the queue knows of their downloads meanwhile. */
    private static Map<String, Integer> transferCounts(AnnexRepo repo, Optional<JsonObject> status)
            throws RepoException {
        Map<String, Integer> counts = new LinkedHashMap<>();
        try (TransferQueue queue = TransferQueue.open(repo.gitDir(), Clock.systemUTC(), RetryPolicy.DEFAULT)) {
            StaleTransfers.clear(repo, queue, Clock.systemUTC());
            List<QueueItem> queued = queue.queued();
            counts.put("running", queue.running().size());
            counts.put("queued", queued.size());
            counts.put("failed", queue.failed().size());
            status.ifPresent(s -> WaitingView.join(s, queued, Clock.systemUTC()));
        }
        return counts;
    }

    private static String text(JsonObject o, String key) {
        return o.has(key) && !o.get(key).isJsonNull() ? o.get(key).getAsString() : "?";
    }

    private static String number(JsonObject o, String key) {
        return o.has(key) ? o.get(key).getAsString() : "0";
    }
}
