package io.annexsync.gitsync.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyTest {
    private static final String HELLO_SHA256 = "a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447";
    private static final byte[] HELLO = "hello world\n".getBytes(StandardCharsets.UTF_8);

    @ParameterizedTest
    @ValueSource(strings = {
        "SHA256E-s12--" + HELLO_SHA256 + ".txt",
        "SHA256-s12--" + HELLO_SHA256,
        "SHA1E-s12--22596363b3de40b06f981fb85d82312e8c0ed511.txt",
        "WORM-s12-m1795444496--hello.txt",
        "WORM-s5-m1795444864--sub,32dir/a,38b:c%d,,e.txt",
        "SHA256E-s0--e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855.dat",
        "SHA256E-s100000-S50000-C1--8e04.bin",
        "SHA256E-s100000-S50000-C2--8e04.bin",
        "URL--http&c%%example.com%a",
        "SHA256E--noSize",
        "XFOO-s1--bar",
        "SHA256E-s12--a-b",
        "SHA256E-s12---x",
        "SHA256E-s12--",
    })
    void roundTrips(String text) {
        Key key = Key.of(text);
        assertThat(key.serialize()).isEqualTo(text);
        assertThat(Key.fromKeyFile(key.keyFile())).contains(key);
    }

    @Test
    void parsesFields() {
        Key key = Key.of("SHA256E-s100000-S50000-C2--8e04.bin");
        assertThat(key.variety()).isEqualTo("SHA256E");
        assertThat(key.size()).isEqualTo(OptionalLong.of(100000));
        assertThat(key.mtime()).isEmpty();
        assertThat(key.chunkSize()).isEqualTo(OptionalLong.of(50000));
        assertThat(key.chunkNumber()).isEqualTo(OptionalLong.of(2));
        assertThat(key.name()).isEqualTo("8e04.bin");
        assertThat(key.withoutChunk().serialize()).isEqualTo("SHA256E-s100000--8e04.bin");
        assertThat(key.backend()).contains(Backend.SHA256E);
    }

    @Test
    void wormKeyFileEscapesAsGitAnnexDoes() {
        Key key = Key.of("WORM-s5-m1795444864--sub,32dir/a,38b:c%d,,e.txt");
        assertThat(key.mtime()).isEqualTo(OptionalLong.of(1795444864));
        assertThat(key.keyFile()).isEqualTo("WORM-s5-m1795444864--sub,32dir%a,38b&cc&sd,,e.txt");
        assertThat(key.backend()).isEmpty();
    }

    @Test
    void keyFileEscapingIsReversible() {
        assertThat(KeyFile.escape("a&b%c:d/e")).isEqualTo("a&ab&sc&cd%e");
        assertThat(KeyFile.unescape("a&ab&sc&cd%e")).isEqualTo("a&b%c:d/e");
    }

    /** The calckey examples of FORMAT.md §2.1. */
    @Test
    void digestKeysMatchCalckey() {
        assertThat(Key.ofDigest(Backend.SHA256E, 12, digest(Backend.SHA256E), "hello.txt").serialize())
                .isEqualTo("SHA256E-s12--" + HELLO_SHA256 + ".txt");
        assertThat(Key.ofDigest(Backend.SHA256, 12, digest(Backend.SHA256), "hello.txt").serialize())
                .isEqualTo("SHA256-s12--" + HELLO_SHA256);
        assertThat(Key.ofDigest(Backend.SHA1E, 12, digest(Backend.SHA1E), "hello.txt").serialize())
                .isEqualTo("SHA1E-s12--22596363b3de40b06f981fb85d82312e8c0ed511.txt");
        assertThat(Key.ofDigest(Backend.SHA512E, 12, digest(Backend.SHA512E), "hello.txt").serialize())
                .startsWith("SHA512E-s12--db3974a9").endsWith("d2434a593.txt");
        assertThat(Key.ofDigest(Backend.SHA256E, 0, Backend.SHA256E.newDigest().digest(), "empty.dat").serialize())
                .isEqualTo("SHA256E-s0--e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855.dat");
    }

    /** Checked against {@code git annex examinekey} 10.20230126. */
    @ParameterizedTest
    @ValueSource(strings = {
        "", "SHA256E", "SHA256E-s12", "-s12--abc", "SHA256E-sx--abc", "SHA256E-s12-x--abc", "SHA256E-m5-s12--abc",
        "WORM-s5-m-12--x", "SHA256E-s-1--abc", "SHA256E-s1e2--x", "SHA256E-s99999999999999999999--x",
        "SHA256E-s12--abc.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    })
    void rejectsWhatGitAnnexRejects(String text) {
        assertThat(Key.parse(text)).isEmpty();
        assertThatThrownBy(() -> Key.of(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void extensionLimitAppliesOnlyToEVarieties() {
        String name = "abc." + "a".repeat(65);
        assertThat(Key.parse("SHA256-s12--" + name)).isPresent();
        assertThat(Key.parse("SHA256E-s12--abc." + "a".repeat(64))).isPresent();
    }

    /** git-annex accepts a lone chunk field; annex-sync refuses it because no tool writes one. */
    @Test
    void refusesLoneChunkFields() {
        assertThat(Key.parse("SHA256E-s12-S5--abc")).isEmpty();
        assertThat(Key.parse("SHA256E-s12-C1--abc")).isEmpty();
    }

    @Test
    void rejectsControlCharactersInNames() {
        assertThat(Key.parse("SHA256E-s1--a\nb")).isEqualTo(Optional.empty());
    }

    /**
     * Every key can name files: its file name fits the longest name made from it (a journal file {@code
     * xxx_yyy_KEYFILE.log.rmet} in 255 bytes, {@code _} doubled there). git-annex 10.20230126 read a pointer naming
     * such a key and then failed on the file system ({@code git annex fsck}: "git-annex: .git/annex/othertmp/...").
     */
    @Test
    void refusesKeysTooLongToNameAFile() {
        String fits = "SHA256-s5--" + "a".repeat(Key.MAX_KEY_FILE_BYTES - "SHA256-s5--".length());
        assertThat(Key.parse(fits)).isPresent();
        assertThat(Key.parse(fits + "a")).isEmpty();
        assertThat(Key.parse("WORM-s5-m1--" + "_".repeat(120))).isEmpty(); // 132 bytes; 252 with '_' doubled
        assertThat(Key.keyFileProblem(fits + "a")).hasValueSatisfying(p -> assertThat(p).contains("too long"));
        assertThatThrownBy(() -> new Key("SHA256", OptionalLong.of(5), OptionalLong.empty(), OptionalLong.empty(),
                OptionalLong.empty(), "a".repeat(300))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("too long");
    }

    /**
     * A {@code /} in a key's name is git-annex's too (WORM keys of files in folders, URL keys: {@code git annex
     * lookupkey} of a WORM file in {@code sub/} says {@code WORM-s3-m1796641310--sub/f}); the key's file name escapes
     * it, so text in keyFile form that holds a {@code /} is a path, never a key.
     */
    @Test
    void aSlashIsEscapedInKeyFilesAndRefusedInTextThatShouldBeOne() {
        Key worm = Key.of("WORM-s3-m1796641310--sub/f");
        assertThat(worm.keyFile()).isEqualTo("WORM-s3-m1796641310--sub%f").doesNotContain("/");
        assertThat(Key.fromKeyFile("WORM-s3-m1796641310--sub%f")).contains(worm);
        assertThat(Key.fromKeyFile("SHA256E-s5--../../../etc/passwd")).isEmpty();
        assertThat(Key.keyFileProblem("SHA256E-s5--../../../etc/passwd"))
                .hasValueSatisfying(p -> assertThat(p).contains("it is a path, not a key"));
        assertThat(Key.fromKeyFile("SHA256E-s5--a\0b")).isEmpty();
        assertThat(Key.fromKeyFile("")).isEmpty();
    }

    private static byte[] digest(Backend backend) {
        return backend.newDigest().digest(HELLO);
    }

    @Test
    void digestIsLowerCaseHex() {
        Key key = Key.ofDigest(Backend.SHA256, 1, HexFormat.of().parseHex("ABCDEF"), "x");
        assertThat(key.name()).isEqualTo("abcdef");
    }
}
