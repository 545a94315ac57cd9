package io.annexsync.netmap.render;

import java.util.Collection;
import java.util.Map;
import java.util.Objects;

/**
 * Writes the values {@link MapJson} makes as compact JSON: maps with string keys (in their iteration order),
 * collections, strings, numbers and booleans. Enough for {@code annex-sync map --json} without a JSON library in
 * netmap. Stateless and thread-safe.
 */
public final class JsonWriter {

    private JsonWriter() {
    }

    /**
     * Writes a value as JSON.
     *
     * @param value a map, collection, string, number or boolean, nested as deep as wanted
     * @return the JSON text, on one line
     * @throws IllegalArgumentException if a value or key is of another type
     */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        append(out, Objects.requireNonNull(value, "value"));
        return out.toString();
    }

    private static void append(StringBuilder out, Object value) {
        switch (value) {
            case Map<?, ?> map -> appendMap(out, map);
            case Collection<?> list -> appendList(out, list);
            case String text -> appendString(out, text);
            case Number number -> out.append(number);
            case Boolean bool -> out.append(bool);
            default -> throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
        }
    }

    private static void appendMap(StringBuilder out, Map<?, ?> map) {
        out.append('{');
        String sep = "";
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new IllegalArgumentException("a JSON key must be a string: " + e.getKey());
            }
            out.append(sep);
            appendString(out, key);
            out.append(':');
            append(out, Objects.requireNonNull(e.getValue(), key));
            sep = ",";
        }
        out.append('}');
    }

    private static void appendList(StringBuilder out, Collection<?> list) {
        out.append('[');
        String sep = "";
        for (Object item : list) {
            out.append(sep);
            append(out, Objects.requireNonNull(item, "item"));
            sep = ",";
        }
        out.append(']');
    }

    private static void appendString(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        out.append('"');
    }
}
