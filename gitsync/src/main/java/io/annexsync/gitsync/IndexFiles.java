package io.annexsync.gitsync;

import io.annexsync.gitsync.branch.TrustLevel;
import io.annexsync.gitsync.key.Key;
import io.annexsync.gitsync.remote.RemoteConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.ObjectReader;

/** Finds annexed files in the index, and who holds their content, for whereis, get, drop, fsck and info. */
final class IndexFiles {
    private final AnnexRepo repo;

    IndexFiles(AnnexRepo repo) {
        this.repo = repo;
    }

    /** Annexed files under the given absolute paths; a path outside the work tree or matching nothing is an error. */
    List<AnnexedFile> annexed(List<Path> paths) throws RepoException {
        FileSelection selection = select(paths);
        for (Path p : selection.unmatched()) {
            if (!Files.isDirectory(p)) {
                throw new BadPathException(p + " not found (not a file in the repository)");
            }
        }
        return selection.files();
    }

    /**
     * The annexed files under the given absolute paths, the paths under which the index has no file at all (the work
     * tree itself never counts as one: an empty repository selects nothing), and the files whose pointer or symlink
     * names no valid key; a path outside the work tree is an error, as it is for git-annex.
     */
    FileSelection select(List<Path> paths) throws RepoException {
        List<String> prefixes = new ArrayList<>();
        for (Path p : paths) {
            prefixes.add(relative(p));
        }
        List<AnnexedFile> found = new ArrayList<>();
        List<FileSelection.Broken> broken = new ArrayList<>();
        boolean[] matched = new boolean[prefixes.size()];
        try (ObjectReader reader = repo.git().newObjectReader()) {
            DirCache index = repo.git().readDirCache();
            for (int i = 0; i < index.getEntryCount(); i++) {
                DirCacheEntry e = index.getEntry(i);
                int which = match(prefixes, e.getPathString());
                if (which < 0) {
                    continue;
                }
                matched[which] = true;
                Optional<AnnexedFile> annexed = annexedFile(reader, e);
                if (annexed.isPresent()) {
                    found.add(annexed.get());
                } else {
                    TreeChanges.brokenAt(reader, e.getFileMode(), e.getObjectId())
                            .ifPresent(why -> broken.add(new FileSelection.Broken(e.getPathString(), why)));
                }
            }
        } catch (IOException e) {
            throw new RepoException("cannot read the git index: " + e.getMessage(), e);
        }
        List<Path> unmatched = new ArrayList<>();
        for (int i = 0; i < matched.length; i++) {
            if (!matched[i] && !prefixes.get(i).isEmpty()) {
                unmatched.add(paths.get(i));
            }
        }
        found.sort(Comparator.comparing(AnnexedFile::path));
        return new FileSelection(found, unmatched, broken);
    }

    /** Every annexed file in the index. */
    List<AnnexedFile> all() throws RepoException {
        return annexed(List.of(repo.workTree()));
    }

    /** The key of an index entry, if it is an annex symlink or a pointer file. */
    static Optional<AnnexedFile> annexedFile(ObjectReader reader, DirCacheEntry e) throws IOException {
        return TreeChanges.annexedAt(reader, e.getPathString(), e.getFileMode(), e.getObjectId());
    }

    private String relative(Path p) throws BadPathException {
        Path root = repo.workTree().toAbsolutePath().normalize();
        Path abs = p.toAbsolutePath().normalize();
        if (!abs.startsWith(root)) {
            throw new BadPathException(p + " is outside the repository " + root);
        }
        return WorkTreePaths.relative(root, abs);
    }

    private static int match(List<String> prefixes, String path) {
        for (int i = 0; i < prefixes.size(); i++) {
            String pre = prefixes.get(i);
            if (pre.isEmpty() || path.equals(pre) || path.startsWith(pre + "/")) {
                return i;
            }
        }
        return -1;
    }

    /** Who holds {@code key}: the location log's repositories minus dead ones, by uuid as git-annex lists them. */
    List<Location> whereis(Key key) throws RepoException {
        Set<Uuid> present = repo.branch().locations(key);
        Map<Uuid, TrustLevel> trust = repo.branch().trust();
        Map<Uuid, String> descriptions = repo.branch().descriptions();
        List<RemoteConfig> remotes = repo.remotes();
        List<Location> out = new ArrayList<>();
        for (Uuid u : present) {
            if (trust.get(u) == TrustLevel.DEAD) {
                continue;
            }
            Optional<String> remoteName = remotes.stream()
                    .filter(r -> r.uuid().equals(Optional.of(u)))
                    .map(RemoteConfig::name)
                    .findFirst();
            out.add(new Location(u, descriptions.getOrDefault(u, ""), u.equals(repo.uuid()), remoteName));
        }
        out.sort(Comparator.comparing(Location::uuid));
        return out;
    }
}
