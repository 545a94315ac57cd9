package io.annexsync.gitsync.content;

import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.AnnexedFile;
import io.annexsync.gitsync.Progress;
import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.WorkTreeFiles;
import io.annexsync.gitsync.key.Key;
import io.annexsync.gitsync.remote.PathRemote;
import io.annexsync.gitsync.remote.RemoteConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * get, copy, drop and fsck of annexed files, between this repository and its path remotes. Content moves directly
 * between object stores here; the transfer engine takes this over later. Used by one thread at a time, like the
 * {@link AnnexRepo} it works on.
 */
public final class ContentOps {
    private final AnnexRepo repo;

    public ContentOps(AnnexRepo repo) {
        this.repo = repo;
    }

    /** Gets the content from the cheapest remote that has it (or only from {@code only}). */
    public ItemResult get(AnnexedFile file, Optional<String> only, Progress progress) throws RepoException {
        Key key = file.key();
        if (repo.hasContent(key)) {
            return WorkTreeFiles.populate(repo, file)
                    ? ItemResult.ok(file.path(), key, "")
                    : ItemResult.nothingToDo(file.path(), key);
        }
        List<String> tried = new ArrayList<>();
        for (RemoteConfig remote : candidates(only)) {
            try (PathRemote r = PathRemote.open(remote, repo.workTree())) {
                if (!r.repo().hasContent(key)) {
                    tried.add(remote.name() + " does not have it");
                    continue;
                }
                ObjectCopier.copy(r.repo().store(), repo.store(), key, file.path(), progress);
                repo.branch().setLocation(key, repo.uuid(), true);
                WorkTreeFiles.populate(repo, file);
                return ItemResult.ok(file.path(), key, "from " + remote.name() + "...");
            } catch (RepoException e) {
                tried.add(e.getMessage());
            }
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
        try (PathRemote r = PathRemote.open(remote, repo.workTree())) {
            boolean had = r.repo().hasContent(key);
            if (!had) {
                ObjectCopier.copy(repo.store(), r.repo().store(), key, file.path(), progress);
                r.repo().branch().setLocation(key, r.repo().uuid(), true);
                r.repo().flush();
            }
            repo.branch().setLocation(key, r.repo().uuid(), true);
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
        Set<io.annexsync.gitsync.Uuid> where = repo.branch().locations(file.key());
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
