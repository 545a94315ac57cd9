package io.annexsync.app.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which names {@link IgnoredNames} keeps from the watcher's reports: each rule of its table, and its near misses. */
class IgnoredNamesTest {
    @Test
    void ignoresTheGitFolder() {
        assertThat(IgnoredNames.ignored(".git")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {".notes.txt.swp", "notes.txt.swx", ".notes.txt.swo", "4913", "notes.txt~"})
    void ignoresVimSwapBackupAndWriteTestFiles(String name) {
        assertThat(IgnoredNames.ignored(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {".#notes.txt", "#notes.txt#", "##"})
    void ignoresEmacsLockLinksAndAutoSaves(String name) {
        assertThat(IgnoredNames.ignored(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"notes.txt.kate-swp", ".goutputstream-X1Y2Z3", ".~lock.report.odt#"})
    void ignoresKateGioAndLibreOfficeFiles(String name) {
        assertThat(IgnoredNames.ignored(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {".notes.txt.a1B2c3", ".photo.jpg.XXXXXX", ".bashrc.backup"})
    void ignoresRsyncTemporaryFilesAndDotfilesThatLookLikeThem(String name) {
        assertThat(IgnoredNames.ignored(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {".annex-sync-1234.tmp", ".annex-sync-.tmp"})
    void ignoresOwnCheckoutTemporaryFiles(String name) {
        assertThat(IgnoredNames.ignored(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "notes.txt", ".bashrc", ".gitignore", ".gitattributes", ".github", "git",
        "report.part", "video.mp4.crdownload",
        "a~b", "notes.swp.txt", "4913.txt", "14913",
        "#", "#notes.txt", "notes.txt#", "a.#b",
        "kate-swp", ".goutputstream", ".~lock.report.odt", "lock.report.odt#",
        ".notes.txt.a1B2c", ".notes.txt.a1B2c3d", "notes.txt.a1B2c3", ".notes.txt.a1-2c3", ".a1B2c3",
        ".annex-sync-1234", "annex-sync-1234.tmp", "x.tmp",
    })
    void reportsNamesPeopleKeep(String name) {
        assertThat(IgnoredNames.ignored(name)).isFalse();
    }

    @Test
    void refusesNull() {
        assertThatThrownBy(() -> IgnoredNames.ignored(null)).isInstanceOf(NullPointerException.class);
    }
}
