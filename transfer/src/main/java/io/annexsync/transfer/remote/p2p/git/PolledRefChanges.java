package io.annexsync.transfer.remote.p2p.git;

import io.annexsync.transfer.remote.p2p.protocol.RefChanges;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This repository's branches ({@code refs/heads/*}) looked at every {@code interval}, each change handed to the
 * subscribers as the new SHAs of the refs that moved: what answers a peer's
 * {@code NOTIFYCHANGE}. Looking costs one read of the ref database (no object is read), so it catches every writer
 * (the daemon's commits and merges, a peer's push, git run by hand) without hooks in any of them. One daemon thread
 * ({@code annex-sync-ref-changes}); thread-safe; closing it stops the looking.
 */
public final class PolledRefChanges implements RefChanges, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PolledRefChanges.class);

    private final Repository repo;
    private final List<Consumer<List<String>>> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "annex-sync-ref-changes");
        t.setDaemon(true);
        return t;
    });
    private Map<String, String> last;

    /** Watches {@code repo}'s branches every {@code interval}. */
    public PolledRefChanges(Repository repo, Duration interval) {
        this.repo = Objects.requireNonNull(repo, "repo");
        long millis = Math.max(10, interval.toMillis());
        this.last = refs();
        timer.scheduleWithFixedDelay(this::look, millis, millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public Subscription subscribe(Consumer<List<String>> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return () -> listeners.remove(listener);
    }

    private void look() {
        try {
            Map<String, String> now = refs();
            if (now.equals(last)) {
                return;
            }
            List<String> moved = new ArrayList<>();
            now.forEach((name, sha) -> {
                if (!sha.equals(last.get(name))) {
                    moved.add(sha);
                }
            });
            last = now;
            if (!moved.isEmpty()) {
                listeners.forEach(l -> l.accept(List.copyOf(moved)));
            }
        } catch (RuntimeException e) {
            LOG.debug("cannot look at the refs of {}", repo.getDirectory(), e);
        }
    }

    private Map<String, String> refs() {
        Map<String, String> refs = new TreeMap<>();
        try {
            for (Ref r : repo.getRefDatabase().getRefsByPrefix("refs/heads/")) {
                if (r.getObjectId() != null) {
                    refs.put(r.getName(), r.getObjectId().name());
                }
            }
        } catch (IOException e) {
            LOG.debug("cannot read the refs of {}", repo.getDirectory(), e);
            return last == null ? Map.of() : last;
        }
        return refs;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        listeners.clear();
    }
}
