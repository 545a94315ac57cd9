package io.annexsync.gitsync.info;

import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.AnnexedFile;
import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.Uuid;
import io.annexsync.gitsync.branch.TrustLevel;
import io.annexsync.gitsync.key.Key;
import io.annexsync.gitsync.remote.RemoteConfig;
import io.annexsync.gitsync.store.StoreStats;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Gathers what {@code info} reports from the git-annex branch, the object store and the index. */
public final class InfoCollector {
    private final AnnexRepo repo;

    public InfoCollector(AnnexRepo repo) {
        this.repo = repo;
    }

    /** The repository-wide figures. */
    public RepoInfo repo() throws RepoException {
        Map<Uuid, String> descriptions = new TreeMap<>(repo.branch().descriptions());
        descriptions.putIfAbsent(Uuid.WEB, "web");
        descriptions.putIfAbsent(Uuid.BITTORRENT, "bittorrent");
        Map<Uuid, TrustLevel> trust = repo.branch().trust();
        Map<TrustLevel, List<RepositoryEntry>> lists = new TreeMap<>();
        for (var e : descriptions.entrySet()) {
            TrustLevel level = trust.getOrDefault(e.getKey(), TrustLevel.SEMITRUSTED);
            lists.computeIfAbsent(level, l -> new ArrayList<>()).add(entry(e.getKey(), e.getValue()));
        }
        StoreStats stats = repo.store().stats();
        List<AnnexedFile> files = repo.annexedFiles(List.of(repo.workTree()));
        Map<String, Long> backends = new TreeMap<>();
        long size = 0;
        Set<Key> seen = new HashSet<>();
        for (AnnexedFile f : files) {
            backends.merge(f.key().variety(), 1L, Long::sum);
            if (seen.add(f.key())) {
                size += f.key().size().orElse(0);
            }
        }
        return new RepoInfo(
                lists.getOrDefault(TrustLevel.TRUSTED, List.of()),
                lists.getOrDefault(TrustLevel.SEMITRUSTED, List.of()),
                lists.getOrDefault(TrustLevel.UNTRUSTED, List.of()),
                freeSpace(),
                stats.keys(),
                stats.bytes(),
                files.size(),
                size,
                backends);
    }

    /** {@code info REMOTE}, if a remote has that name. */
    public Optional<RemoteInfo> remote(String name) throws RepoException {
        Optional<RemoteConfig> found = repo.remotes().stream().filter(r -> r.name().equals(name)).findFirst();
        if (found.isEmpty()) {
            return Optional.empty();
        }
        RemoteConfig r = found.get();
        long keys = 0;
        long bytes = 0;
        if (r.uuid().isPresent()) {
            Set<Key> distinct = new TreeSet<>(Comparator.comparing(Key::serialize));
            for (AnnexedFile f : repo.annexedFiles(List.of(repo.workTree()))) {
                distinct.add(f.key());
            }
            for (Key k : distinct) {
                if (repo.branch().locations(k).contains(r.uuid().get())) {
                    keys++;
                    bytes += k.size().orElse(0);
                }
            }
        }
        Map<Uuid, String> descriptions = repo.branch().descriptions();
        Map<Uuid, TrustLevel> trustLevels = repo.branch().trust();
        String desc = r.uuid().map(u -> descriptions.getOrDefault(u, "")).orElse("");
        TrustLevel trust = r.uuid().map(u -> trustLevels.getOrDefault(u, TrustLevel.SEMITRUSTED))
                .orElse(TrustLevel.SEMITRUSTED);
        return Optional.of(new RemoteInfo(r.name(), r.uuid(), (desc.isEmpty() ? "" : desc + " ") + "[" + r.name() + "]",
                trust.name().toLowerCase(Locale.ROOT), r.cost(), r.url(), keys, bytes));
    }

    private RepositoryEntry entry(Uuid uuid, String description) {
        boolean here = uuid.equals(repo.uuid());
        Optional<String> remote = repo.remotes().stream()
                .filter(r -> r.uuid().equals(Optional.of(uuid)))
                .map(RemoteConfig::name)
                .findFirst();
        String shown = remote.map(n -> (description.isEmpty() ? "" : description + " ") + "[" + n + "]")
                .orElse(description);
        return new RepositoryEntry(uuid, shown, here);
    }

    private long freeSpace() throws RepoException {
        try {
            return Files.getFileStore(repo.git().getDirectory().toPath()).getUsableSpace();
        } catch (IOException e) {
            throw new RepoException("cannot read free disk space: " + e.getMessage(), e);
        }
    }
}
