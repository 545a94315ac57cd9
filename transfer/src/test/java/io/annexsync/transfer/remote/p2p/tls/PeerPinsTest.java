package io.annexsync.transfer.remote.p2p.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annexsync.gitsync.Uuid;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeerPinsTest {
    @TempDir
    Path gitDir;

    private static DeviceId id(long seed) {
        byte[] b = new byte[32];
        new Random(seed).nextBytes(b);
        return DeviceId.of(b);
    }

    @Test
    void savesListsFindsAndRemovesPins() throws Exception {
        PeerPins pins = new PeerPins(gitDir);
        assertThat(pins.list()).isEmpty();
        PeerPin laptop = new PeerPin("laptop", PeerAddress.parse("laptop.local:9420"), id(1), Optional.empty());
        PeerPin nas = new PeerPin("nas", PeerAddress.parse("[fe80::1]:9000"), id(2), Optional.of(Uuid.random()));
        pins.save(laptop);
        pins.save(nas);
        assertThat(pins.list()).containsExactly(laptop, nas);
        assertThat(pins.find("nas")).contains(nas);
        assertThat(pins.findById(id(1))).contains(laptop);
        assertThat(pins.pinnedIds()).isEqualTo(Set.of(id(1), id(2)));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pins.folder().resolve("nas"))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pins.folder())))
                .isEqualTo("rwx------");
        Uuid u = Uuid.random();
        pins.save(laptop.withUuid(u));
        assertThat(pins.find("laptop").orElseThrow().uuid()).contains(u);
        assertThat(pins.remove("laptop")).isTrue();
        assertThat(pins.remove("laptop")).isFalse();
        assertThat(pins.list()).containsExactly(nas);
    }

    @Test
    void aBrokenPinIsNamedAndTrustedByNoOne() throws Exception {
        PeerPins pins = new PeerPins(gitDir);
        pins.save(new PeerPin("good", PeerAddress.parse("h:1"), id(1), Optional.empty()));
        Files.writeString(pins.folder().resolve("bad"), "address = h:2\ndevice = NOT-AN-ID\n");
        assertThatThrownBy(pins::list).isInstanceOf(PeerPins.PinFileException.class)
                .hasMessageContaining(pins.folder().resolve("bad").toString()).hasMessageContaining("not a device id");
        assertThat(pins.pinnedIds()).containsExactly(id(1));
    }

    @Test
    void addressesAreParsedStrictly() {
        assertThat(PeerAddress.parse("10.0.0.2:9420")).isEqualTo(new PeerAddress("10.0.0.2", 9420));
        assertThat(PeerAddress.parse("[::1]:5").toString()).isEqualTo("[::1]:5");
        assertThatThrownBy(() -> PeerAddress.parse("host")).hasMessageContaining("not HOST:PORT");
        assertThatThrownBy(() -> PeerAddress.parse("host:65536")).hasMessageContaining("not a port");
        assertThat(PeerAddress.parse("127.0.0.1:0").port()).as("to listen on any free port").isZero();
        assertThatThrownBy(() -> new PeerPin("x", PeerAddress.parse("h:0"), id(1), Optional.empty()))
                .hasMessageContaining("not a port to connect to");
        assertThatThrownBy(() -> PeerAddress.parse("::1:5")).hasMessageContaining("[addr]:port");
        assertThatThrownBy(() -> new PeerPin("../x", new PeerAddress("h", 1), id(1), Optional.empty()))
                .hasMessageContaining("bad peer name");
    }
}
