package io.annexsync.gitsync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import org.eclipse.jgit.transport.RemoteRefUpdate.Status;
import org.junit.jupiter.api.Test;

class PushReportTest {
    @Test
    void mapsEveryJGitRefStatus() {
        assertThat(PushReport.classify(Status.OK, null)).isEqualTo(PushStatus.OK);
        assertThat(PushReport.classify(Status.UP_TO_DATE, null)).isEqualTo(PushStatus.UP_TO_DATE);
        assertThat(PushReport.classify(Status.REJECTED_NONFASTFORWARD, null)).isEqualTo(PushStatus.REJECTED);
        assertThat(PushReport.classify(Status.REJECTED_REMOTE_CHANGED, null)).isEqualTo(PushStatus.REJECTED);
        for (Status s : new Status[] {
            Status.NOT_ATTEMPTED, Status.AWAITING_REPORT, Status.NON_EXISTING, Status.REJECTED_NODELETE,
            Status.REJECTED_OTHER_REASON
        }) {
            assertThat(PushReport.classify(s, "pre-receive hook declined")).as(s.name()).isEqualTo(PushStatus.FAILED);
        }
    }

    @Test
    void aRefTheRemoteCouldNotLockIsRejectedSoItIsMergedAndPushedAgain() {
        assertThat(PushReport.classify(Status.REJECTED_OTHER_REASON, "failed to lock")).isEqualTo(PushStatus.REJECTED);
        assertThat(PushReport.classify(Status.REJECTED_OTHER_REASON, null)).isEqualTo(PushStatus.FAILED);
    }
}
