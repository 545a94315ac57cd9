package io.annexsync.gitsync;

import java.nio.file.Path;
import java.util.List;

/**
 * What the paths given to a content command select: the annexed files under them, and the paths that named nothing
 * git knows, which the command reports as failed items while it goes on with the others (as git-annex does).
 *
 * @param files the annexed files under the paths that matched, sorted by path
 * @param unmatched the paths, as given, under which the index has no file at all
 */
public record FileSelection(List<AnnexedFile> files, List<Path> unmatched) {
    public FileSelection {
        files = List.copyOf(files);
        unmatched = List.copyOf(unmatched);
    }
}
