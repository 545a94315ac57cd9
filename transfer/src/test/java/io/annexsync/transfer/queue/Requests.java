package io.annexsync.transfer.queue;

import io.annexsync.gitsync.Uuid;
import io.annexsync.gitsync.key.Key;
import io.annexsync.transfer.queue.TransferRequest.Way;
import java.util.Optional;

/** Transfer requests for tests: key number {@code n}, to or from a named remote. */
final class Requests {
    private Requests() {}

    static Key key(int n) {
        return Key.of("SHA256E-s" + n + "--" + "%064x".formatted(n) + ".bin");
    }

    static Uuid uuidOf(String remote) {
        return new Uuid("00000000-0000-0000-0000-" + "%012x".formatted(Math.abs(remote.hashCode())));
    }

    static TransferRequest upload(int n, String remote, double cost, int priority) {
        return new TransferRequest(key(n), remote, uuidOf(remote), Way.UPLOAD, Optional.of("dir/file" + n + ".bin"),
                cost, priority);
    }

    static TransferRequest download(int n, String remote, double cost, int priority) {
        return new TransferRequest(key(n), remote, uuidOf(remote), Way.DOWNLOAD, Optional.empty(), cost, priority);
    }
}
