package io.annexsync.gitsync.sync;

/** How a push to one remote ended, from the best to the worst a person has to care about. */
public enum PushStatus {
    /** At least one ref was updated on the remote, and none was refused. */
    OK,
    /** The remote already had every ref we pushed. */
    UP_TO_DATE,
    /** The remote refused a non-forced ref because it has commits we lack: fetch, merge, push again. */
    REJECTED,
    /** The remote could not be reached (missing path, transport error) or did not answer before the deadline. */
    UNREACHABLE,
    /** The push ran but failed for another reason (refused by a hook, bad ref, internal error). */
    FAILED
}
