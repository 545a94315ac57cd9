package io.annexsync.gitsync.key;

/**
 * keyFile escaping (FORMAT.md §3.1): how a key becomes a file name. {@code &} → {@code &a}, {@code %} → {@code &s},
 * {@code :} → {@code &c}, {@code /} → {@code %}. Hashes are always computed on the unescaped key.
 */
public final class KeyFile {
    private KeyFile() {}

    /** The file name for a serialised key. */
    public static String escape(String key) {
        StringBuilder sb = new StringBuilder(key.length() + 8);
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            switch (c) {
                case '&' -> sb.append("&a");
                case '%' -> sb.append("&s");
                case ':' -> sb.append("&c");
                case '/' -> sb.append('%');
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** The serialised key for a file name; the inverse of {@link #escape}. */
    public static String unescape(String file) {
        StringBuilder sb = new StringBuilder(file.length());
        for (int i = 0; i < file.length(); i++) {
            char c = file.charAt(i);
            if (c == '&' && i + 1 < file.length()) {
                char n = file.charAt(++i);
                switch (n) {
                    case 'a' -> sb.append('&');
                    case 's' -> sb.append('%');
                    case 'c' -> sb.append(':');
                    default -> sb.append('&').append(n);
                }
            } else if (c == '%') {
                sb.append('/');
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
