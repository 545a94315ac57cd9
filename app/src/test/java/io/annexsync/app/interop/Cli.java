package io.annexsync.app.interop;

import io.annexsync.app.cli.AnnexSyncCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** Runs the real {@code annex-sync} command line in this JVM as {@code annex-sync -C DIR args...}, capturing output. */
final class Cli {
    /** The exit code and what the command printed on stdout and stderr. */
    record Run(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private Cli() {}

    static Run run(Path dir, String... args) {
        CommandLine cl = AnnexSyncCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        List<String> argv = new ArrayList<>(List.of("-C", dir.toString()));
        argv.addAll(List.of(args));
        int code = cl.execute(argv.toArray(String[]::new));
        cl.getOut().flush();
        cl.getErr().flush();
        return new Run(code, out.toString(), err.toString());
    }

    /** Runs a command that must succeed; fails the test with its output otherwise. */
    static Run ok(Path dir, String... args) {
        Run r = run(dir, args);
        if (r.exitCode() != 0) {
            throw new AssertionError("annex-sync " + String.join(" ", args) + " in " + dir + ": " + r);
        }
        return r;
    }
}
