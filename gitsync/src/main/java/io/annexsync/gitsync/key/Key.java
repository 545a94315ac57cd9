package io.annexsync.gitsync.key;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A git-annex key such as {@code SHA256E-s12--a948...a447.txt}: a variety, optional size, mtime and chunk fields, and
 * a name (FORMAT.md §2.1). {@link #parse} is as strict as git-annex's parser and {@link #serialize} gives back the
 * exact text, so every key round-trips.
 *
 * <p>Every key, however it is made, is one that can name files: keys are read from untrusted text (pointer files,
 * symlink targets, the git-annex branch, transfer records, later the network) and become file names in the object
 * store, the journal and the transfer records. So the name holds no NUL, CR or LF, and the key's file name
 * ({@link #keyFile}) fits in the longest file name made from it ({@link #MAX_KEY_FILE_BYTES}). A {@code /} in the
 * name is allowed, as git-annex allows it (WORM keys of files in folders, URL keys): {@link #keyFile} escapes it,
 * so a key is always one path component; text in keyFile form that holds a {@code /} is a path, not a key
 * ({@link #fromKeyFile}).
 *
 * @param variety the backend name, for example {@code SHA256E}, {@code WORM} or {@code URL}; never contains '-'
 * @param size the content size in bytes, when the key records it
 * @param mtime the modification time in epoch seconds (WORM keys)
 * @param chunkSize the chunk size of a chunk key (special remotes)
 * @param chunkNumber the 1-based chunk number of a chunk key
 * @param name the part after {@code --}: a hash (with extension for E varieties), or a path or URL
 */
public record Key(
        String variety,
        OptionalLong size,
        OptionalLong mtime,
        OptionalLong chunkSize,
        OptionalLong chunkNumber,
        String name) {

    /** git-annex rejects E-variety keys whose extension (from the name's first dot) is longer than this. */
    private static final int MAX_KEY_EXTENSION = 64;

    /**
     * The most bytes a key's file name may have, each {@code _} counted twice: the longest file name made from it is
     * a journal file such as {@code xxx_yyy_KEYFILE.log.rmet} (FORMAT.md §5.4; {@code _} is doubled there), and a
     * file name has at most 255 bytes. Keys git-annex makes are far shorter (SHA512E with a size: about 170 bytes;
     * WORM and URL names are cut at 64 bytes).
     */
    public static final int MAX_KEY_FILE_BYTES = 255 - "xxx_yyy_".length() - ".log.rmet".length();

    public Key {
        Objects.requireNonNull(variety, "variety");
        Objects.requireNonNull(size, "size");
        Objects.requireNonNull(mtime, "mtime");
        Objects.requireNonNull(chunkSize, "chunkSize");
        Objects.requireNonNull(chunkNumber, "chunkNumber");
        Objects.requireNonNull(name, "name");
        if (variety.isEmpty() || variety.indexOf('-') >= 0) {
            throw new IllegalArgumentException("bad key variety: " + variety);
        }
        if (chunkSize.isPresent() != chunkNumber.isPresent()) {
            throw new IllegalArgumentException("chunk size and chunk number come together");
        }
        if (name.indexOf('\n') >= 0 || name.indexOf('\r') >= 0 || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("key name holds a control character");
        }
        int length = fileNameLength(KeyFile.escape(serialize(variety, size, mtime, chunkSize, chunkNumber, name)));
        if (length > MAX_KEY_FILE_BYTES) {
            throw new IllegalArgumentException("key is too long: its file name has " + length + " bytes (with each"
                    + " '_' counted twice), at most " + MAX_KEY_FILE_BYTES);
        }
    }

    /** The length that {@link #MAX_KEY_FILE_BYTES} bounds: UTF-8 bytes, each {@code _} counted twice. */
    private static int fileNameLength(String keyFile) {
        return keyFile.getBytes(StandardCharsets.UTF_8).length + (int) keyFile.chars().filter(c -> c == '_').count();
    }

    /** The key a hashing backend gives to content of this size and digest, for a file with this name. */
    public static Key ofDigest(Backend backend, long size, byte[] digest, String fileName) {
        String hex = HexFormat.of().formatHex(digest);
        String name = backend.keepsExtension() ? hex + Extensions.of(fileName) : hex;
        return new Key(
                backend.variety(),
                OptionalLong.of(size),
                OptionalLong.empty(),
                OptionalLong.empty(),
                OptionalLong.empty(),
                name);
    }

    /** Parses a serialised key; empty when git-annex would not accept it as a key either. */
    public static Optional<Key> parse(String text) {
        return KeyParser.parse(text);
    }

    /** Parses a serialised key, or throws {@link IllegalArgumentException} naming the text. */
    public static Key of(String text) {
        return parse(text).orElseThrow(() -> new IllegalArgumentException("not a git-annex key: " + text));
    }

    /** The key as git-annex writes it. */
    public String serialize() {
        return serialize(variety, size, mtime, chunkSize, chunkNumber, name);
    }

    private static String serialize(String variety, OptionalLong size, OptionalLong mtime, OptionalLong chunkSize,
            OptionalLong chunkNumber, String name) {
        StringBuilder sb = new StringBuilder(variety);
        size.ifPresent(s -> sb.append("-s").append(s));
        mtime.ifPresent(m -> sb.append("-m").append(m));
        if (chunkSize.isPresent()) {
            sb.append("-S").append(chunkSize.getAsLong()).append("-C").append(chunkNumber.getAsLong());
        }
        return sb.append("--").append(name).toString();
    }

    /** The hashing backend of this key, if annex-sync can verify it. */
    public Optional<Backend> backend() {
        return Backend.forVariety(variety);
    }

    /** This key without chunk fields: the key of the whole content. */
    public Key withoutChunk() {
        return chunkSize.isEmpty()
                ? this
                : new Key(variety, size, mtime, OptionalLong.empty(), OptionalLong.empty(), name);
    }

    /** The file name git-annex uses for this key in object paths, pointers, logs and transfer records. */
    public String keyFile() {
        return KeyFile.escape(serialize());
    }

    /**
     * The key whose keyFile is {@code fileName} (the last component of a pointer's or symlink's path, a file name in
     * the store or the transfer records); empty when it is not one ({@link #keyFileProblem}).
     */
    public static Optional<Key> fromKeyFile(String fileName) {
        return keyFileProblem(fileName).isEmpty() ? parse(KeyFile.unescape(fileName)) : Optional.empty();
    }

    /**
     * Why {@code fileName} is not the file name of a key, for a message that names where it was read; empty when it
     * is one. A {@code /} makes it a path: {@link #keyFile} never leaves one in a key's file name.
     */
    public static Optional<String> keyFileProblem(String fileName) {
        if (fileName == null || fileName.isEmpty()) {
            return Optional.of("it is empty");
        }
        if (fileName.indexOf('/') >= 0) {
            return Optional.of("'" + fileName + "' holds a '/': it is a path, not a key");
        }
        if (fileName.chars().anyMatch(c -> c == '\0' || c == '\n' || c == '\r')) {
            return Optional.of("it holds a control character (NUL, CR or LF)");
        }
        int length = fileNameLength(fileName);
        if (length > MAX_KEY_FILE_BYTES) {
            return Optional.of("it is too long for a key (" + length + " bytes, with each '_' counted twice; at most "
                    + MAX_KEY_FILE_BYTES + ")");
        }
        if (parse(KeyFile.unescape(fileName)).isEmpty()) {
            return Optional.of("'" + fileName + "' is not a git-annex key (VARIETY-sSIZE--NAME)");
        }
        return Optional.empty();
    }

    /** Whether git-annex would accept this name for this variety. */
    static boolean validName(String variety, String name) {
        boolean keepsExtension = Backend.forVariety(variety).map(Backend::keepsExtension).orElse(false);
        if (!keepsExtension) {
            return true;
        }
        int dot = name.indexOf('.');
        return dot < 0 || name.substring(dot + 1).getBytes(StandardCharsets.UTF_8).length <= MAX_KEY_EXTENSION;
    }

    @Override
    public String toString() {
        return serialize();
    }
}
