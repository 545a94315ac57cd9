package io.annexsync.transfer.remote.p2p.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class DeviceIdTest {
    private static DeviceId random(long seed) {
        byte[] b = new byte[32];
        new Random(seed).nextBytes(b);
        return DeviceId.of(b);
    }

    @Test
    void writesEightGroupsOfSevenAndReadsThemBack() {
        for (long seed = 0; seed < 500; seed++) {
            DeviceId id = random(seed);
            String text = id.toString();
            assertThat(text).matches("([A-Z2-7]{7}-){7}[A-Z2-7]{7}");
            assertThat(DeviceId.parse(text)).isEqualTo(id);
        }
    }

    @Test
    void parsingToleratesCaseSpacesDashesAndLookAlikes() {
        DeviceId id = random(7);
        String text = id.toString();
        assertThat(DeviceId.parse(text.toLowerCase())).isEqualTo(id);
        assertThat(DeviceId.parse(text.replace("-", " "))).isEqualTo(id);
        assertThat(DeviceId.parse(" " + text.replace("-", "") + " ")).isEqualTo(id);
        assertThat(DeviceId.parse(text.replace('O', '0').replace('I', '1').replace('B', '8'))).isEqualTo(id);
    }

    @Test
    void everySingleMistypedCharacterIsRefused() {
        DeviceId id = random(3);
        String text = id.toString().replace("-", "");
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        int refused = 0;
        for (int i = 0; i < text.length(); i++) {
            for (char c : alphabet.toCharArray()) {
                if (c == text.charAt(i)) {
                    continue;
                }
                String typo = text.substring(0, i) + c + text.substring(i + 1);
                assertThatThrownBy(() -> DeviceId.parse(typo)).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("check characters");
                refused++;
            }
        }
        assertThat(refused).isEqualTo(56 * 31);
    }

    @Test
    void wrongLengthAndStrangeCharactersAreNamed() {
        String text = random(1).toString();
        assertThatThrownBy(() -> DeviceId.parse(text.substring(0, 50))).hasMessageContaining("has 44 letters");
        assertThatThrownBy(() -> DeviceId.parse(text.replace('-', '/'))).hasMessageContaining("has '/'");
    }

    @Test
    void idIsTheSha256OfTheCertificate() {
        byte[] der = "not really a certificate".getBytes();
        DeviceId id = DeviceId.ofCertificate(der);
        assertThat(id.matchesCertificate(der)).isTrue();
        assertThat(id.hex()).hasSize(64);
        assertThat(id.matchesCertificate("other".getBytes())).isFalse();
    }
}
