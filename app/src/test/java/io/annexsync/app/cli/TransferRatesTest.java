package io.annexsync.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.annexsync.gitsync.Uuid;
import io.annexsync.gitsync.key.Key;
import io.annexsync.transfer.record.Direction;
import io.annexsync.transfer.record.TransferInfo;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class TransferRatesTest {
    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    private static final Uuid USB = new Uuid("0b9c5a1e-1111-4a8b-9d0e-2f6a7b9c1d3e");
    private static final Key KEY = Key.of("SHA256E-s100000000--" + "ab".repeat(32) + ".bin");

    private final TransferRates rates = new TransferRates();

    private static TransferInfo at(long bytes) {
        return new TransferInfo(Direction.DOWNLOAD, USB, KEY, Optional.of("a.bin"), T0, OptionalLong.of(bytes));
    }

    private double rateAfter(long bytes, int second) {
        Instant now = T0.plusSeconds(second);
        rates.refresh(List.of(at(bytes)), now);
        return rates.rate(at(bytes), now).orElseThrow();
    }

    @Test
    void theFirstLookGivesTheAverageSinceTheStart() {
        assertThat(rateAfter(10_000, 10)).isEqualTo(1000);
    }

    @Test
    void laterLooksGiveTheDifferenceBetweenRefreshes() {
        rateAfter(10_000, 10);
        assertThat(rateAfter(15_000, 11)).isEqualTo(5000);
        assertThat(rateAfter(17_000, 12)).isEqualTo(2000);
    }

    @Test
    void aCountThatStandsStillKeepsTheLastStepUntilItIsOverdueThenFalls() {
        rates.refresh(List.of(at(0)), T0);
        assertThat(rateAfter(1_000_000, 10)).as("1 MB in 10 s").isEqualTo(100_000);
        assertThat(rateAfter(1_000_000, 11)).as("the file is rewritten only every 1%").isEqualTo(100_000);
        assertThat(rateAfter(1_000_000, 20)).isEqualTo(100_000);
        assertThat(rateAfter(1_000_000, 30)).as("overdue: the step over the time since it").isEqualTo(50_000);
        assertThat(rateAfter(2_000_000, 31)).as("the next step, 1 MB in 21 s").isCloseTo(47_619, within(1.0));
    }

    @Test
    void aTransferThatStartsAgainOrHasNoCountGetsNoStaleRate() {
        rateAfter(5_000, 5);
        assertThat(rateAfter(1_000, 10)).as("count went back: average again").isEqualTo(100);
        TransferInfo unknown = new TransferInfo(Direction.DOWNLOAD, USB, KEY, Optional.empty(), T0,
                OptionalLong.empty());
        rates.refresh(List.of(unknown), T0.plusSeconds(11));
        assertThat(rates.rate(unknown, T0.plusSeconds(11))).isEmpty();
    }
}
