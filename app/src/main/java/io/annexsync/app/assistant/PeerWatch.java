package io.annexsync.app.assistant;

import io.annexsync.gitsync.remote.RemoteConfig;
import io.annexsync.transfer.remote.p2p.git.PeerClients;
import io.annexsync.transfer.remote.p2p.git.PeerGitTransport;
import io.annexsync.transfer.remote.p2p.protocol.P2PClient;
import io.annexsync.transfer.remote.p2p.tls.DeviceId;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.eclipse.jgit.lib.Repository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's ear on its peers: for each {@code p2p-annex::annexsync:} remote, a connection with {@code NOTIFYCHANGE}
 * outstanding (a virtual thread {@code annex-sync-peer-watch-NAME} each); when the peer answers {@code CHANGED}, the
 * remote is handed to {@code changed} (the daemon fetches, merges and pushes with it) and the next
 * {@code NOTIFYCHANGE} goes out on the same connection. No polling of the peer: a peer that cannot be reached, or
 * refuses us, is tried again after 1 s, doubling to 60 s, and once it is connected again it is synced with at once
 * (what it changed meanwhile). The remote list is read again every 5 s (a peer added or removed while the daemon
 * runs). Thread-safe; closing it ends every connection.
 */
final class PeerWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PeerWatch.class);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration LAST_RETRY = Duration.ofSeconds(60);
    private static final Duration CONNECT = Duration.ofSeconds(10);

    private final Repository repo;
    private final Supplier<List<RemoteConfig>> remotes;
    private final Consumer<RemoteConfig> changed;
    private final Map<String, Watch> watches = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "annex-sync-peer-watch");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean closed;

    PeerWatch(Repository repo, Supplier<List<RemoteConfig>> remotes, Consumer<RemoteConfig> changed) {
        this.repo = repo;
        this.remotes = remotes;
        this.changed = changed;
        timer.scheduleWithFixedDelay(this::refresh, 0, 5, TimeUnit.SECONDS);
    }

    private void refresh() {
        try {
            Map<String, RemoteConfig> peers = new ConcurrentHashMap<>();
            for (RemoteConfig r : remotes.get()) {
                PeerGitTransport.deviceIdText(r.url()).ifPresent(text -> peers.put(r.name(), r));
            }
            watches.entrySet().removeIf(e -> {
                RemoteConfig now = peers.get(e.getKey());
                if (now == null || !now.url().equals(e.getValue().remote.url())) {
                    e.getValue().stop();
                    return true;
                }
                return false;
            });
            peers.forEach((name, r) -> watches.computeIfAbsent(name, n -> start(r)));
        } catch (RuntimeException e) {
            LOG.warn("cannot look at the peer remotes: {}", e.getMessage());
        }
    }

    private Watch start(RemoteConfig r) {
        Watch w = new Watch(r);
        w.thread = Thread.ofVirtual().name("annex-sync-peer-watch-" + r.name()).start(w::run);
        return w;
    }

    private final class Watch {
        final RemoteConfig remote;
        volatile Thread thread;
        volatile boolean stopped;
        volatile P2PClient client;

        Watch(RemoteConfig remote) {
            this.remote = remote;
        }

        void run() {
            Optional<DeviceId> id;
            try {
                id = Optional.of(DeviceId.parse(PeerGitTransport.deviceIdText(remote.url()).orElseThrow()));
            } catch (IllegalArgumentException e) {
                LOG.warn("remote {}: {} is not a device id; not watching it", remote.name(), remote.url());
                return;
            }
            Duration wait = FIRST_RETRY;
            String lastProblem = "";
            boolean wasDown = false;
            while (!stopped && !closed) {
                try (P2PClient c = PeerClients.open(repo, id.get(), remote.name(), CONNECT)) {
                    client = c;
                    LOG.info("watching peer {} for changes", remote.name());
                    if (wasDown) {
                        changed.accept(remote); // what it changed while we could not hear it
                    }
                    wait = FIRST_RETRY;
                    lastProblem = "";
                    while (!stopped && !closed) {
                        List<String> refs = c.awaitChange();
                        LOG.debug("peer {} changed: {}", remote.name(), refs);
                        changed.accept(remote);
                    }
                } catch (IOException | RuntimeException e) {
                    if (stopped || closed) {
                        return;
                    }
                    wasDown = true;
                    String problem = String.valueOf(e.getMessage());
                    if (!problem.equals(lastProblem)) {
                        LOG.info("not hearing of changes from peer {}: {} (trying again, at most every {} s)",
                                remote.name(), problem, LAST_RETRY.toSeconds());
                        lastProblem = problem;
                    }
                } finally {
                    client = null;
                }
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException e) {
                    return;
                }
                wait = wait.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : wait.multipliedBy(2);
            }
        }

        void stop() {
            stopped = true;
            P2PClient c = client;
            if (c != null) {
                try {
                    c.close();
                } catch (IOException e) {
                    // stopping
                }
            }
            Thread t = thread;
            if (t != null) {
                t.interrupt();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        watches.values().forEach(Watch::stop);
        watches.clear();
    }
}
