package io.annexsync.app.assistant;

import static org.assertj.core.api.Assertions.assertThat;

import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.AnnexedFile;
import io.annexsync.gitsync.Uuid;
import io.annexsync.gitsync.key.Key;
import io.annexsync.gitsync.remote.RemoteConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.lib.StoredConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a missing file can be got from, and why not when it cannot: real repositories, real location logs. */
class ContentPlanTest {
    private static final Key PHOTO = Key.of("SHA256E-s5--" + "%064x".formatted(5) + ".jpg");
    private static final AnnexedFile FILE = new AnnexedFile("photo.jpg", PHOTO, false);
    private static final Uuid DRIVE = new Uuid("0b9c5a1e-1111-4a8b-9d0e-2f6a7b9c1d3e");
    private static final Uuid FRIEND = new Uuid("0b9c5a1e-2222-4a8b-9d0e-2f6a7b9c1d3e");
    private static final Uuid OLD = new Uuid("0b9c5a1e-3333-4a8b-9d0e-2f6a7b9c1d3e");
    private static final Uuid NAS = new Uuid("0b9c5a1e-4444-4a8b-9d0e-2f6a7b9c1d3e");

    @TempDir
    Path tmp;
    private AnnexRepo a;
    private AnnexRepo b;
    private AnnexRepo c;

    @BeforeEach
    void repos() throws Exception {
        AnnexRepo.init(tmp.resolve("a"), Optional.of("a"), "a");
        AnnexRepo.init(tmp.resolve("b"), Optional.of("b"), "b");
        AnnexRepo.init(tmp.resolve("c"), Optional.of("c"), "c");
        a = AnnexRepo.open(tmp.resolve("a"));
        b = AnnexRepo.open(tmp.resolve("b"));
        c = AnnexRepo.open(tmp.resolve("c"));
        StoredConfig config = b.git().getConfig();
        config.setString("remote", "a", "url", a.workTree().toString());
        config.setString("remote", "a", "annex-uuid", a.uuid().value());
        config.setString("remote", "c", "url", c.workTree().toString());
        config.setString("remote", "c", "annex-uuid", c.uuid().value());
        config.setString("remote", "drive", "url", tmp.resolve("not-mounted").toString());
        config.setString("remote", "drive", "annex-uuid", DRIVE.value());
        config.setString("remote", "nas", "url", c.workTree().toString());
        config.setString("remote", "nas", "annex-uuid", NAS.value());
        config.setBoolean("remote", "nas", "annex-ignore", true);
        config.save();
        b.branch().describe(FRIEND, "friend's laptop");
    }

    @AfterEach
    void close() {
        a.close();
        b.close();
        c.close();
    }

    private WaitingFile why() throws Exception {
        try (ContentPlan plan = ContentPlan.of(b, Clock.systemUTC(), List.of(FILE))) {
            assertThat(plan.downloadFrom(PHOTO)).as("no remote to ask").isEmpty();
            return plan.whyNot(new WaitingFile(FILE, WaitingFile.State.NO_KNOWN_COPY, "", Instant.EPOCH));
        }
    }

    @Test
    void aFileNoLogNamesHasNoKnownCopy() throws Exception {
        assertThat(why().reason()).isEqualTo("no known copy");
    }

    @Test
    void aFileAReachableRemoteHasIsAskedOfIt() throws Exception {
        b.branch().setLocation(PHOTO, a.uuid(), true);
        try (ContentPlan plan = ContentPlan.of(b, Clock.systemUTC(), List.of(FILE))) {
            assertThat(plan.downloadFrom(PHOTO)).extracting(RemoteConfig::name).containsExactly("a");
        }
    }

    /** Every reachable holder is a source (the queue falls through to the next); the unreachable one is not. */
    @Test
    void aFileSeveralRemotesHaveIsAskedOfEveryReachableOne() throws Exception {
        b.branch().setLocation(PHOTO, a.uuid(), true);
        b.branch().setLocation(PHOTO, c.uuid(), true);
        b.branch().setLocation(PHOTO, DRIVE, true);
        try (ContentPlan plan = ContentPlan.of(b, Clock.systemUTC(), List.of(FILE))) {
            assertThat(plan.downloadFrom(PHOTO)).extracting(RemoteConfig::name).containsExactlyInAnyOrder("a", "c");
        }
    }

