package io.annexsync.transfer.remote.p2p.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.annexsync.gitsync.key.Key;
import io.annexsync.gitsync.testing.GitAnnex;
import io.annexsync.transfer.record.TransferRecords;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile and broken peers against the server over real TCP: each is answered as git-annex answers, or disconnected
 * with a log line naming what it did, and nothing stored is touched (the objects and their hashes are the same
 * before and after; real {@code git annex fsck} passes).
 */
class P2PServerHostileIT {
    private static final byte[] CONTENT = "what the key says\n".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path tmp;
    private ServerFixture f;
    private Map<String, String> before;
    private Key key;

    @BeforeEach
    void setUp() throws Exception {
        GitAnnex.assumeAvailable();
        f = new ServerFixture(tmp, Duration.ofSeconds(2), ServerFixture.KNOWN);
        key = f.keyOf(CONTENT, "k.txt");
        before = f.objects();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (f != null) {
            assertThat(f.objects()).as("nothing stored was touched").isEqualTo(before);
            assertThat(f.repo.store().contains(key)).isFalse();
            f.assertFsckPasses();
            f.close();
        }
    }

    private Path partial() {
        return f.repo.gitDir().resolve("annex/tmp").resolve(key.keyFile());
    }

    @Test
    void anOverLongLineIsAnsweredWithAnErrorAndThePeerDisconnected() throws Exception {
        try (ServerFixture.Raw raw = f.raw().hello()) {
            raw.bytes(("CHECKPRESENT " + "x".repeat(40_000)).getBytes(StandardCharsets.US_ASCII));
            assertThat(raw.next()).isEqualTo(new P2PMessage.Error("protocol error: line longer than 32768 bytes"));
            assertThat(raw.closedByServer()).isTrue();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> f.logged("broke the protocol (line longer than 32768"));
    }

    @Test
    void anUnknownMessageIsAnsweredAsGitAnnexDoesAndTheSessionGoesOn() throws Exception {
        try (ServerFixture.Raw raw = f.raw().hello()) {
            for (String line : new String[] {"GETTIMESTAMP", "BYPASS " + ServerFixture.CLIENT, "hello there"}) {
                raw.line(line);
                assertThat(raw.next()).isEqualTo(new P2PMessage.Error("unknown command"));
            }
            raw.line("CHECKPRESENT " + f.hello);
            assertThat(raw.next()).isEqualTo(new P2PMessage.Success());
        }
        assertThat(f.logged("sent 'GETTIMESTAMP'")).isTrue();
    }

    @Test
    void badKeysAndFileNamesAreRefusedWithoutTouchingAnything() throws Exception {
        String[] lines = {"CHECKPRESENT SHA256E-s1--../../../etc", "REMOVE SHA256E-s12--a/b", "LOCKCONTENT ..",
            "GET 0 ../../etc/passwd " + f.hello, "GET 0 /etc/passwd " + f.hello, "PUT a/../../b " + key,
            "PUT a\u0001b " + key, "REMOVE WORM-s1-m1--a\u0000b", "PUT ok.txt not-a-key"};
        try (ServerFixture.Raw raw = f.raw().hello()) {
            for (String line : lines) {
                raw.line(line);
                assertThat(raw.next()).as(line).isEqualTo(new P2PMessage.Error("unknown command"));
            }
            raw.line("CHECKPRESENT " + f.hello);
            assertThat(raw.next()).isEqualTo(new P2PMessage.Success());
        }
        assertThat(partial()).doesNotExist();
        assertThat(f.logged("file name with a '..' component")).isTrue();
        assertThat(f.logged("key holds '/' or '..'")).isTrue();
    }

    @Test
    void aConnectToAnotherServiceIsRefused() throws Exception {
        try (ServerFixture.Raw raw = f.raw().hello()) {
            raw.line("CONNECT git-upload-archive");
            assertThat(raw.next()).isEqualTo(new P2PMessage.Error("unknown command"));
            raw.line("CONNECT sh -c 'rm -rf /'");
            assertThat(raw.next()).isEqualTo(new P2PMessage.Error("unknown command"));
            raw.line("CHECKPRESENT " + f.hello);
            assertThat(raw.next()).isEqualTo(new P2PMessage.Success());
        }
        assertThat(f.logged("CONNECT to a service other than")).isTrue();
    }

