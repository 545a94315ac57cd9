package io.annexsync.app.cli;

import java.io.Console;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Whether standard output is a terminal a person watches, and how wide it is. Stateless. */
final class Terminal {
    /** The width assumed when the terminal does not say. */
    static final int DEFAULT_WIDTH = 80;

    private Terminal() {}

    /**
     * Whether standard output is an interactive terminal. From JDK 22 on {@link System#console()} also answers when
     * the streams are redirected, and only {@code Console.isTerminal()} (called by reflection, as this code is
     * compiled for 21) tells; on 21 a console at all means a terminal.
     */
    static boolean isTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (IllegalAccessException | InvocationTargetException e) {
            return false;
        }
    }

    /**
     * The terminal's width in columns: {@code COLUMNS} when the shell exports it, else what {@code stty size} says
     * of {@code /dev/tty}, else {@value #DEFAULT_WIDTH}.
     */
    static int width() {
        int columns = parse(System.getenv("COLUMNS"));
        return columns > 0 ? columns : sttyWidth();
    }

    private static int sttyWidth() {
        try {
            Process p = new ProcessBuilder("stty", "size").redirectInput(new File("/dev/tty"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            if (!p.waitFor(2, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return DEFAULT_WIDTH;
            }
            String[] rowsColumns = said.split(" ");
            int columns = rowsColumns.length == 2 ? parse(rowsColumns[1]) : 0;
            return columns > 0 ? columns : DEFAULT_WIDTH;
        } catch (IOException e) {
            return DEFAULT_WIDTH;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return DEFAULT_WIDTH;
        }
    }

    private static int parse(String number) {
        if (number == null || !number.matches("\\d{1,4}")) {
            return 0;
        }
        return Integer.parseInt(number);
    }
}
