package io.annexsync.app.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.annexsync.gitsync.testing.GitAnnex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's commands as a new user runs them, read from the README itself: the first command (after the build
 * this run has done) starts a daemon on {@code ~/Sync}, and the "Sync two folders" block makes a second folder whose
 * daemon receives the file written in the first. {@code HOME} is a temporary folder.
 */
class ReadmeIT {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    @TempDir
    Path home;

    private final List<String> transcript = new ArrayList<>();

    @AfterEach
    void stopDaemons() throws Exception {
        for (String folder : List.of("Sync", "Sync2")) {
            if (Files.exists(home.resolve(folder + "/.git/annex-sync/daemon.pid"))) {
                run("bin/annex-sync assistant --stop ~/" + folder);
            }
        }
    }

    @Test
    void theFirstCommandStartsADaemonAndTheSecondFolderGetsTheFile() throws Exception {
        List<String> readme = Files.readAllLines(ROOT.resolve("README.md"));
        String first = readme.stream().filter(l -> l.startsWith("    ./mvnw") && l.contains("&&")).findFirst()
                .orElseThrow();
        String start = first.substring(first.indexOf("&&") + 2).trim();
        assertThat(start).isEqualTo("bin/annex-sync assistant ~/Sync");
        assertThat(run(start)).contains("started for " + home.resolve("Sync"));

        List<String> block = codeBlockAfter(readme, "## Sync two folders");
        assertThat(block).isNotEmpty();
        int echo = indexOf(block, "echo hello");
        for (String line : block.subList(0, echo + 1)) {
            run(line);
        }
        Path arrived = home.resolve("Sync2/hello.txt");
        try {
            await("hello.txt in ~/Sync2").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                    .until(() -> Files.exists(arrived) && Files.readString(arrived).equals("hello\n"));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("hello.txt did not arrive in ~/Sync2; " + transcript + "\n--- Sync's log:\n"
                    + log("Sync") + "\n--- Sync2's log:\n" + log("Sync2"), e);
        }
        String rest = String.join("\n", block.subList(echo + 1, block.size()));
        for (String line : block.subList(echo + 1, block.size())) {
            run(line);
        }
        assertThat(rest).contains("assistant --stop ~/Sync");
        assertThat(String.join("\n", transcript)).contains("assistant: running (pid", "assistant: stopped");
    }

    private static List<String> codeBlockAfter(List<String> readme, String heading) {
        List<String> block = new ArrayList<>();
        boolean in = false;
        for (String line : readme) {
            if (line.equals(heading)) {
                in = true;
            } else if (in && line.startsWith("    ")) {
                block.add(line.strip());
            } else if (in && !block.isEmpty() && !line.startsWith("    ")) {
                break;
            }
        }
        return block;
    }

    private String log(String folder) throws IOException {
        Path log = home.resolve(folder + "/.git/annex-sync/daemon.log");
        return Files.exists(log) ? Files.readString(log) : "(none)";
    }

    private static int indexOf(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        throw new AssertionError("no line starting with " + prefix + " in " + lines);
    }

    /** Runs one README line in bash from the project root, as a user would type it; it must succeed. */
    private String run(String line) throws IOException, InterruptedException {
        Path out = Files.createTempFile(home, "out", ".txt");
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", line).directory(ROOT.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile());
        new GitAnnex(home.resolve(".oracle")).environment(pb.environment());
        pb.environment().put("HOME", home.toString());
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("%s finished", line).isTrue();
        String text = Files.readString(out);
        transcript.add("$ " + line + "\n" + text);
        assertThat(p.exitValue()).as("exit code of %s:\n%s", line, text).isZero();
        return text;
    }
}
