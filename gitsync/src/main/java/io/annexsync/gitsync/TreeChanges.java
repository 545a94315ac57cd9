package io.annexsync.gitsync;

import io.annexsync.gitsync.stage.Pointer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.EmptyTreeIterator;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

/**
 * What changed between two commits of the current branch: every path added, modified or deleted, and the annexed
 * files that are new or changed (their content is what a peer may now need). The assistant asks this after a merge
 * to know what to get and send and whom to tell, without looking at the whole tree.
 *
 * @param paths every path that differs, sorted
 * @param annexed the annexed files of the newer commit at paths that differ
 */
public record TreeChanges(List<String> paths, List<AnnexedFile> annexed) {
    public TreeChanges {
        paths = List.copyOf(paths);
        annexed = List.copyOf(annexed);
    }

    /** Nothing changed. */
    public static TreeChanges none() {
        return new TreeChanges(List.of(), List.of());
    }

    /** The changes from {@code from} (empty: from nothing) to {@code to}, commit ids. */
    static TreeChanges between(AnnexRepo repo, Optional<String> from, String to) throws RepoException {
        Objects.requireNonNull(to, "to");
        List<String> paths = new ArrayList<>();
        List<AnnexedFile> annexed = new ArrayList<>();
        try (RevWalk walk = new RevWalk(repo.git()); TreeWalk tw = new TreeWalk(repo.git())) {
            ObjectReader reader = tw.getObjectReader();
            tw.setRecursive(true);
            if (from.isPresent()) {
                tw.addTree(walk.parseCommit(ObjectId.fromString(from.get())).getTree());
            } else {
                tw.addTree(new EmptyTreeIterator());
            }
            tw.addTree(walk.parseCommit(ObjectId.fromString(to)).getTree());
            tw.setFilter(TreeFilter.ANY_DIFF);
            while (tw.next()) {
                paths.add(tw.getPathString());
                FileMode mode = tw.getFileMode(1);
                if (mode != FileMode.MISSING) {
                    annexedAt(reader, tw.getPathString(), mode, tw.getObjectId(1)).ifPresent(annexed::add);
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new RepoException("cannot compare " + from.orElse("nothing") + " with " + to + ": "
                    + e.getMessage(), e);
        }
        return new TreeChanges(paths, annexed);
    }

    /** The annexed file at {@code path}, if the blob is an annex symlink or pointer. */
    static Optional<AnnexedFile> annexedAt(ObjectReader reader, String path, FileMode mode, ObjectId blob)
            throws IOException {
        if (mode == FileMode.SYMLINK) {
            String target = new String(reader.open(blob).getBytes(), StandardCharsets.UTF_8);
            return Pointer.parseLinkTarget(target).map(k -> new AnnexedFile(path, k, true));
        }
        if (mode == FileMode.REGULAR_FILE || mode == FileMode.EXECUTABLE_FILE) {
            ObjectLoader loader = reader.open(blob, Constants.OBJ_BLOB);
            return loader.getSize() > Pointer.MAX_POINTER_SIZE ? Optional.empty()
                    : Pointer.parsePointer(loader.getBytes()).map(k -> new AnnexedFile(path, k, false));
        }
        return Optional.empty();
    }

    /**
     * Why the blob at {@code path} has the form of an annexed file (an annex symlink, a pointer) but names no valid
     * key; empty when it is an annexed file or an ordinary one.
     */
    static Optional<String> brokenAt(ObjectReader reader, FileMode mode, ObjectId blob) throws IOException {
        if (mode == FileMode.SYMLINK) {
            return Pointer.linkTargetProblem(new String(reader.open(blob).getBytes(), StandardCharsets.UTF_8));
        }
        if (mode == FileMode.REGULAR_FILE || mode == FileMode.EXECUTABLE_FILE) {
            ObjectLoader loader = reader.open(blob, Constants.OBJ_BLOB);
            return loader.getSize() > Pointer.MAX_POINTER_SIZE ? Optional.empty()
                    : Pointer.pointerProblem(loader.getBytes());
        }
        return Optional.empty();
    }
}
