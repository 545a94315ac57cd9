package io.annexsync.gitsync.branch;

import java.util.Arrays;
import java.util.List;

/** Splitting branch files into lines: any run of CR and LF ends a line (FORMAT.md §5.1). */
final class LogLines {
    private LogLines() {}

    static List<String> of(String content) {
        return Arrays.stream(content.split("[\r\n]+")).filter(l -> !l.isEmpty()).toList();
    }

    static String join(List<String> lines) {
        StringBuilder sb = new StringBuilder();
        lines.forEach(l -> sb.append(l).append('\n'));
        return sb.toString();
    }
}
