package io.annexsync.transfer.engine;

import io.annexsync.gitsync.AnnexedFile;
import io.annexsync.gitsync.Uuid;
import io.annexsync.gitsync.content.ItemResult;
import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.remote.RemoteConfig;
import io.annexsync.transfer.content.ContentTransfers;
import io.annexsync.transfer.queue.TransferRequest;
import io.annexsync.transfer.queue.TransferRequest.Way;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * {@link ContentTransfers} through the transfer engine: each file's transfer becomes a request in the service's
 * queue, and its outcome an {@link ItemResult} with git-annex's notes ({@code from origin...}).
 */
public final class EngineTransfers implements ContentTransfers {
    /** The priority of what someone asked for now (a command). */
    public static final int NOW = 0;
    /** The priority of background work (the daemon's scans). */
    public static final int BACKGROUND = 10;

    private final TransferService service;
    private final int priority;

    public EngineTransfers(TransferService service, int priority) {
        this.service = service;
        this.priority = priority;
    }

    @Override
    public CompletableFuture<ItemResult> download(AnnexedFile file, RemoteConfig from) {
        return transfer(file, from, Way.DOWNLOAD);
    }

    @Override
    public boolean usable(RemoteConfig remote) {
        return service.usable(remote);
    }

    @Override
    public CompletableFuture<ItemResult> upload(AnnexedFile file, RemoteConfig to) {
        return transfer(file, to, Way.UPLOAD);
    }

    /** Asks for many transfers at once (one queue transaction); results in the order of {@code files}. */
    public List<CompletableFuture<ItemResult>> transferAll(List<AnnexedFile> files, RemoteConfig remote, Way way) {
        Optional<Uuid> uuid = service.uuidOf(remote);
        if (uuid.isEmpty()) {
            return files.stream().map(f -> CompletableFuture.completedFuture(unreachable(f, remote, way))).toList();
        }
        List<TransferRequest> requests = files.stream().map(f -> request(f, remote, uuid.get(), way)).toList();
        List<CompletableFuture<TransferOutcome>> outcomes = service.submitAll(requests);
        return IntStream.range(0, files.size())
                .mapToObj(i -> outcomes.get(i).thenApply(o -> result(files.get(i), o)))
                .toList();
    }

    /**
     * Gets each file's content from the first of its {@code candidates} (cheapest first) that gives it: the first
     * candidates of all files are asked in one batch, the next ones of a file only after the one before failed.
     * A file that no candidate gives fails with every candidate's reason.
     */
    public List<CompletableFuture<ItemResult>> getAll(List<AnnexedFile> files,
            Function<AnnexedFile, List<RemoteConfig>> candidates) {
        Map<AnnexedFile, List<RemoteConfig>> sources = new LinkedHashMap<>();
        Map<String, List<AnnexedFile>> byFirst = new LinkedHashMap<>();
        Map<String, RemoteConfig> remotes = new HashMap<>();
        for (AnnexedFile f : files) {
            List<RemoteConfig> c = candidates.apply(f);
            sources.put(f, c);
            if (!c.isEmpty()) {
                byFirst.computeIfAbsent(c.get(0).name(), n -> new ArrayList<>()).add(f);
                remotes.put(c.get(0).name(), c.get(0));
            }
        }
        Map<AnnexedFile, CompletableFuture<ItemResult>> first = new HashMap<>();
        byFirst.forEach((name, group) -> {
            List<CompletableFuture<ItemResult>> got = transferAll(group, remotes.get(name), Way.DOWNLOAD);
            for (int i = 0; i < group.size(); i++) {
                first.put(group.get(i), got.get(i));
            }
        });
        List<CompletableFuture<ItemResult>> results = new ArrayList<>(files.size());
        for (AnnexedFile f : files) {
            List<RemoteConfig> c = sources.get(f);
            results.add(c.isEmpty()
                    ? CompletableFuture.completedFuture(ItemResult.failed(f.path(), f.key(), "",
                            "no remote to get it from (see 'annex-sync whereis " + f.path() + "')"))
                    : first.get(f).thenCompose(r -> orNext(f, c, 1, r, new ArrayList<>())));
        }
        return results;
    }

    private CompletableFuture<ItemResult> orNext(AnnexedFile f, List<RemoteConfig> candidates, int next,
            ItemResult last, List<String> reasons) {
        if (last.status() != ItemResult.Status.FAILED) {
            return CompletableFuture.completedFuture(last);
        }
        reasons.add(last.message());
        if (next >= candidates.size()) {
            return CompletableFuture.completedFuture(reasons.size() == 1 ? last
                    : ItemResult.failed(f.path(), f.key(), "", "no remote gave its content: "
                            + String.join("; ", reasons)));
        }
        return download(f, candidates.get(next)).thenCompose(r -> orNext(f, candidates, next + 1, r, reasons));
    }

    private CompletableFuture<ItemResult> transfer(AnnexedFile file, RemoteConfig remote, Way way) {
        return transferAll(List.of(file), remote, way).get(0);
    }

    private TransferRequest request(AnnexedFile f, RemoteConfig remote, Uuid uuid, Way way) {
        return new TransferRequest(f.key(), remote.name(), uuid, way, Optional.of(f.path()), remote.cost(), priority);
    }

    private static ItemResult unreachable(AnnexedFile f, RemoteConfig remote, Way way) {
        return ItemResult.failed(f.path(), f.key(), way == Way.UPLOAD ? note(remote.name(), way) : "",
                "remote " + remote.name() + " is unreachable and its repository UUID is not known yet");
    }

    /** The ItemResult of a transfer's outcome, with git-annex's note. */
    public static ItemResult result(AnnexedFile f, TransferOutcome o) {
        String note = note(o.request().remote(), o.request().way());
        return switch (o.status()) {
            case DONE -> ItemResult.ok(f.path(), f.key(), o.resumedFrom() > 0 ? note + " resumed" : note)
                    .withMoved(o.bytesMoved(), o.resumedFrom());
            case NOTHING_TO_DO -> ItemResult.nothingToDo(f.path(), f.key());
            // as git-annex: a failed get has no note, a failed copy to a remote names it
            case FAILED -> ItemResult.failed(f.path(), f.key(), o.request().upload() ? note : "", o.message());
        };
    }

    private static String note(String remote, Way way) {
        return (way == Way.UPLOAD ? "to " : "from ") + remote + "...";
    }

    @Override
    public void flush() throws RepoException {
        service.flush();
    }
}
