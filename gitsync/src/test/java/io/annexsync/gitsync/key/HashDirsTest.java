package io.annexsync.gitsync.key;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HashDirsTest {
    private static final Key HELLO =
            Key.of("SHA256E-s12--a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447.txt");

    /** FORMAT.md §3.2's worked examples, from the md5 prefix the table gives (the keys are abridged there). */
    @ParameterizedTest(name = "md5 {0} -> {1}")
    @CsvSource({"e7dd018f, J7/0G/", "f21b3459, mg/x1/", "8c8cf311, gj/WX/"})
    void mixedFollowsTheWorkedExamples(String md5Prefix, String mixed) {
        assertThat(HashDirs.mixed(HexFormat.of().parseHex(md5Prefix))).isEqualTo(mixed);
    }

    @Test
    void helloTxtMatchesTheLabRepository() {
        assertThat(HashDirs.md5Hex(HELLO.serialize())).startsWith("e7dd018fae2c");
        assertThat(HashDirs.mixed(HELLO)).isEqualTo("J7/0G/");
        assertThat(HashDirs.lower(HELLO)).isEqualTo("e7d/d01/");
    }

    @Test
    void hashesTheUnescapedKey() {
        Key worm = Key.of("WORM-s5-m1795444864--sub,32dir/a,38b:c%d,,e.txt");
        assertThat(HashDirs.mixed(worm)).isEqualTo("85/0x/");
        assertThat(HashDirs.lower(worm)).isEqualTo("05d/282/");
    }

    @Test
    void chunkKeysHashLikeTheirWholeKey() {
        Key chunk = Key.of("SHA256E-s100000-S50000-C2--8e04a5dd.bin");
        Key whole = Key.of("SHA256E-s100000--8e04a5dd.bin");
        assertThat(HashDirs.mixed(chunk)).isEqualTo(HashDirs.mixed(whole));
        assertThat(HashDirs.lower(chunk)).isEqualTo(HashDirs.lower(whole));
    }
}
