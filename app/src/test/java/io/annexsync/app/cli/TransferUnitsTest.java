package io.annexsync.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class TransferUnitsTest {
    private static final long KIB = 1024;
    private static final long MIB = 1024 * KIB;

    @Test
    void sizesUseBinaryUnitsWithOneDecimal() {
        assertThat(TransferUnits.bytes(0)).isEqualTo("0 B");
        assertThat(TransferUnits.bytes(1023)).isEqualTo("1023 B");
        assertThat(TransferUnits.bytes(1024)).isEqualTo("1.0 KiB");
        assertThat(TransferUnits.bytes(1536)).isEqualTo("1.5 KiB");
        assertThat(TransferUnits.bytes(12 * MIB + 300 * KIB)).isEqualTo("12.3 MiB");
        assertThat(TransferUnits.bytes(5L * 1024 * MIB)).isEqualTo("5.0 GiB");
        assertThat(TransferUnits.bytes(Long.MAX_VALUE)).isEqualTo("8.0 EiB");
    }

    @Test
    void aSizeThatWouldRoundTo1024GoesUpAUnit() {
        assertThat(TransferUnits.bytes(MIB - 1)).isEqualTo("1.0 MiB");
        assertThat(TransferUnits.bytes(1023 * KIB)).isEqualTo("1023.0 KiB");
    }

    private static String bar(long done, long size, int width) {
        return TransferUnits.bar(OptionalLong.of(done), OptionalLong.of(size), width);
    }

    @Test
    void theBarFillsInProportionAndRoundsDown() {
        assertThat(bar(0, 100, 20)).isEqualTo("[" + "-".repeat(20) + "]");
        assertThat(bar(50, 100, 20)).isEqualTo("[" + "#".repeat(10) + "-".repeat(10) + "]");
        assertThat(bar(99, 100, 20)).isEqualTo("[" + "#".repeat(19) + "-]");
        assertThat(bar(100, 100, 20)).isEqualTo("[" + "#".repeat(20) + "]");
        assertThat(bar(50, 100, 8)).isEqualTo("[####----]");
    }

    @Test
    void theBarIsBlankWhenBytesOrSizeAreUnknownAndFullPastTheSize() {
        String blank = "[" + " ".repeat(20) + "]";
        assertThat(TransferUnits.bar(OptionalLong.empty(), OptionalLong.of(100), 20)).isEqualTo(blank);
        assertThat(TransferUnits.bar(OptionalLong.of(5), OptionalLong.empty(), 20)).isEqualTo(blank);
        assertThat(bar(150, 100, 20)).isEqualTo("[" + "#".repeat(20) + "]");
        assertThat(bar(0, 0, 20)).as("an empty key is done").isEqualTo("[" + "#".repeat(20) + "]");
    }

    @Test
    void percentRoundsDownSoThatOnlyDoneIs100() {
        assertThat(TransferUnits.percent(OptionalLong.of(999), OptionalLong.of(1000))).isEqualTo("99%");
        assertThat(TransferUnits.percent(OptionalLong.of(1000), OptionalLong.of(1000))).isEqualTo("100%");
        assertThat(TransferUnits.percent(OptionalLong.of(1), OptionalLong.of(3))).isEqualTo("33%");
        assertThat(TransferUnits.percent(OptionalLong.empty(), OptionalLong.of(3))).isEqualTo("?%");
    }

    @Test
    void doneOfSizeMarksWhatIsUnknown() {
        assertThat(TransferUnits.doneOfSize(OptionalLong.of(512), OptionalLong.of(2 * MIB)))
                .isEqualTo("512 B / 2.0 MiB");
        assertThat(TransferUnits.doneOfSize(OptionalLong.empty(), OptionalLong.of(2 * MIB))).isEqualTo("? / 2.0 MiB");
        assertThat(TransferUnits.doneOfSize(OptionalLong.of(3 * KIB), OptionalLong.empty())).isEqualTo("3.0 KiB / ?");
    }

    @Test
    void rateIsTheByteDifferenceOverTheTimeBetweenSamples() {
        assertThat(TransferUnits.rate(MIB, 4 * MIB, Duration.ofSeconds(2))).hasValue(1.5 * MIB);
        assertThat(TransferUnits.rate(0, 100, Duration.ofMillis(500))).hasValue(200);
        assertThat(TransferUnits.rate(MIB, MIB, Duration.ofSeconds(1))).hasValue(0);
        assertThat(TransferUnits.rate(2 * MIB, MIB, Duration.ofSeconds(1))).as("went back: restarted").isEmpty();
        assertThat(TransferUnits.rate(0, MIB, Duration.ZERO)).isEmpty();
        assertThat(TransferUnits.rate(1.5 * MIB)).isEqualTo("1.5 MiB/s");
    }

    @Test
    void timeLeftIsTheRestAtTheRateRoundedUp() {
        OptionalDouble oneMibPerSecond = OptionalDouble.of(MIB);
        assertThat(TransferUnits.timeLeft(OptionalLong.of(10 * MIB), OptionalLong.of(100 * MIB), oneMibPerSecond))
                .hasValue(Duration.ofSeconds(90));
        assertThat(TransferUnits.timeLeft(OptionalLong.of(MIB + 1), OptionalLong.of(3 * MIB), oneMibPerSecond))
                .hasValue(Duration.ofSeconds(2));
        assertThat(TransferUnits.timeLeft(OptionalLong.of(MIB), OptionalLong.of(MIB), oneMibPerSecond))
                .hasValue(Duration.ZERO);
    }

    @Test
    void noTimeLeftWithoutSizeBytesOrMovement() {
        OptionalDouble rate = OptionalDouble.of(MIB);
        assertThat(TransferUnits.timeLeft(OptionalLong.of(1), OptionalLong.empty(), rate)).isEmpty();
        assertThat(TransferUnits.timeLeft(OptionalLong.empty(), OptionalLong.of(MIB), rate)).isEmpty();
        assertThat(TransferUnits.timeLeft(OptionalLong.of(1), OptionalLong.of(MIB), OptionalDouble.of(0))).isEmpty();
        assertThat(TransferUnits.timeLeft(OptionalLong.of(1), OptionalLong.of(MIB), OptionalDouble.empty())).isEmpty();
    }

    @Test
    void durationsShowTheTwoLargestUnits() {
        assertThat(TransferUnits.duration(Duration.ZERO)).isEqualTo("0s");
        assertThat(TransferUnits.duration(Duration.ofSeconds(59))).isEqualTo("59s");
        assertThat(TransferUnits.duration(Duration.ofSeconds(187))).isEqualTo("3m07s");
        assertThat(TransferUnits.duration(Duration.ofMinutes(62).plusSeconds(59))).isEqualTo("1h02m");
        assertThat(TransferUnits.duration(Duration.ofHours(51))).isEqualTo("2d03h");
        assertThat(TransferUnits.duration(Duration.ofSeconds(-5))).isEqualTo("0s");
    }
}
