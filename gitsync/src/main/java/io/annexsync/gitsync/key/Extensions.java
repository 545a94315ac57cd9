package io.annexsync.gitsync.key;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The extension an {@code E} backend keeps from a file name, exactly as git-annex 10 chooses it (FORMAT.md §2.2):
 * leading dots stripped, components walked from the end until one is longer than 4 bytes, components with characters
 * other than ASCII letters, digits or bytes of 0x80 and above dropped, the last two kept, empty ones then dropped.
 */
public final class Extensions {
    /** git-annex's default {@code annex.maxextensionlength}, in bytes. */
    public static final int MAX_LENGTH = 4;

    private Extensions() {}

    /** The extension (with its leading dot, or empty) for the base name of {@code path}. */
    public static String of(String path) {
        return of(path, MAX_LENGTH);
    }

    /** As {@link #of(String)} with another maximum component length in bytes. */
    public static String of(String path, int maxLength) {
        String base = path.substring(path.lastIndexOf('/') + 1);
        int start = 0;
        while (start < base.length() && base.charAt(start) == '.') {
            start++;
        }
        base = base.substring(start);
        int dot = base.indexOf('.');
        if (dot < 0) {
            return "";
        }
        String[] parts = base.substring(dot + 1).split("\\.", -1);
        List<String> taken = new ArrayList<>();
        for (int i = parts.length - 1; i >= 0; i--) {
            if (parts[i].getBytes(StandardCharsets.UTF_8).length > maxLength) {
                break;
            }
            if (valid(parts[i])) {
                taken.add(parts[i]);
            }
        }
        StringBuilder ext = new StringBuilder();
        for (int i = Math.min(2, taken.size()) - 1; i >= 0; i--) {
            if (!taken.get(i).isEmpty()) {
                ext.append('.').append(taken.get(i));
            }
        }
        return ext.toString();
    }

    private static boolean valid(String component) {
        for (int i = 0; i < component.length(); i++) {
            char c = component.charAt(i);
            boolean asciiAlnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (c < 0x80 && !asciiAlnum) {
                return false;
            }
        }
        return true;
    }
}
