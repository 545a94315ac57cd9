package io.annexsync.gitsync.remote.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SshUrlTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "ssh://host/srv/annex                | -     | host        | -     | /srv/annex",
        "ssh://alice@host:2222/srv/annex     | alice | host        | 2222  | /srv/annex",
        "ssh://host/~/annex                  | -     | host        | -     | ~/annex",
        "ssh://host/~bob/annex               | -     | host        | -     | ~bob/annex",
        "git+ssh://host.example.org/r.git    | -     | host.example.org | - | /r.git",
        "ssh+git://h/r                       | -     | h           | -     | /r",
        "SSH://h/r                           | -     | h           | -     | /r",
        "ssh://[::1]:22/r                    | -     | ::1         | 22    | /r",
        "ssh://u@[fe80::1%eth0]/r            | u     | fe80::1%eth0 | -    | /r",
        "ssh://host:/r                       | -     | host        | -     | /r",
        "host:annex                          | -     | host        | -     | annex",
        "alice@host:/srv/annex               | alice | host        | -     | /srv/annex",
        "host:~/annex                        | -     | host        | -     | ~/annex",
        "user@mail@host:r                    | user@mail | host    | -     | r",
        "[host:2222]:r                       | -     | host        | 2222  | r",
        "[alice@host:2222]:/r                | alice | host        | 2222  | /r",
        "[::1]:/r                            | -     | ::1         | -     | /r",
        "host:dir/with:colon                 | -     | host        | -     | dir/with:colon",
    })
    void parsesWhatGitReachesOverSsh(String url, String user, String host, String port, String path) {
        SshUrl parsed = SshUrl.parse(url);
        assertThat(parsed).isEqualTo(new SshUrl(user.equals("-") ? Optional.empty() : Optional.of(user), host,
                port.equals("-") ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(port)), path));
        assertThat(SshUrl.isSsh(url)).isTrue();
        assertThat(SshUrl.parse(parsed.toUrl()).toUrl()).isEqualTo(parsed.toUrl());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/srv/annex", "../other", "./a:b", "/mnt/x:y", "dir/sub:file", "C:\\annex", "C:/annex",
        "file:///srv/annex", "https://host/r", "p2p-annex::annexsync:ABCD", "tor-annex::onion:1234", "plain"})
    void othersAreNotSsh(String url) {
        assertThat(SshUrl.isSsh(url)).isFalse();
        assertThatThrownBy(() -> SshUrl.parse(url)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not an ssh URL");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "ssh://host                | no repository path",
        "ssh://host/               | no repository path",
        "ssh:///srv/annex          | no host",
        "ssh://host:22x/r          | bad port '22x'",
        "ssh://host:99999/r        | port 99999 is out of range",
        "ssh://@host/r             | empty user name",
        "ssh://-oProxyCommand=x/r  | bad host name '-oProxyCommand=x'",
        "ssh://[::1/r              | unclosed '['",
        "ssh://[::1]x/r            | junk after ']'",
        ":annex                    | no host before ':'",
        "host:                     | no repository path after ':'",
        "-oProxyCommand=x:r        | bad host name",
        "ho st:r                   | bad host name 'ho st'",
        "[host]r:x                 | expected [host]:path",
    })
    void malformedOnesGetAClearError(String url, String problem) {
        assertThatThrownBy(() -> SshUrl.parse(url)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("bad ssh URL '" + url + "'").hasMessageContaining(problem);
    }

    @Test
    void aNewlineInThePathIsRefused() {
        assertThatThrownBy(() -> SshUrl.parse("host:a\nb")).hasMessageContaining("control character");
    }

    @Test
    void relativeScpPathsBecomeHomeRelativeUrls() {
        assertThat(SshUrl.parse("alice@host:annex").toUrl()).isEqualTo("ssh://alice@host/~/annex");
        assertThat(SshUrl.parse("[::1]:2222:/r").where()).isEqualTo("[::1]");
        assertThat(SshUrl.parse("ssh://a@h:2/r").where()).isEqualTo("a@h:2");
    }
}
