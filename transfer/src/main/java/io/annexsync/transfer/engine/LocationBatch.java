package io.annexsync.transfer.engine;

import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.Uuid;
import io.annexsync.gitsync.key.Key;
import io.annexsync.gitsync.remote.PathRemote;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The location-log lines of the copies the engine made, gathered and written in one go per repository, so moving
 * 10,000 files does not write a journal file 10,000 times: in this repository's journal for every copy (here or in
 * a remote), and in a path remote's own git-annex branch for what it received, committed there as git-annex does
 * when it receives content. Thread-safe.
 */
final class LocationBatch {
    private final AnnexRepo repo;
    private final Map<Uuid, Set<Key>> here = new LinkedHashMap<>();
    private final Map<PathRemote, Set<Key>> received = new HashMap<>();
    private int pending;

    LocationBatch(AnnexRepo repo) {
        this.repo = repo;
    }

    /** Notes that the repository {@code where} has {@code key}, for this repository's log. */
    synchronized void present(Uuid where, Key key) {
        if (here.computeIfAbsent(where, u -> new LinkedHashSet<>()).add(key)) {
            pending++;
        }
    }

    /** Notes that {@code remote} received {@code key}, for both repositories' logs. */
    synchronized void received(PathRemote remote, Key key) {
        present(remote.repo().uuid(), key);
        received.computeIfAbsent(remote, r -> new LinkedHashSet<>()).add(key);
    }

    /** How many lines wait to be written. */
    synchronized int pending() {
        return pending;
    }

    /** Writes what was gathered. */
    synchronized void flush() throws RepoException {
        for (Map.Entry<PathRemote, Set<Key>> e : received.entrySet()) {
            AnnexRepo r = e.getKey().repo();
            r.branch().setLocations(e.getValue(), r.uuid(), true);
            r.flush();
        }
        received.clear();
        for (Map.Entry<Uuid, Set<Key>> e : here.entrySet()) {
            repo.branch().setLocations(e.getValue(), e.getKey(), true);
        }
        here.clear();
        pending = 0;
    }
}
