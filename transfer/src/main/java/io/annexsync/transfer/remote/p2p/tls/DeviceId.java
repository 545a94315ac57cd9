package io.annexsync.transfer.remote.p2p.tls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * A device's id: the SHA-256 of its certificate's DER encoding, written for people as Syncthing writes its device ids.
 * The 32 bytes in base32 (RFC 4648 alphabet, no padding) are 52 characters; each quarter of 13 gets a Luhn mod 32
 * check character, and the 56 characters are shown in 8 groups of 7 joined by dashes:
 *
 * <pre>{@code
 * ABCDEF2-GHIJKLM-...  (8 groups of 7 characters: A-Z and 2-7)
 * }</pre>
 *
 * <p>{@link #parse} accepts any case, spaces and dashes anywhere, and the look-alikes {@code 0}, {@code 1}, {@code 8}
 * for {@code O}, {@code I}, {@code B}; a mistyped character is caught by its quarter's check character. Immutable.
 */
public final class DeviceId {
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final int BYTES = 32;
    private static final int QUARTER = 13;
    private static final int CHECKED_LENGTH = 4 * (QUARTER + 1);

    private final byte[] sha256;

    private DeviceId(byte[] sha256) {
        this.sha256 = sha256.clone();
    }

    /** The id whose SHA-256 is {@code sha256} (32 bytes). */
    public static DeviceId of(byte[] sha256) {
        Objects.requireNonNull(sha256, "sha256");
        if (sha256.length != BYTES) {
            throw new IllegalArgumentException("a device id is 32 bytes, not " + sha256.length);
        }
        return new DeviceId(sha256);
    }

    /** The id of the certificate whose DER encoding is {@code der}. */
    public static DeviceId ofCertificate(byte[] der) {
        try {
            return new DeviceId(MessageDigest.getInstance("SHA-256").digest(der));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
    }

    /**
     * The id a person wrote as {@code text}.
     *
     * @throws IllegalArgumentException saying what is wrong: the length, a character outside base32, or which group
     *     does not match its check character (a typing mistake)
     */
    public static DeviceId parse(String text) {
        Objects.requireNonNull(text, "text");
        StringBuilder s = new StringBuilder();
        for (char c : text.toUpperCase(Locale.ROOT).toCharArray()) {
            switch (c) {
                case ' ', '-', '\t' -> { }
                case '0' -> s.append('O');
                case '1' -> s.append('I');
                case '8' -> s.append('B');
                default -> {
                    if (ALPHABET.indexOf(c) < 0) {
                        throw new IllegalArgumentException("not a device id: '" + text + "' has '" + c
                                + "' (a device id has letters A-Z and digits 2-7)");
                    }
                    s.append(c);
                }
            }
        }
        if (s.length() != CHECKED_LENGTH) {
            throw new IllegalArgumentException("not a device id: '" + text + "' has " + s.length()
                    + " letters and digits, a device id has " + CHECKED_LENGTH + " (run 'annex-sync peer id' there)");
        }
        StringBuilder plain = new StringBuilder();
        for (int q = 0; q < 4; q++) {
            String part = s.substring(q * (QUARTER + 1), q * (QUARTER + 1) + QUARTER);
            char check = s.charAt(q * (QUARTER + 1) + QUARTER);
            if (luhn(part) != check) {
                throw new IllegalArgumentException("not a device id: '" + text + "' does not match its check "
                        + "characters (a typing mistake in groups " + (2 * q + 1) + "-" + (2 * q + 2) + "?)");
            }
            plain.append(part);
        }
        return new DeviceId(decode(plain.toString()));
    }

    /** The SHA-256 of the certificate (a copy). */
    public byte[] sha256() {
        return sha256.clone();
    }

    /** Whether {@code der} is the DER encoding of the certificate this id names. */
    public boolean matchesCertificate(byte[] der) {
        return MessageDigest.isEqual(sha256, ofCertificate(der).sha256);
    }

    /** The fingerprint in lower-case hex (as {@code openssl x509 -fingerprint -sha256} shows it, without colons). */
    public String hex() {
        return HexFormat.of().formatHex(sha256);
    }

    /** The first group, for log lines. */
    public String shortForm() {
        return toString().substring(0, 7);
    }

    /** The id for people: 8 groups of 7 characters joined by dashes. */
    @Override
    public String toString() {
        String plain = encode(sha256);
        StringBuilder checked = new StringBuilder();
        for (int q = 0; q < 4; q++) {
            String part = plain.substring(q * QUARTER, (q + 1) * QUARTER);
            checked.append(part).append(luhn(part));
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < checked.length(); i += 7) {
            if (i > 0) {
                out.append('-');
            }
            out.append(checked, i, i + 7);
        }
        return out.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeviceId other && Arrays.equals(sha256, other.sha256);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(sha256);
    }

    /** Luhn mod 32 over the base32 alphabet, as Syncthing computes it. */
    static char luhn(String s) {
        int n = ALPHABET.length();
        int factor = 1;
        int sum = 0;
        for (int i = 0; i < s.length(); i++) {
            int codepoint = ALPHABET.indexOf(s.charAt(i));
            int addend = factor * codepoint;
            factor = factor == 2 ? 1 : 2;
            sum += addend / n + addend % n;
        }
        return ALPHABET.charAt((n - sum % n) % n);
    }

    private static String encode(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(ALPHABET.charAt((buffer >> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(ALPHABET.charAt((buffer << (5 - bits)) & 31));
        }
        return out.toString();
    }

    private static byte[] decode(String s) {
        byte[] out = new byte[BYTES];
        int buffer = 0;
        int bits = 0;
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            buffer = (buffer << 5) | ALPHABET.indexOf(s.charAt(i));
            bits += 5;
            if (bits >= 8) {
                out[n++] = (byte) (buffer >> (bits - 8));
                bits -= 8;
            }
        }
        if ((buffer & ((1 << bits) - 1)) != 0) {
            throw new IllegalArgumentException("not a device id: its last character has bits set past the 32 bytes");
        }
        return out;
    }
}
