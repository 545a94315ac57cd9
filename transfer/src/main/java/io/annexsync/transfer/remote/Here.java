package io.annexsync.transfer.remote;

import io.annexsync.gitsync.Uuid;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

/**
 * The repository that opens remotes, as a {@link RemoteKind} needs to know it: its UUID (a remote receiving content
 * from us records it as coming from this UUID; a peer is told it when connecting), its work tree (path remotes are
 * relative to it) and the clock of its transfer records.
 */
public record Here(Uuid uuid, Path workTree, Clock clock) {
    public Here {
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(workTree, "workTree");
        Objects.requireNonNull(clock, "clock");
    }
}
