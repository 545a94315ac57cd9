package io.annexsync.gitsync.key;

import static org.assertj.core.api.Assertions.assertThat;

import io.annexsync.gitsync.testing.GitAnnex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** annex-sync's keys and object paths against {@code git annex calckey} and {@code examinekey} on generated names. */
class KeyOracleTest {
    private static final String[] STEMS = {"a", "photo", "my file", "Ünïcödé", "😀", "x-y_z", "", "archive", "日本"};
    private static final String[] EXTS = {
        "txt", "tar", "gz", "JPEG", "jpeg2", "ü", "ünï", "😀", "a-b", "a_b", "c++", "", "verylongext", "mp3", "7z",
        "a b", "12345", "1", "Zz9",
    };

    @TempDir
    Path tmp;

    @Test
    void keysAndObjectPathsMatchGitAnnex() throws IOException {
        GitAnnex.assumeAvailable();
        GitAnnex oracle = new GitAnnex(tmp.resolve("home"));
        Path repo = oracle.initAnnexRepo(tmp.resolve("repo"));
        Random random = new Random(20231126);
        List<String> names = new ArrayList<>(generateNames(random));
        List<Key> ours = new ArrayList<>();
        for (String name : names) {
            byte[] content = new byte[random.nextInt(3000)];
            random.nextBytes(content);
            Path file = repo.resolve(name);
            Files.createDirectories(file.getParent());
            Files.write(file, content);
            ours.add(Key.ofDigest(Backend.SHA256E, content.length, Backend.SHA256E.newDigest().digest(content), name));
        }
        String calc = oracle.annexWithInput(repo, String.join("\n", names) + "\n", "calckey", "--batch");
        assertThat(calc.lines().toList()).containsExactlyElementsOf(ours.stream().map(Key::serialize).toList());

        String keys = String.join("\n", ours.stream().map(Key::serialize).toList()) + "\n";
        String paths = oracle.annexWithInput(repo, keys, "examinekey", "--batch", "--format=${objectpath}\\n");
        List<String> expected = ours.stream()
                .map(k -> ".git/annex/objects/" + HashDirs.mixed(k) + k.keyFile() + "/" + k.keyFile()).toList();
        assertThat(paths.lines().toList()).containsExactlyElementsOf(expected);
    }

    private static Set<String> generateNames(Random random) {
        Set<String> names = new LinkedHashSet<>();
        while (names.size() < 300) {
            StringBuilder name = new StringBuilder();
            if (random.nextInt(4) == 0) {
                name.append("sub dir.d/");
            }
            if (random.nextInt(6) == 0) {
                name.append(random.nextBoolean() ? "." : "..");
            }
            name.append(STEMS[random.nextInt(STEMS.length)]).append(names.size());
            int exts = random.nextInt(4);
            for (int i = 0; i < exts; i++) {
                name.append('.').append(EXTS[random.nextInt(EXTS.length)]);
            }
            if (random.nextInt(10) == 0) {
                name.append('.');
            }
            names.add(name.toString());
        }
        return names;
    }
}
