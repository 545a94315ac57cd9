package io.annexsync.gitsync.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annexsync.gitsync.RepoException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LargeFilesPolicyTest {
    @TempDir
    Path work;
    private Git git;

    @BeforeEach
    void setUp() throws Exception {
        git = TestRepos.annexRepo(work);
    }

    @AfterEach
    void tearDown() {
        git.close();
    }

    @Test
    void unsetAnnexesEverythingButDotfiles() throws Exception {
        LargeFilesPolicy policy = policy(Optional.empty());
        assertThat(policy.isLarge("a.txt", 1)).isTrue();
        assertThat(policy.isLarge("sub/b", 0)).isTrue();
        assertThat(policy.isLarge(".foo", 1)).isFalse();
        assertThat(policy.isLarge("sub/.foo", 1)).isFalse();
        assertThat(policy.isLarge(".d/z", 1)).isFalse();
    }

    @Test
    void dotfilesGoToGitEvenWhenTheExpressionMatchesThem() throws Exception {
        setConfig("largefiles", "anything");
        assertThat(policy(Optional.empty()).isLarge(".foo", 1)).isFalse();
        setConfig("dotfiles", "true");
        assertThat(policy(Optional.empty()).isLarge(".foo", 1)).isTrue();
    }

    @Test
    void gitConfigBeatsGitattributesWhichBeatsConfigLog() throws Exception {
        Files.writeString(work.resolve(".gitattributes"), "*.txt annex.largefiles=nothing\n");
        Files.createDirectories(work.resolve("sub"));
        Files.writeString(work.resolve("sub/.gitattributes"), "* annex.largefiles=largerthan=100b\n");
        LargeFilesPolicy policy = policy(Optional.of("anything"));
        assertThat(policy.isLarge("a.txt", 1000)).as(".gitattributes beats config.log").isFalse();
        assertThat(policy.isLarge("a.bin", 1)).as("config.log where no attribute").isTrue();
        assertThat(policy.isLarge("sub/a.txt", 1000)).as("deeper .gitattributes wins").isTrue();
        assertThat(policy.isLarge("sub/a.txt", 10)).isFalse();

        setConfig("largefiles", "anything");
        assertThat(policy(Optional.of("nothing")).isLarge("a.txt", 1)).as("git config beats all").isTrue();
    }

    @Test
    void infoAttributesBeatWorkTreeAttributes() throws Exception {
        Files.writeString(work.resolve(".gitattributes"), "* annex.largefiles=nothing\n");
        Files.writeString(work.resolve(".git/info/attributes"), "\n* filter=annex\n*.iso annex.largefiles=anything\n");
        LargeFilesPolicy policy = policy(Optional.empty());
        assertThat(policy.isLarge("disk.iso", 1)).isTrue();
        assertThat(policy.isLarge("a.txt", 1)).isFalse();
    }

    @Test
    void badExpressionsNameTheirSource() throws Exception {
        setConfig("largefiles", "mimetype=text/plain");
        assertThatThrownBy(() -> policy(Optional.empty())).isInstanceOf(RepoException.class)
                .hasMessageContaining("annex.largefiles").hasMessageContaining("libmagic");
    }

    private LargeFilesPolicy policy(Optional<String> configLog) throws RepoException {
        return LargeFilesPolicy.load(git.getRepository(), configLog);
    }

    private void setConfig(String name, String value) throws Exception {
        git.getRepository().getConfig().setString("annex", null, name, value);
        git.getRepository().getConfig().save();
    }
}
