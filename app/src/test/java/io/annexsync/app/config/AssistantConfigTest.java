package io.annexsync.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annexsync.gitsync.sync.RetryPolicy;
import io.annexsync.transfer.queue.QueuePolicy;
import io.annexsync.transfer.remote.p2p.tls.PeerAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.Config;
import org.junit.jupiter.api.Test;

class AssistantConfigTest {
    @Test
    void theExampleFileParsesToTheDefaults() throws Exception {
        Path example = Path.of("..", "assistant.conf.example");
        assertThat(AssistantConfig.load(example, 2)).isEqualTo(AssistantConfig.defaults(2));
    }

    @Test
    void theExampleDocumentsEveryKeyAndItsUncommentedValuesParse() throws Exception {
        String text = Files.readString(Path.of("..", "assistant.conf.example"));
        for (String key : AssistantConfig.KEYS) {
            assertThat(text).as(key).contains("#" + key.substring(key.indexOf('.') + 1) + " = ");
        }
        String uncommented = text.replaceAll("(?m)^\\s*#(\\w+ = )", "$1");
        assertThat(AssistantConfig.parse(uncommented, 2)).isEqualTo(AssistantConfig.defaults(2));
    }

    @Test
    void aMissingFileGivesTheDefaults() throws Exception {
        assertThat(AssistantConfig.load(Path.of("no-such-file.conf"), 4)).isEqualTo(AssistantConfig.defaults(4));
    }

    @Test
    void valuesOverrideDefaults() {
        AssistantConfig c = AssistantConfig.parse("[add]\n\tjobs = 3\n\tlocked = true\n", 2);
        assertThat(c.addJobs()).isEqualTo(3);
        assertThat(c.addLocked()).isTrue();
    }

    @Test
    void aBadValueNamesItsKey() {
        assertThatThrownBy(() -> AssistantConfig.parse("[add]\n\tjobs = many\n", 2))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("add.jobs:");
        assertThatThrownBy(() -> AssistantConfig.parse("[add]\n\tjobs = 0\n", 2))
                .hasMessageStartingWith("add.jobs:");
        assertThatThrownBy(() -> AssistantConfig.parse("[add]\n\tlocked = maybe\n", 2))
                .hasMessageStartingWith("add.locked:");
    }

    @Test
    void transferSettingsAndTheirLimits() {
        AssistantConfig c = AssistantConfig.parse(
                "[transfer]\n\tdownloads = 2\n\tuploads = 8\n\tperremote = 3\n\tbwlimit = 20MiB\n", 2);
        assertThat(c.transferDownloads()).isEqualTo(2);
        assertThat(c.transferUploads()).isEqualTo(8);
        assertThat(c.transferPerRemote()).isEqualTo(3);
        assertThat(c.transferBwLimit()).hasValue(20L << 20);
        assertThat(AssistantConfig.parse("[transfer]\n\tbwlimit = 0\n", 2).transferBwLimit()).isEmpty();

        Config git = new Config();
        git.setString("remote", "usb", "annex-bwlimit", "1.5MB");
        var settings = c.transferSettings(git, List.of("usb", "other"),
                QueuePolicy.of(RetryPolicy.DEFAULT));
        assertThat(settings.remoteBandwidth()).containsExactly(Map.entry("usb", 1_500_000L));
        assertThat(settings.bandwidth()).hasValue(20L << 20);
    }

    @Test
    void badTransferValuesNameTheirKey() {
        assertThatThrownBy(() -> AssistantConfig.parse("[transfer]\n\tbwlimit = fast\n", 2))
                .hasMessageStartingWith("transfer.bwlimit:").hasMessageContaining("not a size");
        assertThatThrownBy(() -> AssistantConfig.parse("[transfer]\n\tuploads = 0\n", 2))
                .hasMessageStartingWith("transfer.uploads:");
        assertThatThrownBy(() -> AssistantConfig.parse("[transfer]\n\tbwlimit = 20 parsecs\n", 2))
                .hasMessageStartingWith("transfer.bwlimit:").hasMessageContaining("unknown unit");
        Config git = new Config();
        git.setString("remote", "usb", "annex-bwlimit", "lots");
        assertThatThrownBy(() -> AssistantConfig.defaults(2).transferSettings(git, List.of("usb"),
                QueuePolicy.of(RetryPolicy.DEFAULT)))
                .hasMessageStartingWith("remote.usb.annex-bwlimit:");
    }

