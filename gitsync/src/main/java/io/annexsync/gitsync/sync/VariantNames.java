package io.annexsync.gitsync.sync;

import io.annexsync.gitsync.key.HashDirs;
import io.annexsync.gitsync.key.Key;
import org.eclipse.jgit.lib.ObjectId;

/**
 * The names conflicting versions are kept under, as git-annex's {@code Annex.VariantFile} makes them (FORMAT.md §6.3,
 * Appendix C): {@code dir/<name minus last extension>.variant-<tag><last extension>}. Stateless.
 */
final class VariantNames {
    static final String MARKER = ".variant-";
    private static final int SHORT = 4;

    private VariantNames() {}

    /**
     * The variant name of an annexed version: the tag is the first 4 hex digits of md5(serialised key), or the whole
     * keyFile when the path already contains {@code .variant-} (a conflict between variants).
     */
    static String annexed(String path, Key key) {
        String tag = path.contains(MARKER) ? key.keyFile() : HashDirs.md5Hex(key.serialize()).substring(0, SHORT);
        return withTag(path, tag);
    }

    /**
     * The variant name of a version stored in git (annex-sync's own rule; git-annex leaves conflict markers instead):
     * tag {@code git-} + the first 4 hex digits of md5(blob id in hex), or {@code git-} + the whole blob id when the
     * path already contains {@code .variant-}.
     */
    static String git(String path, ObjectId blob) {
        String tag = path.contains(MARKER) ? blob.name() : HashDirs.md5Hex(blob.name()).substring(0, SHORT);
        return withTag(path, "git-" + tag);
    }

    /**
     * Puts {@code .variant-<tag>} before the last extension of the file name, as Haskell's {@code splitExtension}
     * splits it: {@code arch.tar.gz} → {@code arch.tar.variant-T.gz}, {@code README} → {@code README.variant-T},
     * {@code .bashrc} → {@code .variant-T.bashrc}.
     */
    static String withTag(String path, String tag) {
        int slash = path.lastIndexOf('/');
        int dot = path.lastIndexOf('.');
        if (dot <= slash) {
            return path + MARKER + tag;
        }
        return path.substring(0, dot) + MARKER + tag + path.substring(dot);
    }
}
