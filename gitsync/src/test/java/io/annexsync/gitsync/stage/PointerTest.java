package io.annexsync.gitsync.stage;

import static org.assertj.core.api.Assertions.assertThat;

import io.annexsync.gitsync.key.Key;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PointerTest {
    private static final Key WORM = Key.of("WORM-s5-m1795444864--sub,32dir/a,38b:c%d,,e.txt");

    @Test
    void writesExactlyWhatGitAnnexWrites() {
        assertThat(new String(Pointer.pointerBlob(WORM), StandardCharsets.UTF_8))
                .isEqualTo("/annex/objects/WORM-s5-m1795444864--sub,32dir%a,38b&cc&sd,,e.txt\n");
    }

    @Test
    void readsPointersByGitAnnexRules() {
        assertThat(parse("/annex/objects/" + WORM.keyFile() + "\n")).contains(WORM);
        assertThat(parse("/annex/objects/" + WORM.keyFile())).contains(WORM);
        assertThat(parse("/annex/objects/" + WORM.keyFile() + "\r\n")).contains(WORM);
        assertThat(parse("/annex/objects/" + WORM.keyFile() + "\n/annex/other\n")).contains(WORM);
        assertThat(parse("/annex/objects/" + WORM.keyFile() + "\nplain text\n")).isEmpty();
        assertThat(parse("hello world\n")).isEmpty();
        assertThat(parse("/annex/objects/not a key\n")).isEmpty();
        assertThat(Pointer.parsePointer(new byte[Pointer.MAX_POINTER_SIZE + 1])).isEmpty();
    }

    @Test
    void tellsAPointerWithOtherContentAppendedAsGitAnnexDoes() {
        String pointer = "/annex/objects/" + WORM.keyFile() + "\n";
        assertThat(appended(pointer + "typed by a person\n")).contains(WORM);
        assertThat(appended(pointer + "no newline")).contains(WORM);
        assertThat(appended(pointer)).as("a pointer").isEmpty();
        assertThat(appended(pointer + "/annex/other\n")).as("a pointer with more annex lines").isEmpty();
        assertThat(appended("/annex/objects/" + WORM.keyFile())).as("a pointer with no newline").isEmpty();
        assertThat(appended("/annex/objects/not a key\nmore\n")).isEmpty();
        assertThat(appended("hello\n" + pointer)).isEmpty();
    }

    @Test
    void readsAnnexSymlinks() {
        assertThat(Pointer.parseLinkTarget("../../.git/annex/objects/85/0x/" + WORM.keyFile() + "/" + WORM.keyFile()))
                .contains(WORM);
        assertThat(Pointer.parseLinkTarget("../elsewhere/file")).isEmpty();
    }

    private static java.util.Optional<Key> appended(String text) {
        return Pointer.parseAppended(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * git-annex 10.20230126 takes a pointer's key from the last path component of its first line: {@code git annex
     * lookupkey} of a file holding {@code /annex/objects/ab/cd/KEY} says KEY, and a file holding {@code
     * /annex/objects/SHA256E-s5--../../../../tmp/evil} is no annexed file at all ({@code git annex find} leaves it
     * out).
     */
    @Test
    void takesTheKeyFromTheLastComponentAsGitAnnexDoes() {
        String key = "SHA256E-s5--abc";
        assertThat(parse("/annex/objects/ab/cd/" + key + "\n")).contains(Key.of(key));
        assertThat(parse("/annex/objects/SHA256E-s5--../../../../tmp/evil\n")).isEmpty();
        assertThat(parse("/annex/objects/SHA256E-s5--a%b\n")).contains(Key.of("SHA256E-s5--a/b"));
        assertThat(Key.of("SHA256E-s5--a/b").keyFile()).isEqualTo("SHA256E-s5--a%b");
    }

    @Test
    void saysWhyAPointerNamesNoKey() {
        assertThat(problem("/annex/objects/SHA256E-s5--../../../../tmp/evil\n")).hasValueSatisfying(p -> assertThat(p)
                .contains("'/annex/objects/SHA256E-s5--../../../../tmp/evil'")
                .contains("'evil' is not a git-annex key"));
        assertThat(problem("/annex/objects/SHA256-s5--" + "a".repeat(300) + "\n"))
                .hasValueSatisfying(p -> assertThat(p).contains("too long"));
        assertThat(problem("/annex/objects/SHA256E-s5--a\0b\n"))
                .hasValueSatisfying(p -> assertThat(p).contains("control character").contains("\\u0000"));
        assertThat(problem("/annex/objects/SHA256E-s5--abc\n")).isEmpty();
        assertThat(problem("hello world\n")).isEmpty();
        assertThat(Pointer.linkTargetProblem("../.git/annex/objects/xx/yy/../../../../etc/passwd"))
                .hasValueSatisfying(p -> assertThat(p).contains("'passwd' is not a git-annex key"));
        assertThat(Pointer.linkTargetProblem("../elsewhere/file")).isEmpty();
    }

    private static java.util.Optional<String> problem(String text) {
        return Pointer.pointerProblem(text.getBytes(StandardCharsets.UTF_8));
    }

    private static java.util.Optional<Key> parse(String text) {
        return Pointer.parsePointer(text.getBytes(StandardCharsets.UTF_8));
    }
}
