package io.annexsync.gitsync.key;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * git-annex's two hash directory layouts (FORMAT.md §3.2), both computed from md5 of the serialised key with its chunk
 * fields removed and without keyFile escaping. {@code hashdirmixed} places objects in a non-bare repository;
 * {@code hashdirlower} places log files in the git-annex branch and objects in bare repositories.
 */
public final class HashDirs {
    private static final String ALPHABET = "0123456789zqjxkmvwgpfZQJXKMVWGPF";

    private HashDirs() {}

    /** Two levels like {@code J7/0G/}, with the trailing slash. */
    public static String mixed(Key key) {
        return mixed(md5(key.withoutChunk().serialize()));
    }

    /** {@link #mixed(Key)} from the md5 digest of the key; only its first four bytes are used. */
    static String mixed(byte[] d) {
        long w = (d[0] & 0xffL) | (d[1] & 0xffL) << 8 | (d[2] & 0xffL) << 16 | (d[3] & 0xffL) << 24;
        char[] c = new char[4];
        for (int i = 0; i < 4; i++) {
            c[i] = ALPHABET.charAt((int) ((w >> (6 * i)) & 31));
        }
        return "" + c[1] + c[0] + '/' + c[3] + c[2] + '/';
    }

    /** Two levels like {@code e7d/d01/}, with the trailing slash. */
    public static String lower(Key key) {
        String h = md5Hex(key.withoutChunk().serialize());
        return h.substring(0, 3) + '/' + h.substring(3, 6) + '/';
    }

    /** Lower-case hex md5 of a string's UTF-8 bytes; also used for variant tags. */
    public static String md5Hex(String s) {
        return HexFormat.of().formatHex(md5(s));
    }

    private static byte[] md5(String s) {
        try {
            return MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK lacks MD5", e);
        }
    }
}
