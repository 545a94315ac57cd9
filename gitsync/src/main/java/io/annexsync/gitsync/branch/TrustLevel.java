package io.annexsync.gitsync.branch;

import java.util.Optional;

/** How far a repository's location log lines are trusted ({@code trust.log}, FORMAT.md §5.2, §10.2). */
public enum TrustLevel {
    /** {@code 1}: its copies count even without checking. */
    TRUSTED("1"),
    /** {@code ?}: the default for repositories not in trust.log. */
    SEMITRUSTED("?"),
    /** {@code 0}: its copies do not count toward numcopies. */
    UNTRUSTED("0"),
    /** {@code X}: gone for good; ignored when counting copies and listing repositories. */
    DEAD("X");

    private final String code;

    TrustLevel(String code) {
        this.code = code;
    }

    /** The value written in trust.log. */
    public String code() {
        return code;
    }

    /** The level a trust.log value stands for; empty for values this version does not know. */
    public static Optional<TrustLevel> ofCode(String code) {
        for (TrustLevel t : values()) {
            if (t.code.equals(code)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
