package io.annexsync.gitsync.key;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Optional;

/**
 * The hashing key backends annex-sync can make and verify. The {@code E} varieties keep the file's extension in the
 * key name (see {@link Extensions}); the others do not. Keys of other varieties (WORM, URL, external backends) are
 * parsed and carried around but cannot be verified.
 */
public enum Backend {
    SHA256E("SHA-256", true),
    SHA256("SHA-256", false),
    SHA512E("SHA-512", true),
    SHA512("SHA-512", false),
    SHA384E("SHA-384", true),
    SHA384("SHA-384", false),
    SHA224E("SHA-224", true),
    SHA224("SHA-224", false),
    SHA3_256E("SHA3-256", true),
    SHA3_256("SHA3-256", false),
    SHA3_512E("SHA3-512", true),
    SHA3_512("SHA3-512", false),
    SHA1E("SHA-1", true),
    SHA1("SHA-1", false),
    MD5E("MD5", true),
    MD5("MD5", false);

    /** The backend git-annex uses when none is configured. */
    public static final Backend DEFAULT = SHA256E;

    private final String algorithm;
    private final boolean keepsExtension;

    Backend(String algorithm, boolean keepsExtension) {
        this.algorithm = algorithm;
        this.keepsExtension = keepsExtension;
    }

    /** The variety name as it appears in a serialised key, for example {@code SHA256E}. */
    public String variety() {
        return name();
    }

    /** Whether key names of this backend end with the file's extension. */
    public boolean keepsExtension() {
        return keepsExtension;
    }

    /** A fresh digest for this backend; the JDK ships every algorithm listed here. */
    public MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK lacks " + algorithm, e);
        }
    }

    /** The backend for a variety name, if it is one annex-sync can hash. */
    public static Optional<Backend> forVariety(String variety) {
        return Arrays.stream(values()).filter(b -> b.name().equals(variety)).findFirst();
    }
}
