package io.annexsync.app.map;

import io.annexsync.transfer.content.ContentRouting;
import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.Uuid;
import io.annexsync.gitsync.key.Key;
import io.annexsync.gitsync.remote.RemoteConfig;
import io.annexsync.netmap.NetworkMapService;
import io.annexsync.netmap.graph.RepoId;
import io.annexsync.netmap.map.LinkLogCodec;
import io.annexsync.netmap.map.LinkRecord;
import io.annexsync.netmap.map.NetworkMap;
import io.annexsync.netmap.plan.TransferPlan;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One repository's view of the network map: the links published by every repository (read from
 * {@code annex-sync/links/*.log} in the git-annex branch, union-merged like every branch file), this repository's
 * own links (its remotes with their uuid and {@code annex-cost}), and the plan for each key. As a
 * {@link ContentRouting} it sends {@code sync --content} along the minimum-cost arborescence, store and forward, and
 * floods (as git-annex does) when the plan says the map cannot be followed. Thread-safe after construction: the map
 * is an immutable snapshot.
 */
public final class RepoMap implements ContentRouting, AutoCloseable {
    /** Links not refreshed for this long no longer route content. */
    public static final Duration STALE_AFTER = Duration.ofDays(30);

    /** Our own links are stamped again at most this often when nothing about them changed. */
    static final Duration REFRESH_AFTER = Duration.ofDays(1);

    private final RepoId here;
    private final NetworkMapService service;
    private final Clock clock;

    private RepoMap(RepoId here, NetworkMapService service, Clock clock) {
        this.here = here;
        this.service = service;
        this.clock = clock;
    }

    /** The map as the repository's git-annex branch holds it now (journal included). */
    public static RepoMap load(AnnexRepo repo, Clock clock) throws RepoException {
        RepoId here = RepoId.of(repo.uuid().value());
        NetworkMapService service = new NetworkMapService(here, STALE_AFTER, clock);
        List<String> logs = new ArrayList<>();
        for (String path : repo.branch().list(LinkLogCodec.FOLDER)) {
            repo.branch().read(path).ifPresent(logs::add);
        }
        Map<RepoId, String> descriptions = new LinkedHashMap<>();
        repo.branch().descriptions().forEach((uuid, d) -> repoId(uuid).ifPresent(id -> descriptions.put(id, d)));
        service.load(logs, descriptions);
        return new RepoMap(here, service, clock);
    }

    /**
     * Writes this repository's links (its remotes with a known uuid, not ignored, with their cost) to its own file
     * in the git-annex branch, through the journal; committed and pushed with the next sync. Unchanged links are
     * stamped again only once a day, so syncing does not grow the branch for nothing.
     */
    public void publish(AnnexRepo repo) throws RepoException {
        Map<RepoId, Long> costs = new TreeMap<>();
        for (RemoteConfig r : repo.remotes()) {
            Optional<RepoId> id = r.uuid().flatMap(RepoMap::repoId);
            if (!r.ignored() && id.isPresent() && !id.get().equals(here)) {
                costs.put(id.get(), Math.round(r.cost()));
            }
        }
        String path = LinkLogCodec.path(here);
        Optional<String> current = repo.branch().read(path);
        if (current.isPresent() && !needsRefresh(LinkLogCodec.parse(current.get()), costs)) {
            return;
        }
        String log = service.ownLog(costs);
        repo.branch().change(path, old -> log);
    }

    private boolean needsRefresh(List<LinkRecord> published, Map<RepoId, Long> costs) {
        Map<RepoId, Long> mine = published.stream()
                .filter(r -> r.from().equals(here))
                .collect(Collectors.toMap(LinkRecord::to, LinkRecord::cost, (a, b) -> b, TreeMap::new));
        Instant oldest = published.stream().map(LinkRecord::seen).min(Instant::compareTo).orElse(Instant.EPOCH);
        return !mine.equals(costs) || oldest.isBefore(clock.instant().minus(REFRESH_AFTER));
    }

    /** The fresh map. */
    public NetworkMap map() {
        return service.map();
    }

    /** This repository's plan for a key held by {@code holders}, given the remotes it can reach. */
    public TransferPlan plan(Set<Uuid> holders, List<RemoteConfig> reachable) {
        return service.plan(ids(holders), reachable.stream().flatMap(r -> r.uuid().flatMap(RepoMap::repoId).stream())
                .collect(Collectors.toSet()));
    }

    /**
     * The plan's source first (the parent in the tree, or when flooding the cheapest holder), then, for when its copy
     * fails (unreachable, or corrupted: it does not verify), every other reachable remote the location logs say holds
     * the key, cheapest first, as git-annex tries them; empty while the plan has no source yet.
     */
    @Override
    public List<RemoteConfig> downloadFrom(Key key, Set<Uuid> holders, List<RemoteConfig> reachable) {
        Optional<RepoId> source = plan(holders, reachable).downloadFrom();
        if (source.isEmpty()) {
            return List.of();
        }
        List<RemoteConfig> sources = new ArrayList<>(byId(reachable, List.of(source.get())));
        Set<RepoId> held = ids(holders);
        for (RemoteConfig r : reachable) {
            if (!sources.contains(r) && r.uuid().flatMap(RepoMap::repoId).filter(held::contains).isPresent()) {
                sources.add(r);
            }
        }
        return sources;
    }

    @Override
    public List<RemoteConfig> uploadTo(Key key, Set<Uuid> holders, List<RemoteConfig> reachable) {
        return byId(reachable, plan(holders, reachable).uploadTo());
    }

    private static List<RemoteConfig> byId(List<RemoteConfig> remotes, List<RepoId> ids) {
        List<RemoteConfig> chosen = new ArrayList<>();
        for (RepoId id : ids) {
            remotes.stream().filter(r -> r.uuid().flatMap(RepoMap::repoId).equals(Optional.of(id)))
                    .findFirst().ifPresent(chosen::add);
        }
        return chosen;
    }

    private static Set<RepoId> ids(Set<Uuid> uuids) {
        Set<RepoId> ids = new HashSet<>();
        uuids.forEach(u -> repoId(u).ifPresent(ids::add));
        return ids;
    }

    /** Repositories with a uuid that is not UUID-shaped (made by other tools) cannot be on the map. */
    static Optional<RepoId> repoId(Uuid uuid) {
        try {
            return Optional.of(RepoId.of(uuid.value()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        service.close();
    }
}
