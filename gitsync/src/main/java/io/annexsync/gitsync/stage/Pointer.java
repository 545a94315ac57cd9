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

    /** The key a pointer file's bytes name, by git-annex's reading rules; empty when it is not a pointer. */
    public static Optional<Key> parsePointer(byte[] content) {
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
        return Key.fromKeyFile(first.substring(PREFIX.length()));
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

    /** The key a symlink target names, when it points into an annex. */
    public static Optional<Key> parseLinkTarget(String target) {
        if (!target.contains("/annex/objects/")) {
            return Optional.empty();
        }
        return Key.fromKeyFile(target.substring(target.lastIndexOf('/') + 1));
    }
}
