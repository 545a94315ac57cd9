package io.annexsync.gitsync.branch;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JournalTest {
    @TempDir
    Path annexDir;

    @ParameterizedTest
    @CsvSource({
        "uuid.log, uuid.log",
        "e79/8df/SHA256E-s5--f2c8.txt.log, e79_8df_SHA256E-s5--f2c8.txt.log",
        "a_b/c__d.log, a__b_c____d.log",
        "annex-sync/x_.log, annex-sync_x__.log",
    })
    void namesFilesByTheirBranchPathAndDecodesThemBack(String branchPath, String fileName) {
        assertThat(Journal.encode(branchPath)).isEqualTo(fileName);
        assertThat(Journal.decode(fileName)).isEqualTo(branchPath);
    }

    @Test
    void writesReadsListsAndDeletesWholeFiles() throws Exception {
        Journal journal = new Journal(annexDir);
        journal.write("a_b/c.log", "1s 1 U\n".getBytes(UTF_8));
        assertThat(annexDir.resolve("journal/a__b_c.log")).hasContent("1s 1 U");
        assertThat(journal.paths()).containsExactly("a_b/c.log");
        assertThat(journal.read("a_b/c.log"))
                .hasValueSatisfying(b -> assertThat(b).asString(UTF_8).isEqualTo("1s 1 U\n"));
        assertThat(Files.exists(annexDir.resolve("journal.lck"))).isTrue();
        assertThat(annexDir.resolve("othertmp")).isEmptyDirectory();

        assertThat(journal.deleteIfUnchanged("a_b/c.log", "other".getBytes(UTF_8))).isFalse();
        assertThat(journal.deleteIfUnchanged("a_b/c.log", "1s 1 U\n".getBytes(UTF_8))).isTrue();
        assertThat(journal.paths()).isEmpty();
        assertThat(journal.read("a_b/c.log")).isEmpty();
    }

    @Test
    void lockIsReentrantWithinOneThread() throws Exception {
        Journal journal = new Journal(annexDir);
        String result = journal.locked(() -> {
            journal.write("x.log", new byte[] {'x'});
            return journal.locked(() -> "inner");
        });
        assertThat(result).isEqualTo("inner");
    }
}
