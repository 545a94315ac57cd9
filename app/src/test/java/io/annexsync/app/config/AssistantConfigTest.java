package io.annexsync.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annexsync.gitsync.sync.RetryPolicy;
import io.annexsync.transfer.queue.QueuePolicy;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