    @Test
    void assistantSettingsParseAndOverrideDefaults() {
        AssistantConfig c = AssistantConfig.parse("[assistant]\n\tquiet = 50ms\n\tclosedquiet = 10ms\n\tmaxdelay = 5s\n"
                + "\tmaxbatch = 100\n\tretryinterval = 1m\n\tsanitycheck = 0\n\tcontent = false\n"
                + "\tonchange = notify-send hi\n\tlogsize = 1MiB\n\tlogfiles = 2\n", 2);
        DaemonSettings d = c.daemon();
        assertThat(d.quiet()).isEqualTo(Duration.ofMillis(50));
        assertThat(d.closedQuiet()).isEqualTo(Duration.ofMillis(10));
        assertThat(AssistantConfig.parse("[assistant]\n\tquiet = 5ms\n", 2).daemon().closedQuiet())
                .as("the closed quiet follows a quiet set below its default").isEqualTo(Duration.ofMillis(5));
        assertThat(d.maxDelay()).isEqualTo(Duration.ofSeconds(5));
        assertThat(d.maxBatch()).isEqualTo(100);
        assertThat(d.retryInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(d.sanityCheck()).isZero();
        assertThat(d.content()).isFalse();
        assertThat(d.onChange()).hasValue("notify-send hi");
        assertThat(d.logSize()).isEqualTo(1L << 20);
        assertThat(d.logFiles()).isEqualTo(2);
        assertThat(d.pushTimeout()).isEqualTo(DaemonSettings.DEFAULTS.pushTimeout());
    }

    @Test
    void badAssistantValuesNameTheirKeyAndTheReason() {
        assertThatThrownBy(() -> AssistantConfig.parse("[assistant]\n\tquiet = soon\n", 2))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("assistant.quiet:")
                .hasMessageContaining("not a duration");
        assertThatThrownBy(() -> AssistantConfig.parse("[assistant]\n\tquiet = 5s\n\tmaxdelay = 1s\n", 2))
                .hasMessageStartingWith("assistant.maxdelay:").hasMessageContaining("not between 5s");
        assertThatThrownBy(() -> AssistantConfig.parse("[assistant]\n\tclosedquiet = 1s\n", 2))
                .hasMessageStartingWith("assistant.closedquiet:").hasMessageContaining("not between 0s and 200ms");
        assertThatThrownBy(() -> AssistantConfig.parse("[assistant]\n\tmaxbatch = 0\n", 2))
                .hasMessageStartingWith("assistant.maxbatch:");
        assertThatThrownBy(() -> AssistantConfig.parse("[assistant]\n\tretryinterval = 0s\n", 2))
                .hasMessageStartingWith("assistant.retryinterval:");
        assertThatThrownBy(() -> AssistantConfig.parse("[assistant]\n\tcontent = sometimes\n", 2))
                .hasMessageStartingWith("assistant.content:");
        assertThatThrownBy(() -> AssistantConfig.parse("[assistant]\n\tlogsize = 1kB\n", 2))
                .hasMessageStartingWith("assistant.logsize:");
    }

    @Test
    void listenIsOffAPortOrAnAddress() {
        assertThat(AssistantConfig.defaults(2).daemon().listen())
                .contains(new PeerAddress("0.0.0.0", PeerAddress.DEFAULT_PORT));
        assertThat(AssistantConfig.parse("[assistant]\n\tlisten = off\n", 2).daemon().listen()).isEmpty();
        assertThat(AssistantConfig.parse("[assistant]\n\tlisten = 9000\n", 2).daemon().listen())
                .contains(new PeerAddress("0.0.0.0", 9000));
        assertThat(AssistantConfig.parse("[assistant]\n\tlisten = 192.168.1.5:9421\n", 2).daemon().listen())
                .contains(new PeerAddress("192.168.1.5", 9421));
        assertThat(AssistantConfig.parse("[assistant]\n\tlisten = [::]:9420\n", 2).daemon().listen())
                .contains(new PeerAddress("::", 9420));
        assertThatThrownBy(() -> AssistantConfig.parse("[assistant]\n\tlisten = 70000\n", 2))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("assistant.listen:")
                .hasMessageContaining("not a port");
        assertThatThrownBy(() -> AssistantConfig.parse("[assistant]\n\tlisten = somewhere\n", 2))
                .hasMessageStartingWith("assistant.listen:").hasMessageContaining("HOST:PORT");
    }
}
