package io.annexsync.gitsync.stage;

import io.annexsync.gitsync.key.Key;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * The two ways git refers to annexed content (FORMAT.md §4.1, §4.2): pointer blobs of unlocked files
 * ({@code /annex/objects/KEYFILE\n}) and symlink targets of locked files ({@code ../.git/annex/objects/XX/YY/K/K}).
 * Stateless.
 */
public final class Pointer {
    /** git-annex ignores files larger than this when looking for pointers. */
    public static final int MAX_POINTER_SIZE = 32768;
    private static final String PREFIX = "/annex/objects/";
    private static final byte[] PREFIX_BYTES = PREFIX.getBytes(StandardCharsets.US_ASCII);

    private Pointer() {}

    /** The pointer blob for {@code key}, exactly as git-annex writes it. */
    public static byte[] pointerBlob(Key key) {
        return (PREFIX + key.keyFile() + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The key a pointer file's bytes name, by git-annex's reading rules: the first line starts with {@code
     * /annex/objects/}, any further lines are annex paths too, and the key is the line's last path component (so
     * {@code /annex/objects/xx/yy/KEY} names KEY, and text after the prefix never becomes a path in the store);
     * empty when it is not a pointer, or names no valid key ({@link #pointerProblem}).
     */
    public static Optional<Key> parsePointer(byte[] content) {
        return pointerTarget(content).flatMap(t -> Key.fromKeyFile(lastComponent(t)));
    }

    /**
     * Why content that has the form of a pointer file names no key git-annex accepts (a {@code ..} path, a name that
     * is too long or holds a control character, no key at all), for a message that names the file; empty when it
     * is a valid pointer, or no pointer at all.
     */
    public static Optional<String> pointerProblem(byte[] content) {
        return pointerTarget(content).flatMap(t -> Key.keyFileProblem(lastComponent(t))
                .map(why -> "its pointer " + printable(t) + " names no git-annex key: " + why));
    }

    /** The first line of a pointer file ({@code /annex/objects/...}), when the content has that form. */
    private static Optional<String> pointerTarget(byte[] content) {
        if (content.length > MAX_POINTER_SIZE || content.length < PREFIX.length() || !startsWithPrefix(content)) {
            return Optional.empty();
        }
        String text = new String(content, StandardCharsets.UTF_8);
        int nl = text.indexOf('\n');
        String first = nl < 0 ? text : text.substring(0, nl);
        if (first.endsWith("\r")) {
            first = first.substring(0, first.length() - 1);
        }
        if (!first.startsWith(PREFIX) || !restAreAnnexLines(nl < 0 ? "" : text.substring(nl + 1))) {
            return Optional.empty();
        }
        return Optional.of(first);
    }

    private static String lastComponent(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** The text for a message, quoted: control characters shown as Java escapes, at most 120 characters. */
    private static String printable(String text) {
        StringBuilder sb = new StringBuilder();
        text.codePoints().limit(120).forEach(c -> {
            if (Character.isISOControl(c)) {
                sb.append(String.format("\\u%04x", c));
            } else {
                sb.appendCodePoint(c);
            }
        });
        return "'" + sb + (text.codePointCount(0, text.length()) > 120 ? "...'" : "'");
    }

    /**
     * The key of a pointer file that has had other content appended to it: {@code head} (the file's first bytes, at
     * most {@link #MAX_POINTER_SIZE} + 1 of them) begins with a whole pointer line and goes on with something that
     * is not more annex lines, as when a person appends to the placeholder of content that is not here. git-annex
     * 10.20230126 warns of it ("looks like git-annex pointer file that has had other content appended to it") and then
     * annexes it as new content. Empty for a pointer file and for anything else.
     */
    public static Optional<Key> parseAppended(byte[] head) {
        if (!startsWithPrefix(head) || (head.length <= MAX_POINTER_SIZE && parsePointer(head).isPresent())) {
            return Optional.empty();
        }
        for (int i = PREFIX_BYTES.length; i < head.length; i++) {
            if (head[i] == '\n') {
                return i + 1 < head.length ? parsePointer(Arrays.copyOf(head, i + 1)) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** How many bytes {@link #startsWithPrefix} needs. */
    public static final int PREFIX_LENGTH = 15;

    /** A cheap first test, so ordinary files are not decoded as text: whether it begins {@code /annex/objects/}. */
    public static boolean startsWithPrefix(byte[] content) {
        if (content.length < PREFIX_BYTES.length) {
            return false;
        }
        for (int i = 0; i < PREFIX_BYTES.length; i++) {
            if (content[i] != PREFIX_BYTES[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean restAreAnnexLines(String rest) {
        if (rest.isEmpty()) {
            return true;
        }
        return rest.endsWith("\n") && rest.lines().allMatch(l -> l.contains("/annex/"));
    }

    /** The key a symlink target names, when it points into an annex: its last path component, as git-annex reads. */
    public static Optional<Key> parseLinkTarget(String target) {
        if (!target.contains("/annex/objects/")) {
            return Optional.empty();
        }
        return Key.fromKeyFile(lastComponent(target));
    }

    /** As {@link #pointerProblem} for a symlink into an annex whose last component is no key. */
    public static Optional<String> linkTargetProblem(String target) {
        if (!target.contains("/annex/objects/")) {
            return Optional.empty();
        }
        return Key.keyFileProblem(lastComponent(target))
                .map(why -> "its symlink to " + printable(target) + " names no git-annex key: " + why);
    }
}
