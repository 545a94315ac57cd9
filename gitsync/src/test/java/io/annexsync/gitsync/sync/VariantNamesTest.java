package io.annexsync.gitsync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.annexsync.gitsync.key.HashDirs;
import io.annexsync.gitsync.key.Key;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.Test;

class VariantNamesTest {
    private static final Key KEY = Key.of(
            "SHA256E-s16--094b3b99c40fb8e7a5d5bb6a1a67a4b9b8b1b1e7f6c2e0d5a0f1b3c4d5e6bcf3.txt");

    @Test
    void movesOnlyTheLastExtensionAfterTheTag() {
        assertEquals("arch.tar.variant-T.gz", VariantNames.withTag("arch.tar.gz", "T"));
        assertEquals("d.x/README.variant-T", VariantNames.withTag("d.x/README", "T"));
        assertEquals("dir/.variant-T.bashrc", VariantNames.withTag("dir/.bashrc", "T"));
    }

    @Test
    void annexedTagIsTheStartOfTheKeysMd5() {
        String md5 = HashDirs.md5Hex(KEY.serialize());
        assertEquals("sub/one.variant-" + md5.substring(0, 4) + ".txt", VariantNames.annexed("sub/one.txt", KEY));
    }

    @Test
    void aVariantOfAVariantUsesTheWholeKeyFile() {
        assertEquals("one.variant-1234.variant-" + KEY.keyFile() + ".txt",
                VariantNames.annexed("one.variant-1234.txt", KEY));
    }

    @Test
    void gitVariantsAreTaggedByTheirBlob() {
        ObjectId blob = ObjectId.fromString("e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
        String md5 = HashDirs.md5Hex(blob.name());
        assertEquals("small.variant-git-" + md5.substring(0, 4) + ".txt", VariantNames.git("small.txt", blob));
    }
}
