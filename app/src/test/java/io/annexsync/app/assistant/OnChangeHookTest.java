package io.annexsync.app.assistant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How {@link OnChangeHook} runs {@code assistant.onchange}: its input, environment, order and folder. */
class OnChangeHookTest {
    @TempDir
    Path tmp;
    private Path tree;
    private Path log;
    private OnChangeHook hook;

    @BeforeEach
    void makeFolders() throws IOException {
        tree = Files.createDirectories(tmp.resolve("work tree"));
        log = Files.createFile(tmp.resolve("hook.log"));
    }

    @AfterEach
    void close() {
        if (hook != null) {
            hook.close();
        }
    }

    /** A hook whose command is {@code script}, in which {@code LOG} stands for the quoted path of the log. */
    private OnChangeHook hook(String script) {
        hook = new OnChangeHook(script.replace("LOG", "'" + log + "'"), tree);
        return hook;
    }

    private void awaitLog(String expected) {
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(Files.readString(log)).isEqualTo(expected));
    }

    @Test
    void givesTheChangedPathsOnStandardInputAndTheEventInTheEnvironment() {
        hook("{ echo \"event=$ANNEX_SYNC_EVENT\"; cat; echo end; } >> LOG");

        hook.changed("commit", List.of("a.txt", "dir/b c.txt", "café/ü.txt"));
        hook.changed("merge", List.of("merged"));

        awaitLog("""
                event=commit
                a.txt
                dir/b c.txt
                café/ü.txt
                end
                event=merge
                merged
                end
                """);
    }

    @Test
    void doesNotRunForNoPaths() {
        hook("{ echo \"run $ANNEX_SYNC_EVENT\"; cat; } >> LOG");

        hook.changed("merge", List.of());
        hook.changed("commit", List.of("x"));

        awaitLog("run commit\nx\n"); // runs are in order: a run for the merge would come first
    }

    @Test
    void runsOneAtATimeInTheOrderAsked() {
        Path running = tmp.resolve("running");
        // the short sleep gives a second run the time to start if runs could overlap
        hook(("read p; mkdir RUNNING || echo \"overlap $p\" >> LOG; echo \"start $p\" >> LOG; sleep 0.05; "
                + "echo \"end $p\" >> LOG; rmdir RUNNING").replace("RUNNING", "'" + running + "'"));
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            hook.changed("commit", List.of("p" + i));
            expected.append("start p").append(i).append("\nend p").append(i).append('\n');
        }

        awaitLog(expected.toString());
    }

    @Test
    void aFailingRunDoesNotStopTheLaterOnes() {
        hook("read p; echo \"$p\" >> LOG; case $p in fail*) exit 3;; esac");
        List<String> paths = List.of("fail-1", "ok-1", "fail-2", "ok-2");

        paths.forEach(p -> hook.changed("commit", List.of(p)));

        awaitLog(String.join("\n", paths) + "\n");
    }

    @Test
    void aCommandThatPrintsMuchBeforeReadingManyPathsStillFinishes() {
        // more than a pipe holds (64 KiB) each way: the output must be read while the paths are written
        hook("head -c 200000 /dev/zero; wc -l >> LOG");
        List<String> paths = IntStream.range(0, 5000).mapToObj(i -> "folder/with/some/depth/file-" + i).toList();

        hook.changed("commit", paths);

        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(Files.readString(log).strip()).isEqualTo("5000"));
    }

    @Test
    void runsInTheWorkTree() throws IOException {
        hook("pwd -P >> LOG; cat > written-here");

        hook.changed("commit", List.of("x"));

        awaitLog(tree.toRealPath() + "\n");
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(tree.resolve("written-here")).hasContent("x\n"));
    }
}
