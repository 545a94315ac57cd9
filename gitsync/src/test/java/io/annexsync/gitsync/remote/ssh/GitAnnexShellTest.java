package io.annexsync.gitsync.remote.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** What configlist's output means, as git-annex 10.20230126's git-annex-shell prints it. */
class GitAnnexShellTest {
    private static final String UUID = "1f427226-0d5a-4a47-9e32-625dfa7df635";

    @Test
    void readsTheUuidAndTheOtherSettings() throws Exception {
        GitAnnexShell.ConfigList c = GitAnnexShell.parse("h:/r", 0, "annex.uuid=" + UUID + "\ncore.gcrypt-id=\n", "");
        assertThat(c.uuid().value()).isEqualTo(UUID);
        assertThat(c.values()).containsEntry("core.gcrypt-id", "");
    }

    @Test
    void sayingWhyTheFarSideHasNoGitAnnex() {
        assertThatThrownBy(() -> GitAnnexShell.parse("h:/r", 127, "", "bash: git-annex-shell: command not found"))
                .isInstanceOf(NoGitAnnexException.class).hasMessageContaining("has no git-annex installed");
        assertThatThrownBy(() -> GitAnnexShell.parse("h:/r", 0, "annex.uuid=\ncore.gcrypt-id=\n", ""))
                .hasMessageContaining("h:/r is a git repository without git-annex");
        assertThatThrownBy(() -> GitAnnexShell.parse("h:/r", 0, "annex.uuid=\n",
                "fatal: not a git repository: '/r/.git'")).hasMessageContaining("h:/r is not a git repository");
        assertThatThrownBy(() -> GitAnnexShell.parse("h:/r", 1, "", "git-annex-shell: failed to read git config"))
                .hasMessageContaining("failed (exit 1): git-annex-shell: failed to read git config");
        assertThatThrownBy(() -> GitAnnexShell.parse("h:/r", 0, "annex.uuid=..\n", ""))
                .hasMessageContaining("which is not a repository uuid");
    }

    @Test
    void quotesArgumentsForTheFarShell() {
        assertThat(SshSession.quote("/srv/annex")).isEqualTo("/srv/annex");
        assertThat(SshSession.quote("~/annex")).isEqualTo("'~/annex'");
        assertThat(SshSession.quote("a b'c")).isEqualTo("'a b'\\''c'");
        assertThat(SshSession.quote("$(reboot)")).isEqualTo("'$(reboot)'");
        assertThat(SshSession.quote("")).isEqualTo("''");
    }
}
