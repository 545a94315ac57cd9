package io.annexsync.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class AssistantConfigTest {
    @Test
    void theExampleFileParsesToTheDefaults() throws Exception {
        Path example = Path.of("..", "assistant.conf.example");
        assertThat(AssistantConfig.load(example, 2)).isEqualTo(AssistantConfig.defaults(2));
    }

    @Test
    void theExampleDocumentsEveryKeyAndItsUncommentedValuesParse() throws Exception {
        String text = java.nio.file.Files.readString(Path.of("..", "assistant.conf.example"));
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
}
