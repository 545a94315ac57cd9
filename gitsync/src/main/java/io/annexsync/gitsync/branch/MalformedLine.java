package io.annexsync.gitsync.branch;

import java.util.Objects;

/**
 * A line of a git-annex branch log that was skipped (FORMAT.md §5.1: lines that do not parse are skipped, not
 * fatal), for the warning that reports it.
 *
 * @param number which line it was, counting the lines that hold anything (runs of CR and LF end a line), from 1
 * @param reason why it was skipped, with a short excerpt of the line
 */
public record MalformedLine(int number, String reason) {
    public MalformedLine {
        Objects.requireNonNull(reason, "reason");
    }
}
