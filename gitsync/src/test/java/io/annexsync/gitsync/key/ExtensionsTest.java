package io.annexsync.gitsync.key;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExtensionsTest {
    /** Every row of FORMAT.md §2.2's table; '|' separates names that share a row. */
    @ParameterizedTest(name = "{0} -> [{1}]")
    @CsvSource(delimiter = ';', value = {
        "archive.tar.gz; .tar.gz",
        "y.tar.bz2.gz; .bz2.gz",
        "a.b.c.d.jpeg; .d.jpeg",
        "photo.JPEG; .JPEG",
        "file.jpeg2; ",
        "name.12345; ",
        "bb.toolong; ",
        "foo.verylongext.gz; .gz",
        "cc.gz.toolong; ",
        "x.tar.a-b.gz; .tar.gz",
        "x.a_b; ",
        "v.c++; ",
        "t.a b; ",
        "f.ü; .ü",
        "f.ünï; ",
        "ff.😀; .😀",
        ".foo.bar; .bar",
        ".hidden; ",
        "z.mp3.; .mp3",
        "dots..gz; .gz",
        "a.b.c.; .c",
        "q.r..s; .s",
        "noext; ",
        "trail.; ",
    })
    void keepsTheExtensionGitAnnexKeeps(String name, String extension) {
        assertThat(Extensions.of(name)).isEqualTo(extension == null ? "" : extension);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {"sub/dir.d/file.txt; .txt", "sub.tar/file; ''", "a/.b/.c.gz; .gz"})
    void ignoresDirectories(String path, String extension) {
        assertThat(Extensions.of(path)).isEqualTo(extension);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {"foo.verylongext.gz; 12; .verylongext.gz", "a.b.c.d; 1; .c.d"})
    void honoursAnotherMaximumLength(String name, int max, String extension) {
        assertThat(Extensions.of(name, max)).isEqualTo(extension);
    }
}
