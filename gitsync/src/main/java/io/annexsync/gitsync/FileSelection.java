package io.annexsync.gitsync;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What the paths given to a content command select: the annexed files under them, the paths that named nothing git
 * knows, and the files that look annexed but name no valid key; the command reports the last two as failed items
 * while it goes on with the others (as git-annex does with paths that match nothing).
 *
 * @param files the annexed files under the paths that matched, sorted by path
 * @param unmatched the paths, as given, under which the index has no file at all
 * @param broken files whose pointer or annex symlink names no key git-annex accepts, sorted by path
 */
public record FileSelection(List<AnnexedFile> files, List<Path> unmatched, List<Broken> broken) {
    /**
     * A file in the index that has the form of an annexed file (a pointer, a symlink into {@code .git/annex/objects})
     * but names no valid key: never followed into the store.
     *
     * @param path the path relative to the work tree
     * @param problem why, for a person (the key text and what is wrong with it)
     */
    public record Broken(String path, String problem) {
        public Broken {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(problem, "problem");
        }
    }

    public FileSelection {
        files = List.copyOf(files);
        unmatched = List.copyOf(unmatched);
        broken = List.copyOf(broken);
    }
}
