package io.annexsync.gitsync.stage;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A git-annex glob ({@code include=}/{@code exclude=}) matched against a whole path relative to the repository root,
 * case-sensitively: {@code *} matches any run of characters including {@code /} (so {@code *.txt} matches
 * {@code sub/a.txt}), {@code ?} one character, {@code [...]} a class ({@code [!..]} or {@code [^..]} negated); other
 * characters, backslash included, are literal. Immutable and thread-safe.
 *
 * @param text the glob as written
 * @param pattern its compiled form
 */
record Glob(String text, Pattern pattern) {
    static Glob of(String text) {
        try {
            return new Glob(text, Pattern.compile(toRegex(text), Pattern.DOTALL));
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("bad glob " + text + ": " + e.getDescription(), e);
        }
    }

    boolean matches(String path) {
        return pattern.matcher(path).matches();
    }

    private static String toRegex(String glob) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                case '[' -> i = charClass(glob, i, re);
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return re.toString();
    }

    /** Appends the class starting at {@code start}; returns the index of its closing bracket. */
    private static int charClass(String glob, int start, StringBuilder re) {
        int close = glob.indexOf(']', start + 2);
        if (close < 0) {
            throw new IllegalArgumentException("unclosed [ in glob " + glob);
        }
        String body = glob.substring(start + 1, close);
        re.append('[');
        if (body.startsWith("!") || body.startsWith("^")) {
            re.append('^');
            body = body.substring(1);
        }
        for (char c : body.toCharArray()) { // '-' keeps its range meaning
            if ("\\[]&^".indexOf(c) >= 0) {
                re.append('\\');
            }
            re.append(c);
        }
        re.append(']');
        return close;
    }
}
