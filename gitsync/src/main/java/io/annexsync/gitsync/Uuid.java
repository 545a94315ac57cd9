package io.annexsync.gitsync;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A repository's identity, as git-annex writes it in {@code annex.uuid} and in the git-annex branch: lower-case hex
 * with dashes for the repositories we make. Other tools may use other text (git-annex accepts any UUID-like word), so
 * anything without spaces or {@code /} is accepted when read, except {@code .} and {@code ..}: a uuid names folders
 * ({@code .git/annex/transfer/upload/UUID/}), and a peer chooses its own.
 */
public record Uuid(String value) implements Comparable<Uuid> {
    private static final Pattern WORD = Pattern.compile("[^\\s/]+");

    /** The well-known UUID of the web special remote. */
    public static final Uuid WEB = new Uuid("00000000-0000-0000-0000-000000000001");

    /** The well-known UUID of the bittorrent special remote. */
    public static final Uuid BITTORRENT = new Uuid("00000000-0000-0000-0000-000000000002");

    public Uuid {
        Objects.requireNonNull(value, "value");
        if (!valid(value)) {
            throw new IllegalArgumentException("not a repository uuid: '" + value + "'");
        }
    }

    /** The uuid {@code text} spells, if it is one (what a log or a peer's config says may not be). */
    public static Optional<Uuid> parse(String text) {
        return text != null && valid(text) ? Optional.of(new Uuid(text)) : Optional.empty();
    }

    private static boolean valid(String value) {
        return WORD.matcher(value).matches() && !value.equals(".") && !value.equals("..");
    }

    /** A new random (version 4) UUID, as {@code git annex init} makes. */
    public static Uuid random() {
        return new Uuid(UUID.randomUUID().toString());
    }

    @Override
    public int compareTo(Uuid o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
