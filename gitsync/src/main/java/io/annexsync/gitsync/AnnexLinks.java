package io.annexsync.gitsync;

import io.annexsync.gitsync.key.Key;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How git points at annexed content (FORMAT.md §4): pointer files of unlocked files, {@code /annex/objects/KEYFILE\n},
 * and the relative symlinks of locked files, {@code ../.git/annex/objects/XX/YY/KEYFILE/KEYFILE}.
 */
public final class AnnexLinks {
    /** git-annex ignores files larger than this when looking for pointers. */
    public static final int MAX_POINTER_SIZE = 32768;

    private static final String POINTER_PREFIX = "/annex/objects/";

    private AnnexLinks() {}

    /** The exact pointer file text annex-sync writes for a key. */
    public static String pointer(Key key) {
        return POINTER_PREFIX + key.keyFile() + "\n";
    }

    /** The key of a pointer file's content, read with git-annex's rules; empty if it is not a pointer. */
    public static Optional<Key> parsePointer(byte[] content) {
        if (content.length > MAX_POINTER_SIZE) {
            return Optional.empty();
        }
        String text = new String(content, StandardCharsets.UTF_8);
        int nl = text.indexOf('\n');
        String first = nl < 0 ? text : text.substring(0, nl);
        if (first.endsWith("\r")) {
            first = first.substring(0, first.length() - 1);
        }
        if (!first.startsWith(POINTER_PREFIX)) {
            return Optional.empty();
        }
        if (nl >= 0 && !restIsAnnexLines(text.substring(nl + 1))) {
            return Optional.empty();
        }
        return Key.fromKeyFile(first.substring(POINTER_PREFIX.length()));
    }

    private static boolean restIsAnnexLines(String rest) {
        if (rest.isEmpty()) {
            return true;
        }
        if (!rest.endsWith("\n")) {
            return false;
        }
        return rest.lines().allMatch(l -> l.contains("/annex/"));
    }

    /** The key a symlink target names, if it is an annex link (its target contains {@code /annex/objects/}). */
    public static Optional<Key> parseSymlinkTarget(String target) {
        if (!target.contains(POINTER_PREFIX)) {
            return Optional.empty();
        }
        return Key.fromKeyFile(target.substring(target.lastIndexOf('/') + 1));
    }

    /**
     * The canonical relative symlink target for a locked file at {@code path} (relative to the work tree) whose
     * content lives at {@code objectPath} relative to the work tree, for example {@code .git/annex/objects/...}.
     */
    public static String symlinkTarget(String path, String objectPath) {
        Path parent = Path.of(path).getParent();
        String rel = parent == null ? objectPath : parent.relativize(Path.of(objectPath)).toString();
        return rel.replace('\\', '/');
    }
}
