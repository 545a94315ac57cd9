package io.annexsync.gitsync.info;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SizesTest {
    @Test
    void parsesDecimalAndBinaryUnits() {
        assertThat(Sizes.parse("4096")).isEqualTo(4096);
        assertThat(Sizes.parse("100kB")).isEqualTo(100_000);
        assertThat(Sizes.parse("20MiB")).isEqualTo(20L << 20);
        assertThat(Sizes.parse(" 1.5 GB ")).isEqualTo(1_500_000_000L);
        assertThat(Sizes.parse("2k")).isEqualTo(2000);
        assertThat(Sizes.parse("1TiB")).isEqualTo(1L << 40);
        assertThat(Sizes.parse("7 bytes")).isEqualTo(7);
    }

    @Test
    void rejectsWhatIsNotASize() {
        assertThatThrownBy(() -> Sizes.parse("fast")).hasMessageContaining("not a size");
        assertThatThrownBy(() -> Sizes.parse("-1MB")).hasMessageContaining("not a size");
        assertThatThrownBy(() -> Sizes.parse("3 furlongs")).hasMessageContaining("unknown unit");
        assertThatThrownBy(() -> Sizes.parse("99999999999 TB")).hasMessageContaining("too large");
    }
}
