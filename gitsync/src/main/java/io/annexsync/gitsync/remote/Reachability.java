package io.annexsync.gitsync.remote;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Whether a remote can be reached now, as far as can be told without talking to it: the one place that decides it
 * from a remote's URL ({@link RemoteConfig#reachability}), for every module. A remote on a local path is reachable
 * when its folder is there; one over a network cannot be told without trying ({@link Unknown}).
 */
public sealed interface Reachability {
    /** A path remote whose folder is there. */
    record Reachable(Path path) implements Reachability {
        public Reachable {
            Objects.requireNonNull(path, "path");
        }

        /** Whether the folder holds a git repository (a work tree with {@code .git}, or a bare one). */
        public boolean isRepository() {
            return Files.isDirectory(path.resolve(".git")) || Files.isRegularFile(path.resolve("HEAD"));
        }

        /** The git directory: {@code PATH/.git} of a repository with a work tree, else {@code PATH}. */
        public Path gitDir() {
            return Files.isDirectory(path.resolve(".git")) ? path.resolve(".git") : path;
        }
    }

    /**
     * A path remote whose folder is missing (a drive not mounted).
     *
     * @param path where it should be
     * @param reason for a person: {@code remote NAME is not reachable: PATH does not exist (is the drive mounted?)}
     */
    record Unreachable(Path path, String reason) implements Reachability {
        public Unreachable {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** A remote over a network: reachable or not only trying it tells. */
    record Unknown() implements Reachability {}

    /** Whether this says the remote is there (a path remote whose folder is there). */
    default boolean known() {
        return this instanceof Reachable;
    }

    /** Whether this may be reachable: there, or only trying tells. */
    default boolean maybe() {
        return !(this instanceof Unreachable);
    }
}
