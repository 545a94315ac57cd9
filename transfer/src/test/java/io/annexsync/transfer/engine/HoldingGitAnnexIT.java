package io.annexsync.transfer.engine;

import static io.annexsync.transfer.engine.Repos.addFiles;
import static io.annexsync.transfer.engine.Repos.addRemote;
import static io.annexsync.transfer.engine.Repos.upload;
import static io.annexsync.transfer.engine.TransferServiceTest.awaitTrue;
import static io.annexsync.transfer.engine.TransferServiceTest.size;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.AnnexedFile;
import io.annexsync.gitsync.Progress;
import io.annexsync.gitsync.remote.RemoteConfig;
import io.annexsync.gitsync.sync.RetryPolicy;
import io.annexsync.gitsync.testing.GitAnnex;
import io.annexsync.transfer.queue.QueuePolicy;
import io.annexsync.transfer.queue.TransferQueue;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real git-annex in the receiving repository sees our upload to it as git-annex's own copy to a local remote
 * shows there: a download from the sender, in {@code git annex info}; and its own download of that key from the
 * sender is refused while ours runs, instead of writing the same partial file.
 */
class HoldingGitAnnexIT {
    private static final int MIB = 1 << 20;

    @TempDir
    Path tmp;
    private GitAnnex annex;
    private AnnexRepo a;
    private AnnexRepo b;
    private RemoteConfig bInA;

    @BeforeEach
    void setUp() throws Exception {
        GitAnnex.assumeAvailable();
        annex = new GitAnnex(tmp.resolve("home"));
        a = Repos.init(tmp.resolve("a"));
        b = Repos.init(tmp.resolve("b"));
        addRemote(b, "a", a);
        bInA = addRemote(a, "b", b);
    }

    @AfterEach
    void tearDown() {
        if (a != null) {
            a.close();
            b.close();
        }
    }

    private JsonArray transfersInProgress(AnnexRepo repo) {
        JsonObject info = JsonParser.parseString(annex.annex(repo.workTree(), "info", "--json")).getAsJsonObject();
        return info.getAsJsonArray("transfers in progress");
    }

    @Test
    void gitAnnexInTheReceiverSeesOurUploadAsADownloadFromUsAndDoesNotDuplicateIt() throws Exception {
        AnnexedFile f = addFiles(a, 31, 32 * MIB).get(0);
        Path partial = b.store().tempFileFor(f.key());
        TransferSettings slow = new TransferSettings(1, 1, 4, OptionalLong.of(4L * MIB), Map.of(),
                new QueuePolicy(RetryPolicy.DEFAULT, 1));
        try (TransferService s = TransferService.start(a, slow, TransferQueue.processOwner(), Clock.systemUTC(),
                Progress.NONE)) {
            s.submit(upload(f, bInA, b));
            awaitTrue(() -> size(partial) > 0, "the upload writes b's partial file");

            assertThat(transfersInProgress(b)).singleElement().satisfies(e -> {
                JsonObject t = e.getAsJsonObject();
                assertThat(t.get("transfer").getAsString()).isEqualTo("download");
                assertThat(t.get("remote").getAsString()).isEqualTo(a.uuid().value());
                assertThat(t.get("key").getAsString()).isEqualTo(f.key().serialize());
                assertThat(t.get("file").getAsString()).isEqualTo(f.path());
            });
            GitAnnex.Outcome get = annex.tryAnnex(b.workTree(), "get", "--key", f.key().serialize(), "--from", "a");
            assertThat(get.exitCode()).as("%s", get).isNotZero();
            assertThat(get.all()).contains("transfer already in progress");
        }
        assertThat(transfersInProgress(b)).as("a stopped upload leaves nothing in progress").isEmpty();
        assertThat(transfersInProgress(a)).isEmpty();
    }
}
