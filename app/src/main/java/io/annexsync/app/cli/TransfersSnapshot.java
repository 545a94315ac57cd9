package io.annexsync.app.cli;

import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.Uuid;
import io.annexsync.gitsync.key.Key;
import io.annexsync.gitsync.remote.RemoteConfig;
import io.annexsync.transfer.queue.QueueItem;
import io.annexsync.transfer.queue.TransferQueue;
import io.annexsync.transfer.queue.TransferRequest;
import io.annexsync.transfer.record.Direction;
import io.annexsync.transfer.record.TransferInfo;
import io.annexsync.transfer.record.TransferRecords;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What {@code annex-sync transfers} shows at one moment: the transfers running in any process (their status files),
 * the queue's waiting and given-up items, and failed status files no queue item stands for.
 *
 * @param at when it was read
 * @param running the live transfer records, then the queue's running items that have no live record (yet)
 * @param queued the queue's waiting items, in claim order
 * @param failedItems the queue's items given up after too many failures
 * @param failedRecords failed status files of transfers not in the queue (git-annex's, or ones the queue forgot)
 * @param remoteNames the name of each configured remote with a known uuid
 */
record TransfersSnapshot(
        Instant at,
        List<TransferInfo> running,
        List<QueueItem> queued,
        List<QueueItem> failedItems,
        List<TransferInfo> failedRecords,
        Map<Uuid, String> remoteNames) {

    TransfersSnapshot {
        Objects.requireNonNull(at, "at");
        running = List.copyOf(running);
        queued = List.copyOf(queued);
        failedItems = List.copyOf(failedItems);
        failedRecords = List.copyOf(failedRecords);
        remoteNames = Map.copyOf(remoteNames);
    }

    /** A transfer's identity, the same in a status file and in the queue. */
    private record Ident(Direction direction, Uuid remote, Key key) {
        static Ident of(TransferInfo i) {
            return new Ident(i.direction(), i.remote(), i.key());
        }

        static Ident of(QueueItem q) {
            return new Ident(TransfersSnapshot.direction(q.request()), q.request().remoteUuid(), q.request().key());
        }
    }

    /** Reads everything at {@code at}. Deletes stale status files on the way, as {@code git annex info} does. */
    static TransfersSnapshot read(TransferRecords records, TransferQueue queue, List<RemoteConfig> remotes, Instant at)
            throws RepoException {
        List<TransferInfo> running = new ArrayList<>(records.live());
        Set<Ident> live = running.stream().map(Ident::of).collect(Collectors.toSet());
        List<QueueItem> claimed = queue.running();
        for (QueueItem q : claimed) {
            if (!live.contains(Ident.of(q))) {
                asInfo(q).ifPresent(running::add);
            }
        }
        List<QueueItem> queued = queue.queued();
        List<QueueItem> failedItems = queue.failed();
        Set<Ident> inQueue = new HashSet<>();
        for (List<QueueItem> items : List.of(claimed, queued, failedItems)) {
            items.forEach(q -> inQueue.add(Ident.of(q)));
        }
        List<TransferInfo> failedRecords = records.failed().stream().filter(i -> !inQueue.contains(Ident.of(i)))
                .toList();
        Map<Uuid, String> names = remotes.stream().filter(r -> r.uuid().isPresent())
                .collect(Collectors.toMap(r -> r.uuid().get(), RemoteConfig::name, (a, b) -> a));
        return new TransfersSnapshot(at, running, queued, failedItems, failedRecords, names);
    }

    /** The direction of a queue request, in the status files' terms. */
    static Direction direction(TransferRequest r) {
        return r.upload() ? Direction.UPLOAD : Direction.DOWNLOAD;
    }

    /** A claimed queue item as a record with no bytes known, started when it was claimed. */
    private static Optional<TransferInfo> asInfo(QueueItem q) {
        TransferRequest r = q.request();
        Optional<String> file = r.file().filter(f -> !f.startsWith("/") && f.indexOf('\0') < 0);
        return q.started().map(started -> new TransferInfo(direction(r), r.remoteUuid(), r.key(), file, started,
                OptionalLong.empty()));
    }

    /** Whether nothing runs, waits or failed. */
    boolean isEmpty() {
        return running.isEmpty() && queued.isEmpty() && failedItems.isEmpty() && failedRecords.isEmpty();
    }

    /** How the command names a remote: its name in {@code .git/config}, else its uuid. */
    String remoteName(Uuid uuid) {
        return remoteNames.getOrDefault(uuid, uuid.value());
    }
}
