package io.annexsync.app.assistant;

import io.annexsync.app.map.RepoMap;
import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.AnnexedFile;
import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.Uuid;
import io.annexsync.gitsync.branch.TrustLevel;
import io.annexsync.gitsync.key.Key;
import io.annexsync.gitsync.remote.RemoteConfig;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The routing of one round of content moves: the network map, the remotes reachable now, who holds each key (the
 * location logs, read with the git-annex branches not merged yet) and who is dead. Says where to send a file that is
 * here, where to get one that is not, and, when it cannot be got now, why. Made on the repository thread for one
 * round and then closed.
 */
final class ContentPlan implements AutoCloseable {
    private final AnnexRepo repo;
    private final RepoMap map;
    private final List<RemoteConfig> remotes;
    private final List<RemoteConfig> reachable;
    private final Map<Key, Set<Uuid>> holders;
    private final Map<Uuid, TrustLevel> trust;
    private final Map<Uuid, String> descriptions;

    private ContentPlan(AnnexRepo repo, RepoMap map, Map<Key, Set<Uuid>> holders) throws RepoException {
        this.repo = repo;
        this.map = map;
        this.remotes = repo.remotes();
        this.reachable = remotes.stream()
                .filter(r -> !r.ignored())
                .filter(r -> r.reachability(repo.workTree()).maybe())
                .toList();
        this.holders = holders;
        this.trust = repo.branch().trust();
        this.descriptions = repo.branch().descriptions();
    }

    /** The plan for {@code files}, read now. */
    static ContentPlan of(AnnexRepo repo, Clock clock, List<AnnexedFile> files) throws RepoException {
        List<Key> keys = files.stream().map(AnnexedFile::key).distinct().toList();
        Map<Key, Set<Uuid>> holders = new LinkedHashMap<>(repo.branch().locations(keys));
        for (Key k : keys) {
            if (repo.hasContent(k)) {
                Set<Uuid> h = new HashSet<>(holders.getOrDefault(k, Set.of()));
                h.add(repo.uuid());
                holders.put(k, h);
            }
        }
        RepoMap map = RepoMap.load(repo, clock);
        try {
            return new ContentPlan(repo, map, holders);
        } catch (RepoException | RuntimeException e) {
            map.close();
            throw e;
        }
    }

    /** The remotes on a local path that are not there now (a drive not mounted), and so get nothing this round. */
    List<RemoteConfig> unreachable() {
        return remotes.stream().filter(r -> !r.ignored() && !reachable.contains(r)).toList();
    }

    /** The remotes to send {@code key} (here) to: this repository's children in the key's tree. */
    List<RemoteConfig> uploadTo(Key key) {
        return map.uploadTo(key, holders.getOrDefault(key, Set.of()), reachable);
    }

    /**
     * Where to get {@code key} from, best first: the parent in the key's tree, then every other reachable remote the
     * location log says has it. Empty when none can be asked now.
     */
    List<RemoteConfig> downloadFrom(Key key) {
        Set<Uuid> living = living(key);
        List<RemoteConfig> from = new ArrayList<>(map.downloadFrom(key, living, reachable));
        for (RemoteConfig r : reachable) {
            if (!from.contains(r) && r.uuid().filter(living::contains).isPresent()) {
                from.add(r);
            }
        }
        return from;
    }

    /** Why {@code file} cannot be asked for now (no remote in {@link #downloadFrom}), as a waiting file. */
    WaitingFile whyNot(WaitingFile waiting) {
        Key key = waiting.file().key();
        Set<Uuid> logged = new TreeSet<>(holders.getOrDefault(key, Set.of()));
        logged.remove(repo.uuid());
        Set<Uuid> living = living(key);
        if (logged.isEmpty()) {
            return waiting.now(WaitingFile.State.NO_KNOWN_COPY, "");
        }
        if (living.isEmpty()) {
            return waiting.now(WaitingFile.State.ONLY_DEAD_COPIES, names(logged));
        }
        List<RemoteConfig> holding = remotes.stream()
                .filter(r -> !reachable.contains(r) && r.uuid().filter(living::contains).isPresent()).toList();
        String unreachable = names(holding.stream().filter(r -> !r.ignored()));
        if (!unreachable.isEmpty()) {
            return waiting.now(WaitingFile.State.UNREACHABLE, unreachable);
        }
        String ignored = names(holding.stream().filter(RemoteConfig::ignored));
        if (!ignored.isEmpty()) {
            return waiting.now(WaitingFile.State.IGNORED, ignored);
        }
        return waiting.now(WaitingFile.State.NOT_A_REMOTE, names(living));
    }

    /** The holders of {@code key} that are not this repository and not dead. */
    private Set<Uuid> living(Key key) {
        Set<Uuid> living = new TreeSet<>(holders.getOrDefault(key, Set.of()));
        living.remove(repo.uuid());
        living.removeIf(u -> trust.get(u) == TrustLevel.DEAD);
        return living;
    }

    private static String names(Stream<RemoteConfig> remotes) {
        return remotes.map(RemoteConfig::name).collect(Collectors.joining(", "));
    }

    private String names(Set<Uuid> uuids) {
        List<String> names = new ArrayList<>();
        for (Uuid u : uuids) {
            names.add(remotes.stream().filter(r -> r.uuid().filter(u::equals).isPresent()).map(RemoteConfig::name)
                    .findFirst().orElse(descriptions.getOrDefault(u, u.value())));
        }
        return String.join(", ", names);
    }

    @Override
    public void close() {
        map.close();
    }
}