    @Test
    void dataLongerThanItsKeyDisconnectsBeforeAByteIsWritten() throws Exception {
        try (ServerFixture.Raw raw = f.raw().hello()) {
            raw.line("PUT k.txt " + key);
            assertThat(raw.next()).isEqualTo(new P2PMessage.PutFrom(0));
            raw.line("DATA 1000000000000");
            assertThat(raw.closedByServer()).isTrue();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> f.logged("longer than its content; disconnected"));
        assertThat(partial()).doesNotExist();
    }

    @Test
    void bytesBeyondTheAnnouncedDataAreNotTakenForContent() throws Exception {
        try (ServerFixture.Raw raw = f.raw().hello()) {
            raw.line("PUT k.txt " + key);
            assertThat(raw.next()).isEqualTo(new P2PMessage.PutFrom(0));
            raw.line("DATA 10").bytes(CONTENT).line("VALID");
            assertThat(raw.closedByServer()).isTrue();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> f.logged("where VALID or INVALID was due; disconnected"));
    }

    @Test
    void dataShorterThanAnnouncedKeepsThePartialForResumeAndStoresNothing() throws Exception {
        try (ServerFixture.Raw raw = f.raw().hello()) {
            raw.line("PUT k.txt " + key);
            assertThat(raw.next()).isEqualTo(new P2PMessage.PutFrom(0));
            raw.line("DATA " + CONTENT.length).bytes(java.util.Arrays.copyOf(CONTENT, 7));
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(partial()) && Files.size(partial()) == 7);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> new TransferRecords(f.repo.gitDir()).live().isEmpty());
        assertThat(Files.readAllBytes(partial())).isEqualTo(java.util.Arrays.copyOf(CONTENT, 7));
        try (ServerFixture.Raw raw = f.raw().hello()) {
            raw.line("PUT k.txt " + key);
            assertThat(raw.next()).as("the next PUT resumes").isEqualTo(new P2PMessage.PutFrom(7));
        }
    }

    @Test
    void aPeerThatStallsInsideDataIsDroppedAfterTheIdleTimeout() throws Exception {
        try (ServerFixture.Raw raw = f.raw().hello()) {
            raw.line("PUT k.txt " + key);
            assertThat(raw.next()).isEqualTo(new P2PMessage.PutFrom(0));
            raw.line("DATA " + CONTENT.length).bytes(java.util.Arrays.copyOf(CONTENT, 5));
            assertThat(raw.closedByServer()).isTrue();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> f.logged("sent nothing for 2 s"));
    }

    @Test
    void contentNotMatchingItsKeyGetsFailureAndNothingStored() throws Exception {
        byte[] lie = "WHAT THE KEY SAYS\n".getBytes(StandardCharsets.UTF_8);
        try (ServerFixture.Raw raw = f.raw().hello()) {
            raw.line("PUT k.txt " + key);
            assertThat(raw.next()).isEqualTo(new P2PMessage.PutFrom(0));
            raw.line("DATA " + lie.length).bytes(lie).line("VALID");
            assertThat(raw.next()).isEqualTo(new P2PMessage.Failure());
        }
        assertThat(partial()).doesNotExist();
        assertThat(f.logged("sent content that does not match " + key)).isTrue();
    }

    @Test
    void aPeersErrorOrUnexpectedDataDisconnectsIt() throws Exception {
        try (ServerFixture.Raw raw = f.raw().hello()) {
            raw.line("ERROR I am confused");
            assertThat(raw.closedByServer()).isTrue();
        }
        try (ServerFixture.Raw raw = f.raw().hello()) {
            raw.line("DATA 5").bytes("hello".getBytes(StandardCharsets.US_ASCII));
            assertThat(raw.closedByServer()).isTrue();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> f.logged("sent ERROR I am confused; disconnected"));
        await().atMost(Duration.ofSeconds(10)).until(() -> f.logged("where no content was due; disconnected"));
    }
}
