package io.annexsync.gitsync.branch;

import static org.assertj.core.api.Assertions.assertThat;

import io.annexsync.gitsync.Uuid;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LogsTest {
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(2000), ZoneOffset.UTC);
    private static final Uuid A = new Uuid("aaaaaaaa-0000-0000-0000-000000000000");
    private static final Uuid B = new Uuid("bbbbbbbb-0000-0000-0000-000000000000");

    @Test
    void locationLogTieIsWonByTheFirstLine() {
        assertThat(PresenceLog.parse("1500000000s 1 U\n1500000000s 0 U\n").present()).containsExactly("U");
        assertThat(PresenceLog.parse("1500000000s 0 U\n1500000000s 1 U\n").present()).isEmpty();
    }

    @Test
    void locationLogGreatestTimestampWinsInAnyOrder() {
        assertThat(PresenceLog.parse("3s 0 U\r\n1s 1 U\n2s 1 V").present()).containsExactly("V");
    }

    @Test
    void locationLogSkipsLinesThatDoNotParse() {
        PresenceLog log = PresenceLog.parse("garbage\n1s 7 U\nxs 1 U\n1s 1\n\n\n2s 1 W\n");
        assertThat(log.lines()).hasSize(1);
        assertThat(log.present()).containsExactly("W");
    }

    @Test
    void locationLogWritesOneLinePerUuidSortedByUuid() {
        PresenceLog log = PresenceLog.parse("5s 1 " + B + "\n1s 1 " + A + "\n2s 0 " + A + "\n");
        assertThat(log.format()).isEqualTo("2s 0 " + A + "\n5s 1 " + B + "\n");
    }

    @Test
    void locationLogChangeAppliesTheVectorClockRule() {
        PresenceLog log = PresenceLog.parse("3000s 1 " + A + "\n").with(A.value(), PresenceLog.Status.ABSENT, CLOCK);
        assertThat(log.format()).isEqualTo("3001s 0 " + A + "\n");
    }

    @Test
    void uuidLogTieIsWonByTheLastLine() {
        UuidLog log = UuidLog.parse(A + " first timestamp=1s\n" + A + " second timestamp=1s\n");
        assertThat(log.values()).containsEntry(A, "second");
    }

    @Test
    void uuidLogKeepsSpacesInValuesAndReadsAMissingTimestampAsZero() {
        UuidLog log = UuidLog.parse(A + " my  laptop disk timestamp=5.5s\n" + B + " old style\n");
        assertThat(log.values()).containsEntry(A, "my laptop disk").containsEntry(B, "old style");
        assertThat(log.current().get(B).timestamp().format()).isEqualTo("0s");
    }

    @Test
    void uuidLogWritesCompactedSortedByUuid() {
        UuidLog log = UuidLog.parse(B + " b timestamp=9s\n" + A + " a1 timestamp=2s\n" + A + " a0 timestamp=1s\n");
        assertThat(log.with(A, "new", CLOCK).format())
                .isEqualTo(A + " new timestamp=2000s\n" + B + " b timestamp=9s\n");
    }

    @Test
    void valueLogGreatestTimestampWins() {
        assertThat(ValueLog.parse("5s 3\n2s 2\nbad\n").current()).map(ValueLog.Line::value).contains("3");
        assertThat(ValueLog.parse("").with("2", CLOCK).format()).isEqualTo("2000s 2\n");
    }

    @Test
    void mapLogKeepsTheNewestValuePerField() {
        MapLog log = MapLog.parse("1s annex.largefiles anything\n2s annex.largefiles largerthan=100kb\n1s x \n");
        assertThat(log.values()).containsEntry("annex.largefiles", "largerthan=100kb").containsEntry("x", "");
        assertThat(log.format()).isEqualTo("2s annex.largefiles largerthan=100kb\n1s x \n");
    }

    @Test
    void trustLevelsReadTheirCodes() {
        assertThat(TrustLevel.ofCode("X")).contains(TrustLevel.DEAD);
        assertThat(TrustLevel.ofCode("?")).contains(TrustLevel.SEMITRUSTED);
        assertThat(TrustLevel.ofCode("9")).isEmpty();
    }

    @Test
    void uuidsThatNameAFolderAreNotUuids() {
        assertThat(UuidLog.parse(".. evil timestamp=1s\n. evil timestamp=1s\n" + A + " ok timestamp=1s\n").values())
                .containsOnlyKeys(A);
        assertThat(PresenceLog.parse("1s 1 ..\n1s 1 .\n").present()).containsExactly(".", "..");
        assertThat(Uuid.parse("..")).isEmpty();
        assertThat(Uuid.parse(".")).isEmpty();
        assertThat(Uuid.parse("a/b")).isEmpty();
        assertThat(Uuid.parse("...")).isPresent();
    }
}
