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
        OptionalLong size = field('s');
        OptionalLong mtime = field('m');
        OptionalLong chunkSize = field('S');
        OptionalLong chunkNumber = field('C');
        if (!text.startsWith("--", pos)) {
            return Optional.empty();
        }
        String name = text.substring(pos + 2);
        if (chunkSize.isPresent() != chunkNumber.isPresent()) {
            // git-annex 10.20230126 accepts a lone S or C field (no tool writes one); Key models them as a pair
            return Optional.empty();
        }
        if (!Key.validName(variety, name)) {
            return Optional.empty();
        }
        return Optional.of(new Key(variety, size, mtime, chunkSize, chunkNumber, name));
    }

    /** Reads {@code -<letter><decimal>} at the current position if it is there; git-annex refuses signs. */
    private OptionalLong field(char letter) {
        if (pos + 2 > text.length() || text.charAt(pos) != '-' || text.charAt(pos + 1) != letter) {
            return OptionalLong.empty();
        }
        int start = pos + 2;
        int end = start;
        while (end < text.length() && Character.isDigit(text.charAt(end)) && text.charAt(end) < 0x80) {
            end++;
        }
        if (end == start) {
            return OptionalLong.empty();
        }
        long value = Long.parseLong(text.substring(start, end));
        pos = end;
        return OptionalLong.of(value);
    }
}
