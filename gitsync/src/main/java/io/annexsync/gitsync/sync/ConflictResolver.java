package io.annexsync.gitsync.sync;

import io.annexsync.gitsync.key.Key;
import io.annexsync.gitsync.sync.ConflictResolution.Kind;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Three-way merge of flattened trees that never leaves a conflict: every conflicting version is kept, under a
 * variant name where two versions cannot share one (naming in {@code docs/sync.md}). The rules only look at the two
 * versions and the base, never at which side is "ours", so two peers merging each other's commits compute the same
 * tree. Not thread-safe; one per merge.
 */
final class ConflictResolver {
    private final Blobs blobs;
    private final TextMerge text;
    private final TreeMap<String, TreeEntry> out = new TreeMap<>();
    private final List<ConflictResolution> conflicts = new ArrayList<>();

    ConflictResolver(Blobs blobs) {
        this.blobs = blobs;
        this.text = new TextMerge(blobs);
    }

    /** Merges {@code ours} and {@code theirs} against {@code base}; the maps are modified. */
    MergedTree merge(SortedMap<String, TreeEntry> base, SortedMap<String, TreeEntry> ours,
            SortedMap<String, TreeEntry> theirs) throws IOException {
        conflicts.addAll(new RenameTransplant(blobs).apply(base, ours, theirs));
        TreeSet<String> paths = new TreeSet<>(base.keySet());
        paths.addAll(ours.keySet());
        paths.addAll(theirs.keySet());
        for (String path : paths) {
            mergePath(path, Optional.ofNullable(base.get(path)), Optional.ofNullable(ours.get(path)),
                    Optional.ofNullable(theirs.get(path)));
        }
        separateFilesFromFolders();
        conflicts.sort(Comparator.comparing(ConflictResolution::path).thenComparing(ConflictResolution::kind));
        return new MergedTree(out, List.copyOf(conflicts));
    }

    private void mergePath(String path, Optional<TreeEntry> base, Optional<TreeEntry> ours,
            Optional<TreeEntry> theirs) throws IOException {
        if (ours.equals(theirs) || theirs.equals(base)) {
            ours.ifPresent(e -> out.put(path, e));
        } else if (ours.equals(base)) {
            theirs.ifPresent(e -> out.put(path, e));
        } else if (ours.isEmpty() || theirs.isEmpty()) {
            modifiedDeleted(path, ours.or(() -> theirs).orElseThrow());
        } else {
            bothChanged(path, base, ours.get(), theirs.get());
        }
    }

    /** git-annex keeps a surviving annexed version as a variant; a file stored in git keeps its name. */
    private void modifiedDeleted(String path, TreeEntry survivor) throws IOException {
        Optional<Key> key = blobs.annexKey(survivor);
        String keptAs = key.isPresent() ? VariantNames.annexed(path, key.get()) : path;
        out.put(keptAs, survivor);
        conflicts.add(new ConflictResolution(path, Kind.MODIFY_DELETE, List.of(keptAs)));
    }

    private void bothChanged(String path, Optional<TreeEntry> base, TreeEntry ours, TreeEntry theirs)
            throws IOException {
        Optional<Key> ourKey = blobs.annexKey(ours);
        Optional<Key> theirKey = blobs.annexKey(theirs);
        if (ourKey.isPresent() && ourKey.equals(theirKey)) {
            out.put(path, sameKey(ours, theirs));
        } else if (ourKey.isPresent() && theirKey.isPresent()) {
            keepBoth(path, Kind.ANNEXED_BOTH_CHANGED, ours, theirs);
        } else if (ourKey.isPresent() || theirKey.isPresent()) {
            TreeEntry git = ourKey.isPresent() ? theirs : ours;
            TreeEntry annexed = ourKey.isPresent() ? ours : theirs;
            String variant = variantName(path, annexed);
            out.put(path, git);
            out.put(variant, annexed);
            conflicts.add(new ConflictResolution(path, Kind.ANNEXED_VS_GIT, sorted(path, variant)));
        } else {
            Optional<TreeEntry> merged = text.merge(base, ours, theirs);
            if (merged.isPresent()) {
                out.put(path, merged.get());
            } else {
                keepBoth(path, Kind.GIT_BOTH_CHANGED, ours, theirs);
            }
        }
    }

    /** Same key both sides: a symlink only if both are locked, else the pointer file (executable if either is). */
    private static TreeEntry sameKey(TreeEntry ours, TreeEntry theirs) {
        if (ours.symlink() != theirs.symlink()) {
            return ours.symlink() ? theirs : ours;
        }
        return ours.mode() >= theirs.mode() ? ours : theirs;
    }

    private void keepBoth(String path, Kind kind, TreeEntry ours, TreeEntry theirs) throws IOException {
        String a = variantName(path, ours);
        String b = variantName(path, theirs);
        out.put(a, ours);
        out.put(b, theirs);
        conflicts.add(new ConflictResolution(path, kind, sorted(a, b)));
    }

    /** The variant name of a version: by key when annexed, by blob id when stored in git. */
    private String variantName(String path, TreeEntry entry) throws IOException {
        Optional<Key> key = blobs.annexKey(entry);
        return key.isPresent() ? VariantNames.annexed(path, key.get()) : VariantNames.git(path, entry.id());
    }

    /** A file where the merged tree also has a folder of that name moves to its variant name; the folder stays. */
    private void separateFilesFromFolders() throws IOException {
        for (String path : List.copyOf(out.keySet())) {
            String folder = path + "/";
            String next = out.ceilingKey(folder);
            if (next != null && next.startsWith(folder)) {
                TreeEntry file = out.remove(path);
                String variant = variantName(path, file);
                out.put(variant, file);
                conflicts.add(new ConflictResolution(path, Kind.FILE_VS_FOLDER, List.of(variant)));
            }
        }
    }

    private static List<String> sorted(String a, String b) {
        return a.compareTo(b) <= 0 ? List.of(a, b) : List.of(b, a);
    }
}
