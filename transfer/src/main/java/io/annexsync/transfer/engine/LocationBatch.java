package io.annexsync.transfer.engine;

import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.Uuid;
import io.annexsync.gitsync.key.Key;
import io.annexsync.gitsync.sync.RetryPolicy;
import io.annexsync.transfer.remote.Remote;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The location-log lines of the copies the engine made, gathered and written in one go per repository, so moving
 * 10,000 files does not write a journal file 10,000 times: in this repository's journal for every copy (here or in
 * a remote), and, for what a remote received, told to the remote ({@link Remote#keysArrived}: a path remote records
 * it in its own git-annex branch and commits it, as git-annex does when it receives content). This repository's
 * lines go through its one writer ({@link RepoWriter}: the daemon's repository thread; a command's own thread).
 *
 * <p>Each repository is written on its own: one that cannot be written (its disk is full) keeps its lines and is
 * tried again after a back-off (a second, doubling to five minutes; at once after {@link #retryNow}, when its disk
 * has space again) while the others are written. The failure is logged once per repository and cause, and its end
 * once. Thread-safe.
 */
final class LocationBatch {
    private static final Logger LOG = LoggerFactory.getLogger(LocationBatch.class);
    static final RetryPolicy RETRY = new RetryPolicy(Duration.ofSeconds(1), 2, Duration.ofMinutes(5), 0.1);
    private static final String HERE = "this repository";

    /** One repository whose lines could not be written: its back-off and the cause last logged. */
    private record Failing(int failures, long nextTry, String cause) {}

    /** A repository's write failed: a remote's, or this repository's when {@code remote} is empty. */
    record Failure(Optional<Remote> remote, RepoException error) {}

    private final AnnexRepo repo;
    private final RepoWriter writer;
    private final LongSupplier nanoTime;
    private final SplittableRandom random = new SplittableRandom();
    private final Map<Uuid, Set<Key>> here = new LinkedHashMap<>();
    private final Map<Remote, Set<Key>> received = new HashMap<>();
    private final Map<String, Failing> failing = new HashMap<>();

    /** Lines for {@code repo}, whose own are written by {@code writer} (its one writer of the journal). */
    LocationBatch(AnnexRepo repo, RepoWriter writer, LongSupplier nanoTime) {
        this.repo = repo;
        this.writer = writer;
        this.nanoTime = nanoTime;
    }

    /** Notes that the repository {@code where} has {@code key}, for this repository's log. */
    synchronized void present(Uuid where, Key key) {
        here.computeIfAbsent(where, u -> new LinkedHashSet<>()).add(key);
    }

    /** Notes that {@code remote} received {@code key}, for both repositories' logs. */
    synchronized void received(Remote remote, Key key) {
        present(remote.uuid(), key);
        received.computeIfAbsent(remote, r -> new LinkedHashSet<>()).add(key);
    }

    /** How many lines wait to be written. */
    synchronized int pending() {
        return here.values().stream().mapToInt(Set::size).sum() + received.values().stream().mapToInt(Set::size).sum();
    }

    /** Whether some repository's lines wait and may be written now (none is in its back-off). */
    synchronized boolean due() {
        long now = nanoTime.getAsLong();
        return (!here.isEmpty() && due(HERE, now)) || received.keySet().stream().anyMatch(r -> due(name(r), now));
    }

    /** How long until the next repository's back-off is over; zero when one is due. */
    synchronized Duration untilDue() {
        long now = nanoTime.getAsLong();
        long wait = Long.MAX_VALUE;
        for (String name : waitingNames()) {
            Failing f = failing.get(name);
            wait = Math.min(wait, f == null ? 0 : Math.max(0, f.nextTry() - now));
        }
        return Duration.ofNanos(wait);
    }

    /** Ends every back-off: the next {@link #flushDue} writes everything (a disk has space again). */
    synchronized void retryNow() {
        long now = nanoTime.getAsLong();
        failing.replaceAll((name, f) -> new Failing(f.failures(), now, f.cause()));
    }

    /**
     * Writes the lines of every repository whose back-off is over; one that fails keeps its lines and backs off.
     *
     * @return the failures, already logged
     */
    List<Failure> flushDue() {
        return write(false);
    }

    /**
     * Writes every repository's lines now, back-off or not (a command ending, the engine closing).
     *
     * @throws RepoException the first failure, once every repository was tried; the lines that failed are kept
     */
    void flush() throws RepoException {
        List<Failure> failures = write(true);
        if (!failures.isEmpty()) {
            throw failures.get(0).error();
        }
    }

    /**
     * Writes the remotes' lines (under this batch's lock, as the remotes are written by this thread), then this
     * repository's through its writer, without holding the lock: the writer may be another thread (the daemon's
     * repository thread) that notes new copies here meanwhile.
     */
    private List<Failure> write(boolean all) {
        long now = nanoTime.getAsLong();
        List<Failure> failures = new ArrayList<>();
        Map<Uuid, List<Key>> batch = new LinkedHashMap<>();
        synchronized (this) {
            for (Remote r : List.copyOf(received.keySet())) {
                if (all || due(name(r), now)) {
                    writeReceived(r).ifPresent(failures::add);
                }
            }
            if (!here.isEmpty() && (all || due(HERE, now))) {
                here.forEach((uuid, keys) -> batch.put(uuid, List.copyOf(keys)));
            }
        }
        if (!batch.isEmpty()) {
            writeHere(batch).ifPresent(failures::add);
        }
        return failures;
    }

    private Optional<Failure> writeReceived(Remote remote) {
        try {
            remote.keysArrived(received.get(remote));
            received.remove(remote);
            succeeded(name(remote));
            return Optional.empty();
        } catch (RepoException | RuntimeException e) {
            return Optional.of(new Failure(Optional.of(remote), failed(name(remote), e)));
        }
    }

    /**
     * Writes {@code batch} into this repository's journal through its one writer; the keys written are taken out of
     * what waits (keys noted meanwhile stay for the next write).
     */
    private Optional<Failure> writeHere(Map<Uuid, List<Key>> batch) {
        try {
            writer.write(() -> {
                for (Map.Entry<Uuid, List<Key>> e : batch.entrySet()) {
                    repo.branch().setLocations(e.getValue(), e.getKey(), true);
                    written(e.getKey(), e.getValue());
                }
            });
            synchronized (this) {
                succeeded(HERE);
            }
            return Optional.empty();
        } catch (RepoException | RuntimeException e) {
            synchronized (this) {
                return Optional.of(new Failure(Optional.empty(), failed(HERE, e)));
            }
        }
    }

    private synchronized void written(Uuid where, List<Key> keys) {
        Set<Key> waiting = here.get(where);
        if (waiting != null) {
            keys.forEach(waiting::remove);
            if (waiting.isEmpty()) {
                here.remove(where);
            }
        }
    }

    private void succeeded(String name) {
        if (failing.remove(name) != null) {
            LOG.info("the location logs of new copies are written into {} again", name);
        }
    }

    private RepoException failed(String name, Exception e) {
        String cause = causes(e);
        Failing before = failing.get(name);
        int failures = before == null ? 1 : before.failures() + 1;
        Duration delay = RETRY.delayAfter(failures, random);
        failing.put(name, new Failing(failures, nanoTime.getAsLong() + delay.toNanos(), cause));
        if (before == null || !before.cause().equals(cause)) {
            LOG.warn("cannot write the location logs of new copies into {}: {}; they are kept and written later "
                    + "(tried again after a growing delay, at once when its disk has space again)", name, cause);
        } else {
            LOG.debug("still cannot write the location logs into {} ({} tries): {}", name, failures, cause);
        }
        return e instanceof RepoException re ? re : new RepoException(cause, e);
    }

    /** The messages of {@code e} and its causes, each once: "cannot read journal file ...: PATH: Not a directory". */
    private static String causes(Throwable e) {
        StringBuilder s = new StringBuilder();
        for (Throwable t = e; t != null && s.length() < 1000; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            if (s.indexOf(m) < 0) {
                s.append(s.isEmpty() ? "" : ": ").append(m);
            }
        }
        return s.toString();
    }

    private boolean due(String name, long now) {
        Failing f = failing.get(name);
        return f == null || now - f.nextTry() >= 0;
    }

    private List<String> waitingNames() {
        List<String> names = new ArrayList<>();
        if (!here.isEmpty()) {
            names.add(HERE);
        }
        received.keySet().forEach(r -> names.add(name(r)));
        return names;
    }

    private static String name(Remote remote) {
        return "remote " + remote.name();
    }
}
