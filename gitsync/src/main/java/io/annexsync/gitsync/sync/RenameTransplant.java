package io.annexsync.gitsync.sync;

import io.annexsync.gitsync.sync.ConflictResolution.Kind;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/**
 * Makes "renamed on one side, changed in place on the other" merge as both intended: the changed content moves to the
 * new name. A rename is exact: the path is gone on the renaming side and a new path there has the same content (the
 * same key for annexed files, whose link text changes with the folder; the same blob otherwise). The change is then
 * moved to the new path on the other side and in the base, so the ordinary three-way rules take it from there.
 * Renames with edits are not detected: both names are kept, so nothing is lost. Not thread-safe.
 */
final class RenameTransplant {
    private final Blobs blobs;
    private final List<ConflictResolution> renames = new ArrayList<>();

    RenameTransplant(Blobs blobs) {
        this.blobs = blobs;
    }

    /** Rewrites {@code base}, {@code ours} and {@code theirs} in place for every rename-vs-modify pair. */
    List<ConflictResolution> apply(SortedMap<String, TreeEntry> base, SortedMap<String, TreeEntry> ours,
            SortedMap<String, TreeEntry> theirs) throws IOException {
        transplant(base, ours, theirs);
        transplant(base, theirs, ours);
        return List.copyOf(renames);
    }

    /** Follows the renames made on {@code renaming} with the changes made on {@code changing}. */
    private void transplant(SortedMap<String, TreeEntry> base, SortedMap<String, TreeEntry> renaming,
            SortedMap<String, TreeEntry> changing) throws IOException {
        List<String> added = renaming.keySet().stream().filter(p -> !base.containsKey(p)).toList();
        if (added.isEmpty()) {
            return;
        }
        for (String path : List.copyOf(base.keySet())) {
            TreeEntry original = base.get(path);
            TreeEntry changed = changing.get(path);
            if (renaming.containsKey(path) || changed == null || changed.equals(original)) {
                continue;
            }
            Optional<String> target = renamedTo(original, added, base, renaming, changing);
            if (target.isPresent()) {
                move(path, target.get(), base, renaming, changing);
            }
        }
    }

    /** The first (sorted) new path on the renaming side holding the same content, free on the changing side. */
    private Optional<String> renamedTo(TreeEntry original, List<String> added, Map<String, TreeEntry> base,
            Map<String, TreeEntry> renaming, Map<String, TreeEntry> changing) throws IOException {
        Object identity = blobs.identity(original);
        for (String path : added) {
            if (!base.containsKey(path) && !changing.containsKey(path)
                    && blobs.identity(renaming.get(path)).equals(identity)) {
                return Optional.of(path);
            }
        }
        return Optional.empty();
    }

    private void move(String from, String to, SortedMap<String, TreeEntry> base, SortedMap<String, TreeEntry> renaming,
            SortedMap<String, TreeEntry> changing) throws IOException {
        base.remove(from);
        base.put(to, renaming.get(to));
        changing.put(to, blobs.at(to, changing.remove(from)));
        renames.add(new ConflictResolution(from, Kind.RENAME_MODIFY, List.of(to)));
    }
}
