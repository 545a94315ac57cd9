package io.annexsync.gitsync.branch;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TimestampTest {
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(2000, 500_000_000), ZoneOffset.UTC);

    @ParameterizedTest
    @CsvSource({
        "1795444480.037129475s, 1795444480.037129475s",
        "1795444555.18556308s, 1795444555.18556308s",
        "1000s, 1000s",
        "1000, 1000s",
        "1000.000s, 1000s",
        "1000., 1000s",
        "12.50, 12.5s",
        "1.1234567890123456789s, 1.123456789012s",
        "0s, 0s",
    })
    void parsesAndFormatsAsGitAnnexShowsIt(String text, String shown) {
        assertThat(Timestamp.parse(text)).map(Timestamp::format).contains(shown);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "s", "abc", "1.2.3s", "1e5", " 1s", "1ss", ".5s"})
    void rejectsTextThatIsNotATime(String text) {
        assertThat(Timestamp.parse(text)).isEmpty();
    }

    @Test
    void equalTimesCompareEqualWhateverTheirScale() {
        assertThat(Timestamp.parse("5.10s")).isEqualTo(Timestamp.parse("5.1"));
        assertThat(Timestamp.parse("5.10s").orElseThrow().hashCode())
                .isEqualTo(Timestamp.parse("5.1").orElseThrow().hashCode());
    }

    @Test
    void nextIsNowWhenThePreviousValueIsOlder() {
        Optional<Timestamp> previous = Timestamp.parse("1999.9s");
        assertThat(Timestamp.next(CLOCK, previous).format()).isEqualTo("2000.5s");
        assertThat(Timestamp.next(CLOCK, Optional.empty()).format()).isEqualTo("2000.5s");
    }

    @Test
    void nextIsOneSecondAfterAPreviousValueFromTheFutureOrNow() {
        assertThat(Timestamp.next(CLOCK, Timestamp.parse("3000.25s")).format()).isEqualTo("3001.25s");
        assertThat(Timestamp.next(CLOCK, Timestamp.parse("2000.5s")).format()).isEqualTo("2001.5s");
    }

    @Test
    void ofInstantKeepsNanoseconds() {
        assertThat(Timestamp.of(Instant.ofEpochSecond(1795444480L, 37_129_475)).seconds())
                .isEqualByComparingTo(new BigDecimal("1795444480.037129475"));
    }
}
