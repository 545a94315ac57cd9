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
        assertThat(Sizes.parse("100 KiloBytes")).isEqualTo(100_000); // git-annex's example for annex.diskreserve
        assertThat(Sizes.parse("0.5 gb")).isEqualTo(500_000_000L);
        assertThat(Sizes.parse("500M")).isEqualTo(500_000_000L);
        assertThat(Sizes.parse("2 mebibytes")).isEqualTo(2L << 20);
    }

    @Test
    void abbreviatesAsGitAnnexDoesInItsDiskSpaceMessage() {
        assertThat(Sizes.abbreviated(17)).isEqualTo("17 B");
        assertThat(Sizes.abbreviated(1_048_576)).isEqualTo("1.05 MB");
        assertThat(Sizes.abbreviated(1_000_000)).isEqualTo("1 MB");
        // what git-annex 10.20230126 said for annex.diskreserve=1000T with 83161559040 bytes free and a 1 MiB key
        assertThat(Sizes.abbreviated(1000_000_000_000_000L + 1_048_576 - 83_161_559_040L)).isEqualTo("999.92 TB");
    }

    @Test
    void rejectsWhatIsNotASize() {
        assertThatThrownBy(() -> Sizes.parse("fast")).hasMessageContaining("not a size");
        assertThatThrownBy(() -> Sizes.parse("-1MB")).hasMessageContaining("not a size");
        assertThatThrownBy(() -> Sizes.parse("3 furlongs")).hasMessageContaining("unknown unit");
        assertThatThrownBy(() -> Sizes.parse("99999999999 TB")).hasMessageContaining("too large");
    }
}