    /** A copy recorded in the log but whose repository git-annex trusts as dead is never a source. */
    @Test
    void aDeadRemoteIsNotAskedEvenWhenItIsReachable() throws Exception {
        b.branch().setLocation(PHOTO, a.uuid(), true);
        b.branch().change("trust.log", log -> a.uuid().value() + " X timestamp=1s\n");
        WaitingFile w = why();
        assertThat(w.state()).isEqualTo(WaitingFile.State.ONLY_DEAD_COPIES);
        assertThat(w.reason()).isEqualTo("no known copy (only dead repositories had it: a)");
    }

    /** This repository's own (stale) location log line is not a copy to wait for. */
    @Test
    void aLogThatNamesOnlyThisRepositoryIsNoKnownCopy() throws Exception {
        b.branch().setLocation(PHOTO, b.uuid(), true);
        assertThat(why().state()).isEqualTo(WaitingFile.State.NO_KNOWN_COPY);
    }

    /** A remote set to annex-ignore is never asked, and the reason says so rather than calling it unreachable. */
    @Test
    void aFileOnlyAnIgnoredRemoteHasSaysTheRemoteIsIgnored() throws Exception {
        b.branch().setLocation(PHOTO, NAS, true);
        WaitingFile w = why();
        assertThat(w.state()).isEqualTo(WaitingFile.State.IGNORED);
        assertThat(w.reason()).isEqualTo("held by nas only, a remote set to annex-ignore here");
        assertThat(w.json()).containsEntry("state", "ignored").containsEntry("file", "photo.jpg")
                .containsEntry("key", PHOTO.serialize()).doesNotContainKey("remote");
    }

    /** With an unreachable holder and a stranger, the remote that may come back is named. */
    @Test
    void anUnreachableRemoteIsNamedBeforeARepositoryThatIsNoRemote() throws Exception {
        b.branch().setLocation(PHOTO, FRIEND, true);
        b.branch().setLocation(PHOTO, DRIVE, true);
        b.branch().setLocation(PHOTO, NAS, true);
        assertThat(why().reason()).isEqualTo("drive unreachable");
    }

    /**
     * The remotes whose folder is not there now (a drive not mounted) are named, so that the daemon syncs with them
     * when they are back; an ignored one is not, nor is one that is there.
     */
    @Test
    void namesTheRemotesThatAreNotThere() throws Exception {
        try (ContentPlan plan = ContentPlan.of(b, Clock.systemUTC(), List.of(FILE))) {
            assertThat(plan.unreachable()).extracting(RemoteConfig::name).containsExactly("drive");
        }
    }

    @Test
    void aFileOnlyARemoteThatIsNotThereHasWaitsForIt() throws Exception {
        b.branch().setLocation(PHOTO, DRIVE, true);
        WaitingFile w = why();
        assertThat(w.state()).isEqualTo(WaitingFile.State.UNREACHABLE);
        assertThat(w.reason()).isEqualTo("drive unreachable");
    }

    @Test
    void aFileOnlyAStrangerHasWaitsForAPeerToForwardIt() throws Exception {
        b.branch().setLocation(PHOTO, FRIEND, true);
        assertThat(why().reason()).isEqualTo("held by friend's laptop only, not a remote here (waiting for a peer to "
                + "forward it)");
    }

    @Test
    void aFileOnlyDeadRepositoriesHadHasNoKnownCopy() throws Exception {
        b.branch().setLocation(PHOTO, OLD, true);
        b.branch().describe(OLD, "old disk");
        b.branch().change("trust.log", c -> OLD.value() + " X timestamp=1s\n");
        WaitingFile w = why();
        assertThat(w.state()).isEqualTo(WaitingFile.State.ONLY_DEAD_COPIES);
        assertThat(w.reason()).isEqualTo("no known copy (only dead repositories had it: old disk)");
        assertThat(w.since()).as("still counted from when it was first missed").isEqualTo(Instant.EPOCH);
    }
}
