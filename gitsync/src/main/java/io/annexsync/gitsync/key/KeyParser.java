package io.annexsync.gitsync.key;

import java.util.Optional;
import java.util.OptionalLong;

/** The strict key parser behind {@link Key#parse}: fields in order s, m, S+C, then {@code --} and the name. */
final class KeyParser {
    private final String text;
    private int pos;

    private KeyParser(String text) {
        this.text = text;
    }

    static Optional<Key> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            return new KeyParser(text).key();
        } catch (IllegalArgumentException | ArithmeticException e) {
            return Optional.empty();
        }
    }

    private Optional<Key> key() {
        int dash = text.indexOf('-');
        if (dash <= 0) {
            return Optional.empty();
        }
        String variety = text.substring(0, dash);
        pos = dash;
        OptionalLong size = field('s', false);
        OptionalLong mtime = field('m', true);
        OptionalLong chunkSize = field('S', false);
        OptionalLong chunkNumber = field('C', false);
        if (!text.startsWith("--", pos)) {
            return Optional.empty();
        }
        String name = text.substring(pos + 2);
        if (chunkSize.isPresent() != chunkNumber.isPresent()) {
            // git-annex parses a lone S or C field but ignores it; such keys do not round-trip, so refuse them
            return Optional.empty();
        }
        if (!Key.validName(variety, name)) {
            return Optional.empty();
        }
        return Optional.of(new Key(variety, size, mtime, chunkSize, chunkNumber, name));
    }

    /** Reads {@code -<letter><decimal>} at the current position if it is there. */
    private OptionalLong field(char letter, boolean signed) {
        if (pos + 2 > text.length() || text.charAt(pos) != '-' || text.charAt(pos + 1) != letter) {
            return OptionalLong.empty();
        }
        int start = pos + 2;
        int end = start;
        if (signed && end < text.length() && text.charAt(end) == '-') {
            end++;
        }
        int digitsStart = end;
        while (end < text.length() && Character.isDigit(text.charAt(end)) && text.charAt(end) < 0x80) {
            end++;
        }
        if (end == digitsStart) {
            return OptionalLong.empty();
        }
        long value = Long.parseLong(text.substring(start, end));
        pos = end;
        return OptionalLong.of(value);
    }
}
