package io.annexsync.app.assistant;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.annexsync.gitsync.sync.FetchOutcome;
import io.annexsync.gitsync.sync.PushOutcome;
import io.annexsync.gitsync.sync.UnsafeCommit;
import io.annexsync.transfer.engine.FullDisk;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the daemon is doing, for {@code annex-sync status}: the components tell it as things happen, and it writes the
 * whole picture to {@code daemon.json} (atomically, at most every half second, from the timer thread) so any process
 * can read it. Typed on the way in, JSON on the way out; the reader is {@code StatusCommand}. Thread-safe.
 */
final class StatusBoard {
    private static final Logger LOG = LoggerFactory.getLogger(StatusBoard.class);
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
    /** Paths listed per unsafe commit in daemon.json; {@code annex-sync status --json} lists every recorded one. */
    private static final int UNSAFE_PATHS = 100;

    private final DaemonFiles files;
    private final Clock clock;
    private final Map<String, Object> top = new LinkedHashMap<>();
    private final Map<String, Map<String, Object>> remotes = new TreeMap<>();
    private final Map<String, LongSupplier> counters = new LinkedHashMap<>();
    private final Map<String, Supplier<List<Map<String, Object>>>> lists = new LinkedHashMap<>();
    private boolean dirty = true;
    private Map<String, Object> lastWritten = Map.of();

    StatusBoard(DaemonFiles files, Path folder, Clock clock) {
        this.files = files;
        this.clock = clock;
        top.put("pid", ProcessHandle.current().pid());
        top.put("folder", folder.toString());
        top.put("started", clock.instant().toString());
        top.put("state", "starting");
        top.put("activity", "starting");
    }

    /** Running, stopping or stopped. */
    synchronized void state(String state) {
        put("state", state);
    }

    /** What the repository thread is doing now: idle, committing, merging, scanning... */
    synchronized void activity(String activity) {
        put("activity", activity);
    }

    /** What keeps the daemon from working normally now, for a person to read; empty when nothing does. */
    synchronized void problem(String problem) {
        if (problem.isEmpty()) {
            dirty |= top.remove("problem") != null;
        } else {
            put("problem", problem);
        }
    }

    /** The files that could not be committed, path to problem; none: the entry is left out. */
    synchronized void notAdded(Map<String, String> problems) {
        files("not-added", problems, "problem");
    }

    /**
     * The FIFOs, sockets and device files the daemon skipped, path to why ({@code ignored} in daemon.json); none: the
     * entry is left out.
     */
    synchronized void ignored(Map<String, String> skipped) {
        files("ignored", skipped, "reason");
    }

    /** The list {@code name} of files, each with its {@code why}, sorted by path; left out when empty. */
    private void files(String name, Map<String, String> whyByFile, String why) {
        if (whyByFile.isEmpty()) {
            dirty |= top.remove(name) != null;
        } else {
            put(name, whyByFile.entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .map(e -> Map.of("file", e.getKey(), why, e.getValue())).toList());
        }
    }

    /** The git lock files that stay and cannot be removed now (each with its age and why); none: left out. */
    synchronized void locks(List<String> kept) {
        if (kept.isEmpty()) {
            dirty |= top.remove("stale-locks") != null;
        } else if (!kept.equals(top.get("stale-locks"))) {
            put("stale-locks", List.copyOf(kept));
        }
    }

    /** A number read each time the status is written (changes waiting, transfers queued...). */
    synchronized void counter(String name, LongSupplier value) {
        counters.put(name, value);
        dirty = true;
    }

    /** A list read each time the status is written (the files waiting for content...). */
    synchronized void list(String name, Supplier<List<Map<String, Object>>> value) {
        lists.put(name, value);
        dirty = true;
    }

    synchronized void committed(String id, int files) {
        put("last-commit", Map.of("id", id, "time", clock.instant().toString(), "files", files));
    }

    synchronized void merged(String head, int conflicts) {
        put("last-merge", Map.of("head", head, "time", clock.instant().toString(), "conflicts", conflicts));
    }

