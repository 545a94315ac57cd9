package io.annexsync.gitsync;

import io.annexsync.gitsync.key.Backend;
import io.annexsync.gitsync.key.Key;
import io.annexsync.gitsync.stage.AddOptions;
import io.annexsync.gitsync.stage.IndexLocks;
import io.annexsync.gitsync.stage.LargeFilesPolicy;
import io.annexsync.gitsync.stage.StageOptions;
import io.annexsync.gitsync.stage.StageOutcome;
import io.annexsync.gitsync.stage.StageProgress;
import io.annexsync.gitsync.stage.Stager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.FileMode;

/** Runs the stager for {@link AnnexRepo#add} with the repository's settings, then records the new copies. */
final class Staging {
    private final AnnexRepo repo;

    Staging(AnnexRepo repo) {
        this.repo = repo;
    }

    List<StageOutcome> add(List<Path> paths, AddOptions options, Progress progress) throws RepoException {
        if (repo.isBare()) {
            throw new RepoException("cannot add files to a bare repository " + repo.gitDir());
        }
        StageOptions stage = new StageOptions(options.locked(), thin(), backend(), policy(options.force()), false);
        List<StageOutcome> outcomes;
        try (Stager stager = new Stager(repo.git(), repo.store(), repo.state().statCache(), options.threads())) {
            outcomes = stager.stage(paths, stage, adapt(progress));
        }
        List<Key> annexed = outcomes.stream()
                .filter(o -> o.kind() == StageOutcome.Kind.ANNEXED)
                .flatMap(o -> o.key().stream())
                .toList();
        repo.branch().setLocations(annexed, repo.uuid(), true);
        return outcomes;
    }

    /**
     * Removes from the index every file that is gone from the work tree (what {@code git add -A} does for deletions);
     * returns their paths. A renamed file is this deletion plus the addition of its new name.
     */
    List<String> stageDeletions() throws RepoException {
        return stageDeletions(List.of(""));
    }

    /**
     * As {@link #stageDeletions()} for the index entries at or under {@code prefixes} only (relative '/'-separated
     * paths; the empty string for everything). An entry whose path is now a folder counts as deleted too.
     */
    List<String> stageDeletions(Collection<String> paths) throws RepoException {
        Set<String> prefixes = new HashSet<>(paths);
        Path root = repo.workTree();
        List<String> removed = new ArrayList<>();
        try {
            DirCache index = IndexLocks.lock(repo.git());
            try {
                DirCacheEditor editor = index.editor();
                for (int i = 0; i < index.getEntryCount(); i++) {
                    DirCacheEntry e = index.getEntry(i);
                    Path file = root.resolve(e.getPathString());
                    if (e.getFileMode() != FileMode.GITLINK && under(prefixes, e.getPathString())
                            && (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)
                                    || Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS))) {
                        editor.add(new DirCacheEditor.DeletePath(e));
                        removed.add(e.getPathString());
                    }
                }
                if (!removed.isEmpty()) {
                    editor.finish();
                    index.write();
                    index.commit();
                }
            } finally {
                index.unlock();
            }
        } catch (IOException e) {
            throw new RepoException("cannot stage deleted files: " + e.getMessage(), e);
        }
        return removed;
    }

    /** Whether {@code path} or one of its folders is in {@code prefixes}: a lookup per folder level. */
    private static boolean under(Set<String> prefixes, String path) {
        if (prefixes.contains("")) {
            return true;
        }
        for (String p = path; ; p = p.substring(0, p.lastIndexOf('/'))) {
            if (prefixes.contains(p)) {
                return true;
            }
            if (p.indexOf('/') < 0) {
                return false;
            }
        }
    }

    private boolean thin() {
        return repo.git().getConfig().getBoolean("annex", "thin", false);
    }

    /** {@code annex.backend} (git-annex's setting), SHA256E by default. */
    private Backend backend() throws RepoException {
        String name = repo.git().getConfig().getString("annex", null, "backend");
        if (name == null || name.isBlank()) {
            return Backend.DEFAULT;
        }
        return Backend.forVariety(name.trim()).orElseThrow(() -> new RepoException("annex.backend=" + name
                + " is not a backend annex-sync can hash; use one of SHA256E, SHA256, SHA512E, SHA1E, MD5E ..."));
    }

    private LargeFilesPolicy policy(AddOptions.Force force) throws RepoException {
        return switch (force) {
            case LARGE -> LargeFilesPolicy.forced(repo.git(), true);
            case SMALL -> LargeFilesPolicy.forced(repo.git(), false);
            case NONE -> LargeFilesPolicy.load(repo.git(),
                    Optional.ofNullable(repo.branch().config().get("annex.largefiles")));
        };
    }

    private static StageProgress adapt(Progress progress) {
        return new StageProgress() {
            @Override
            public void bytesHashed(long bytes) {
                progress.bytesDone(bytes);
            }

            @Override
            public void fileDone(StageOutcome outcome) {
                progress.itemDone(outcome.path());
            }
        };
    }
}
