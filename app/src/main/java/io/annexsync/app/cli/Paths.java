package io.annexsync.app.cli;

import java.nio.file.Path;
import java.util.List;

/** Turns command-line paths into absolute ones. */
final class Paths {
    private Paths() {}

    /** The given paths resolved against {@code cwd}; {@code cwd} itself when none are given. */
    static List<Path> resolve(Path cwd, List<Path> paths) {
        return paths.isEmpty() ? List.of(cwd) : paths.stream().map(p -> cwd.resolve(p).normalize()).toList();
    }
}
