package io.annexsync.transfer.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annexsync.gitsync.Uuid;
import io.annexsync.gitsync.key.Key;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class InfoFormatTest {
    private static final Uuid REMOTE = new Uuid("f0c1271e-5d4b-4a8b-9d0e-2f6a7b9c1d3e");
    private static final Key KEY = Key.of("SHA256E-s3--abc.bin");

    private static Optional<TransferInfo> parse(String text) {
        return InfoFormat.parse(Direction.DOWNLOAD, REMOTE, KEY, text);
    }

    private static TransferInfo info(Instant started, OptionalLong bytes, Optional<String> file) {
        return new TransferInfo(Direction.DOWNLOAD, REMOTE, KEY, file, started, bytes);
    }

    @Test
    void readsWhatGitAnnexWrites() {
        Instant t = Instant.ofEpochSecond(1795444757L, 741477447);
        assertThat(parse("1795444757.741477447s 524032\nmid3.bin\n"))
                .contains(info(t, OptionalLong.of(524032), Optional.of("mid3.bin")));
        assertThat(parse("1795444734.668394421s\nhuge.bin\n")).contains(info(Instant.ofEpochSecond(1795444734L,
                668394421), OptionalLong.empty(), Optional.of("huge.bin")));
        assertThat(parse("1795444680s\n\n")).contains(info(Instant.ofEpochSecond(1795444680L), OptionalLong.empty(),
                Optional.empty()));
    }

    @Test
    void toleratesOlderAndOtherWriters() {
        assertThat(parse("1795444680.5")).contains(info(Instant.ofEpochSecond(1795444680L, 500000000),
                OptionalLong.empty(), Optional.empty()));
        assertThat(parse("1795444680.123456789012s 3\nwith space.bin\n")).contains(info(
                Instant.ofEpochSecond(1795444680L, 123456789), OptionalLong.of(3), Optional.of("with space.bin")));
    }

    /** git-annex 10 on Unix: the file is all that follows the first line, but one final newline. */
    @Test
    void aFileNameWithNewlinesIsTheRestOfTheFile() {
        Instant t = Instant.ofEpochSecond(1795444680L);
        TransferInfo i = info(t, OptionalLong.empty(), Optional.of("dir/a\nb"));
        assertThat(InfoFormat.format(i)).isEqualTo("1795444680s\ndir/a\nb\n");
        assertThat(parse(InfoFormat.format(i))).contains(i);
        assertThat(parse("1795444680s\na\nb")).contains(info(t, OptionalLong.empty(), Optional.of("a\nb")));
    }

    @Test
    void rejectsWhatIsNotAnInfoFile() {
        assertThat(parse("")).isEmpty();
        assertThat(parse("yesterday\nx\n")).isEmpty();
        assertThat(parse("1795444680s -4\nx\n")).isEmpty();
        assertThat(parse("1795444680s 4 5\nx\n")).isEmpty();
    }

    @Test
    void roundTrips() {
        TransferInfo i = info(Instant.ofEpochSecond(1795444757L, 154513695), OptionalLong.of(425776),
                Optional.of("dir/mid3.bin"));
        assertThat(InfoFormat.format(i)).isEqualTo("1795444757.154513695s 425776\ndir/mid3.bin\n");
        assertThat(parse(InfoFormat.format(i))).contains(i);
    }

    @Test
    void recordsAreValidated() {
        Instant t = Instant.ofEpochSecond(1);
        assertThatThrownBy(() -> info(t, OptionalLong.empty(), Optional.of("a\0b")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> info(t, OptionalLong.empty(), Optional.of("/abs")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> info(t, OptionalLong.empty(), Optional.of("")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> info(t, OptionalLong.of(-1), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> info(Instant.ofEpochSecond(-5), OptionalLong.empty(), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(Direction.ofDirName("upload")).contains(Direction.UPLOAD);
        assertThat(Direction.ofDirName("failed")).isEmpty();
    }
}
