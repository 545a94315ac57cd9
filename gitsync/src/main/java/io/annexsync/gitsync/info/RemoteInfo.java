package io.annexsync.gitsync.info;

import io.annexsync.gitsync.Uuid;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code info REMOTE} reports.
 *
 * @param name the remote's name
 * @param uuid its uuid, once known
 * @param description its description with the name in brackets
 * @param trust trusted, semitrusted, untrusted or dead
 * @param cost its annex-cost
 * @param location its URL or path
 * @param keys keys the location logs say it holds
 * @param size their total size
 */
public record RemoteInfo(
        String name, Optional<Uuid> uuid, String description, String trust, double cost, String location, long keys,
        long size) {
    public RemoteInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(uuid, "uuid");
    }
}
