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

    private static java.util.Optional<Key> parse(String text) {
        return Pointer.parsePointer(text.getBytes(StandardCharsets.UTF_8));
    }
}
