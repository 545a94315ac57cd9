package io.annexsync.gitsync.sync;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.diff.DiffAlgorithm;
import org.eclipse.jgit.diff.RawText;
import org.eclipse.jgit.diff.RawTextComparator;
import org.eclipse.jgit.merge.MergeAlgorithm;
import org.eclipse.jgit.merge.MergeFormatter;
import org.eclipse.jgit.merge.MergeResult;

/**
 * Line-based three-way merge of a text file stored in git, as {@code git merge} does it, but giving up (instead of
 * writing conflict markers) when the two sides' edits overlap or a version is binary. Not thread-safe.
 */
final class TextMerge {
    private final Blobs blobs;

    TextMerge(Blobs blobs) {
        this.blobs = blobs;
    }

    /** The cleanly merged file, or empty when the edits conflict, a side is not a regular text file, or no base. */
    Optional<TreeEntry> merge(Optional<TreeEntry> base, TreeEntry ours, TreeEntry theirs) throws IOException {
        if (base.isEmpty() || !base.get().regular() || !ours.regular() || !theirs.regular()) {
            return Optional.empty();
        }
        byte[] b = blobs.bytes(base.get().id());
        byte[] o = blobs.bytes(ours.id());
        byte[] t = blobs.bytes(theirs.id());
        if (RawText.isBinary(b) || RawText.isBinary(o) || RawText.isBinary(t)) {
            return Optional.empty();
        }
        MergeAlgorithm algorithm = new MergeAlgorithm(DiffAlgorithm.getAlgorithm(
                DiffAlgorithm.SupportedAlgorithm.HISTOGRAM));
        MergeResult<RawText> result = algorithm.merge(RawTextComparator.DEFAULT, new RawText(b), new RawText(o),
                new RawText(t));
        if (result.containsConflicts()) {
            return Optional.empty();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new MergeFormatter().formatMerge(out, result, List.of("base", "ours", "theirs"), StandardCharsets.UTF_8);
        int mode = ours.mode() == base.get().mode() ? theirs.mode() : ours.mode();
        return Optional.of(new TreeEntry(mode, blobs.insert(out.toByteArray())));
    }
}