    /**
     * The incoming commits whose unsafe paths merges left out, as recorded ({@code unsafe} in daemon.json; absent when
     * none): remote, ref, commit and the first {@link #UNSAFE_PATHS} paths with their reasons.
     */
    synchronized void unsafe(List<UnsafeCommit> commits) {
        if (commits.isEmpty()) {
            dirty |= top.remove("unsafe") != null;
            return;
        }
        List<Map<String, Object>> list = new ArrayList<>();
        for (UnsafeCommit c : commits) {
            Map<String, Object> o = new LinkedHashMap<>();
            c.remote().ifPresent(r -> o.put("remote", r));
            o.put("ref", c.ref());
            o.put("commit", c.commit());
            o.put("paths-total", c.paths().size());
            o.put("paths", c.paths().stream().limit(UNSAFE_PATHS)
                    .map(p -> Map.of("path", p.path(), "reason", p.reason())).toList());
            list.add(o);
        }
        put("unsafe", list);
    }

    /**
     * The disks the transfers write into that are full ({@code disks-full} in daemon.json; absent when none): which
     * repository, its folder, the bytes free and its reserve, and why it counts as full.
     */
    synchronized void disks(List<FullDisk> full) {
        if (full.isEmpty()) {
            dirty |= top.remove("disks-full") != null;
            return;
        }
        List<Map<String, Object>> list = full.stream().map(d -> {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("repository", d.repository());
            o.put("path", d.path().toString());
            o.put("free", d.free());
            o.put("reserve", d.reserve());
            o.put("cause", d.cause());
            return o;
        }).toList();
        if (!list.equals(top.get("disks-full"))) {
            put("disks-full", list);
        }
    }

    synchronized void pushed(PushOutcome o) {
        Map<String, Object> r = remote(o.remote());
        r.put("push", o.status().toString().toLowerCase(Locale.ROOT).replace('_', ' '));
        r.put("push-message", o.message());
        r.put("last-push-try", clock.instant().toString());
        if (o.succeeded()) {
            r.put("last-push", clock.instant().toString());
        }
        dirty = true;
    }

    synchronized void fetched(FetchOutcome o) {
        Map<String, Object> r = remote(o.remote());
        r.put("fetch", o.ok() ? "ok" : "failed");
        r.put("fetch-message", o.message());
        if (o.ok()) {
            r.put("last-fetch", clock.instant().toString());
        }
        dirty = true;
    }

    synchronized void reachable(String remote, boolean reachable) {
        remote(remote).put("reachable", reachable);
        dirty = true;
    }

    /**
     * Where the peer listener listens ({@code listen} in daemon.json: {@code HOST:PORT}, the port it bound), or why
     * it does not ({@code listen-problem}).
     */
    synchronized void listening(String address, String problem) {
        put(problem.isEmpty() ? "listen" : "listen-problem", problem.isEmpty() ? address : problem);
    }

    private Map<String, Object> remote(String name) {
        return remotes.computeIfAbsent(name, n -> {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("name", n);
            return r;
        });
    }

    private void put(String key, Object value) {
        top.put(key, value);
        dirty = true;
    }

    /** Writes daemon.json if anything in it changed since the last write (or {@code force}). */
    void write(boolean force) {
        String json;
        synchronized (this) {
            Map<String, Object> all = new LinkedHashMap<>(top);
            counters.forEach((name, value) -> all.put(name, value.getAsLong()));
            lists.forEach((name, value) -> all.put(name, value.get()));
            all.put("remotes", remotes.values().stream().map(LinkedHashMap::new).toList());
            if (!dirty && !force && all.equals(lastWritten)) {
                return;
            }
            lastWritten = all;
            dirty = false;
            Map<String, Object> stamped = new LinkedHashMap<>(all);
            stamped.put("updated", clock.instant().toString());
            json = GSON.toJson(stamped) + "\n";
        }
        Path tmp = files.dir().resolve("daemon.json.tmp");
        try {
            Files.writeString(tmp, json, StandardCharsets.UTF_8);
            Files.move(tmp, files.status(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            LOG.debug("cannot write {}: {}", files.status(), e.getMessage());
        }
    }
}
