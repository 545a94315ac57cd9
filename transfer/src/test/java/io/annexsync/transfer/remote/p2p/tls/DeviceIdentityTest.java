package io.annexsync.transfer.remote.p2p.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceIdentityTest {
    @TempDir
    Path gitDir;

    @Test
    void isMadeOnceWithPrivateModesAndReadBackTheSame() throws Exception {
        DeviceIdentity made = DeviceIdentity.loadOrCreate(gitDir);
        Path dir = DeviceIdentity.folder(gitDir);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        for (String f : new String[] {DeviceIdentity.KEY_FILE, DeviceIdentity.CERT_FILE}) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(f))))
                    .isEqualTo("rw-------");
        }
        assertThat(made.certificate().getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(made.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=annex-sync");
        DeviceIdentity again = DeviceIdentity.loadOrCreate(gitDir);
        assertThat(again.id()).isEqualTo(made.id());
        assertThat(made.id().matchesCertificate(again.certificate().getEncoded())).isTrue();
        try (var left = Files.list(gitDir.resolve("annex-sync"))) {
            assertThat(left.map(p -> p.getFileName().toString()).toList()).containsExactly("identity");
        }
    }

    @Test
    void aCorruptCertificateIsAnErrorAndIsNotReplaced() throws Exception {
        DeviceIdentity.loadOrCreate(gitDir);
        Path cert = DeviceIdentity.folder(gitDir).resolve(DeviceIdentity.CERT_FILE);
        Files.writeString(cert, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        assertThatThrownBy(() -> DeviceIdentity.loadOrCreate(gitDir)).isInstanceOf(DeviceIdentityException.class)
                .hasMessageContaining("corrupt").hasMessageContaining(cert.toString());
        assertThat(Files.readString(cert)).contains("AAAA");
    }

    @Test
    void aMissingKeyIsAnErrorAndNothingIsMade() throws Exception {
        DeviceIdentity.loadOrCreate(gitDir);
        Path dir = DeviceIdentity.folder(gitDir);
        Files.delete(dir.resolve(DeviceIdentity.KEY_FILE));
        assertThatThrownBy(() -> DeviceIdentity.loadOrCreate(gitDir)).hasMessageContaining("incomplete")
                .hasMessageContaining("key.pem is missing");
        assertThat(dir.resolve(DeviceIdentity.KEY_FILE)).doesNotExist();
    }

    @Test
    void aKeyOfAnotherIdentityIsRefused() throws Exception {
        Path other = gitDir.resolve("other");
        DeviceIdentity.loadOrCreate(gitDir);
        DeviceIdentity.loadOrCreate(other);
        Files.copy(DeviceIdentity.folder(other).resolve(DeviceIdentity.KEY_FILE),
                DeviceIdentity.folder(gitDir).resolve(DeviceIdentity.KEY_FILE),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> DeviceIdentity.loadOrCreate(gitDir)).hasMessageContaining("do not belong together");
    }
}
