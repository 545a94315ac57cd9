package io.annexsync.transfer.record;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.annexsync.gitsync.Uuid;
import io.annexsync.gitsync.key.Key;
import io.annexsync.gitsync.testing.GitAnnex;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real git-annex reads the records we write, and cleans the stale ones as we do. */
class TransferRecordsGitAnnexIT {
    private static final Uuid REMOTE = new Uuid("5e1d7c2a-3b4c-4d5e-8f90-a1b2c3d4e5f6");

    @TempDir
    Path tmp;
    private GitAnnex annex;
    private Path repo;
    private Key key;
    private TransferRecords records;

    @BeforeEach
    void setUp() throws Exception {
        GitAnnex.assumeAvailable();
        annex = new GitAnnex(tmp.resolve("home"));
        repo = annex.initAnnexRepo(tmp.resolve("repo"));
        Files.writeString(repo.resolve("a.bin"), "some content for a transfer\n");
        annex.annex(repo, "add", "--quiet", "a.bin");
        key = Key.of(annex.annex(repo, "lookupkey", "a.bin").trim());
        records = new TransferRecords(repo.resolve(".git"));
    }

    private JsonArray transfersInProgress() {
        JsonObject info = JsonParser.parseString(annex.annex(repo, "info", "--json")).getAsJsonObject();
        return info.getAsJsonArray("transfers in progress");
    }

    @Test
    void gitAnnexInfoShowsOurTransfersWhileWeHoldThem() throws Exception {
        try (ActiveTransfer t = records.begin(Direction.DOWNLOAD, REMOTE, key, Optional.of("a.bin")).orElseThrow()) {
            JsonArray shown = transfersInProgress();
            assertThat(shown).hasSize(1);
            JsonObject transfer = shown.get(0).getAsJsonObject();
            assertThat(transfer.get("key").getAsString()).isEqualTo(key.serialize());
            assertThat(transfer.get("transfer").getAsString()).isEqualTo("download");
            assertThat(transfer.get("file").getAsString()).isEqualTo("a.bin");
            assertThat(records.live()).as("git annex info left our lock alone").hasSize(1);
            t.finish();
        }
        assertThat(transfersInProgress()).isEmpty();
    }

    @Test
    void gitAnnexInfoShowsAnUploadAsSuch() throws Exception {
        try (ActiveTransfer t = records.begin(Direction.UPLOAD, REMOTE, key, Optional.empty()).orElseThrow()) {
            t.progress(10);
            assertThat(transfersInProgress()).singleElement().satisfies(e -> {
                assertThat(e.getAsJsonObject().get("key").getAsString()).isEqualTo(key.serialize());
                assertThat(e.getAsJsonObject().get("transfer").getAsString()).isEqualTo("upload");
            });
            t.finish();
        }
    }

    @Test
    void gitAnnexDeletesAStaleRecordWeLeaveUnlocked() throws Exception {
        Path dir = Files.createDirectories(repo.resolve(".git/annex/transfer/download").resolve(REMOTE.value()));
        Path info = dir.resolve(key.keyFile());
        Path lock = dir.resolve("lck." + key.keyFile());
        Files.writeString(info, "1795444757.154513695s\na.bin\n");
        Files.createFile(lock);

        assertThat(transfersInProgress()).isEmpty();
        assertThat(info).doesNotExist();
        assertThat(lock).doesNotExist();
    }
}
