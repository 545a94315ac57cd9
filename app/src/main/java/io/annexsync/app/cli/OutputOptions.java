package io.annexsync.app.cli;

import picocli.CommandLine.Option;

/** Output options every command shares. */
public final class OutputOptions {
    @Option(names = "--json", description = "Print one JSON object a line, with git-annex's field names.")
    boolean json;
}
