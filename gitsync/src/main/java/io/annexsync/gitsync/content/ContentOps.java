package io.annexsync.gitsync.content;

import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.AnnexedFile;
import io.annexsync.gitsync.Progress;
import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.UnsafePathException;
import io.annexsync.gitsync.Uuid;
import io.annexsync.gitsync.WorkTreeFiles;
import io.annexsync.gitsync.key.Key;
import io.annexsync.gitsync.remote.PathRemote;
import io.annexsync.gitsync.remote.RemoteConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * get, copy, drop and fsck of annexed files, between this repository and its path remotes. Content moves directly
 * between object stores here; the transfer engine takes this over later. Remotes opened for one file stay open for
 * the next, and the location-log lines of new copies are gathered and written in one batch per repository by
 * {@link #flush} (or {@link #close}), so a command over 10,000 files does not open a remote or commit a journal
 * 10,000 times. {@link #get} and {@link #copyTo} may run on several threads at once for different files (the
 * stores and the gathered logs are thread-safe), as {@code sync --content} does; {@link #flush} and {@link #close}
 * run after them. Close it to flush and release the remotes.
 */
public final class ContentOps implements AutoCloseable {
    private final AnnexRepo repo;
    private final Map<String, PathRemote> opened = new HashMap<>();
    private final Map<Uuid, Set<Key>> herePresent = new HashMap<>();
    private final Map<String, Set<Key>> remotePresent = new HashMap<>();
    private final Set<String> touched = new LinkedHashSet<>();

    public ContentOps(AnnexRepo repo) {
        this.repo = repo;
    }

    /**
     * Gets the content from the cheapest remote that has it (or only from {@code only}). A file whose folder is a link
     * in the work tree fails with the reason; its content is still got into the store.
     */
    public ItemResult get(AnnexedFile file, Optional<String> only, Progress progress) throws RepoException {
        Key key = file.key();
        try {
            if (repo.hasContent(key)) {
                return populate(file) ? ItemResult.ok(file.path(), key, "") : ItemResult.nothingToDo(file.path(), key);
            }
            return fetch(file, only, progress);
        } catch (UnsafePathException e) {
            return ItemResult.failed(file.path(), key, "", e.getMessage());
        }
    }

    private ItemResult fetch(AnnexedFile file, Optional<String> only, Progress progress) throws RepoException {
        Key key = file.key();
        List<String> tried = new ArrayList<>();
        for (RemoteConfig remote : candidates(only)) {
            try {
                PathRemote r = open(remote);
                if (!r.repo().hasContent(key)) {
                    tried.add(remote.name() + " does not have it");
                    continue;
                }
                ObjectCopier.copy(r.repo().store(), repo.store(), key, file.path(), progress);
                present(repo.uuid(), key);
            } catch (UnsafePathException e) {
                throw e;
            } catch (RepoException e) {
                tried.add(e.getMessage());
                continue;
            }
            populate(file);
            return ItemResult.ok(file.path(), key, "from " + remote.name() + "...");
        }
        return ItemResult.failed(file.path(), key, "", noCopyMessage(file, tried));
    }

    /** Copies the content to {@code remoteName} unless it has it; records the new copy in both repositories. */
    public ItemResult copyTo(AnnexedFile file, String remoteName, Progress progress) throws RepoException {
        Key key = file.key();
        RemoteConfig remote = remote(remoteName);
        if (!repo.hasContent(key)) {
            return ItemResult.failed(file.path(), key, "", "content not present here; get it first");
        }
        try {
            PathRemote r = open(remote);
            boolean had = r.repo().hasContent(key);
            if (!had) {
                ObjectCopier.copy(repo.store(), r.repo().store(), key, file.path(), progress);
                received(remote.name(), key);
            }
            present(r.repo().uuid(), key);
            return had
                    ? ItemResult.nothingToDo(file.path(), key)
                    : ItemResult.ok(file.path(), key, "to " + remote.name() + "...");
        } catch (RepoException e) {
            return ItemResult.failed(file.path(), key, "to " + remote.name() + "...", e.getMessage());
        }
    }

    /** Drops the local copy when numcopies other copies are verified; see {@link Dropper}. */
    public ItemResult drop(AnnexedFile file) throws RepoException {
        return new Dropper(repo, this).drop(file);
    }

    /** Checks the file's content and location log; see {@link Checker}. */
    public ItemResult fsck(AnnexedFile file, boolean fast, Progress progress) throws RepoException {
        return new Checker(repo).check(file, fast, progress);
    }

    /** The remote's repository, opened once per command. */
    public synchronized PathRemote open(RemoteConfig remote) throws RepoException {
        PathRemote r = opened.get(remote.name());
        if (r == null) {
            r = PathRemote.open(remote, repo.workTree());
            opened.put(remote.name(), r);
        }
        return r;
    }

    /** Puts an unlocked file's content in place; its index entry is refreshed by {@link #flush}. */
    private boolean populate(AnnexedFile file) throws RepoException {
        boolean changed = WorkTreeFiles.populate(repo, file);
        if (changed) {
            touched(file.path());
        }
        return changed;
    }

    /** Notes a work-tree file this changed, for the one index refresh of {@link #flush}. */
    synchronized void touched(String path) {
        touched.add(path);
    }

    private synchronized void present(Uuid where, Key key) {
        herePresent.computeIfAbsent(where, u -> new LinkedHashSet<>()).add(key);
    }

    private synchronized void received(String remote, Key key) {
        remotePresent.computeIfAbsent(remote, n -> new LinkedHashSet<>()).add(key);
    }

    /**
     * Refreshes the index entries of the work-tree files this changed, in one write, and writes the gathered
     * location-log lines: in this repository's journal for every new copy (here or in a
     * remote), and in each remote's own git-annex branch for what it received, committed there as git-annex does
     * when it receives content.
     */
    public synchronized void flush() throws RepoException {
        WorkTreeFiles.refreshIndex(repo, touched);
        touched.clear();
        for (Map.Entry<String, Set<Key>> e : remotePresent.entrySet()) {
            PathRemote r = opened.get(e.getKey());
            r.repo().branch().setLocations(e.getValue(), r.repo().uuid(), true);
            r.repo().flush();
        }
        remotePresent.clear();
        for (Map.Entry<Uuid, Set<Key>> e : herePresent.entrySet()) {
            repo.branch().setLocations(e.getValue(), e.getKey(), true);
        }
        herePresent.clear();
    }

    /** Closes the remotes this opened without flushing. */
    public synchronized void closeRemotes() {
        opened.values().forEach(PathRemote::close);
        opened.clear();
    }

    /** Flushes, then closes the remotes this opened. */
    @Override
    public void close() throws RepoException {
        try {
            flush();
        } finally {
            closeRemotes();
        }
    }

    /** Path remotes that may be used for content, cheapest first; only {@code only} when given. */
    List<RemoteConfig> candidates(Optional<String> only) throws RepoException {
        if (only.isPresent()) {
            return List.of(remote(only.get()));
        }
        return repo.remotes().stream().filter(r -> !r.ignored()).toList();
    }

    private RemoteConfig remote(String name) throws RepoException {
        return repo.remotes().stream()
                .filter(r -> r.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new RepoException("there is no remote called " + name
                        + " (see 'annex-sync remote list')"));
    }

    private String noCopyMessage(AnnexedFile file, List<String> tried) throws RepoException {
        Set<Uuid> where = repo.branch().locations(file.key());
        StringBuilder sb = new StringBuilder();
        if (where.isEmpty()) {
            sb.append("No known copies exist of ").append(file.path());
        } else {
            sb.append("Unable to access these remotes: ").append(tried.isEmpty() ? "(none configured)" : "")
                    .append(String.join("; ", tried));
            sb.append("\nThe location log lists ").append(where.size()).append(" cop")
                    .append(where.size() == 1 ? "y" : "ies").append(": ");
            sb.append(String.join(", ", where.stream().map(Object::toString).toList()));
        }
        return sb.toString();
    }
}
