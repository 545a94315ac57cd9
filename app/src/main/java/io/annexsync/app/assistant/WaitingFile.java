package io.annexsync.app.assistant;

import io.annexsync.gitsync.AnnexedFile;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * An annexed file whose content this repository wants and lacks, and why it is not here yet: what {@code status}
 * lists under "waiting for content".
 *
 * @param file the file and the key of its content
 * @param state what is being done about it
 * @param detail the remote asked, the remotes not reachable, or the error, as the state needs
 * @param since when it was first found missing (kept while only the reason changes)
 */
record WaitingFile(AnnexedFile file, State state, String detail, Instant since) {
    /** What is being done about a missing file. */
    enum State {
        /** A download from {@code detail} (a remote) is queued or running. */
        DOWNLOADING,
        /** No location log names a repository that has it (yet: the git-annex branch may bring one). */
        NO_KNOWN_COPY,
        /** The only repositories that have it are dead. */
        ONLY_DEAD_COPIES,
        /** The remotes that have it ({@code detail}) are not reachable now. */
        UNREACHABLE,
        /** The only remotes that have it ({@code detail}) are set to {@code annex-ignore}: never used for content. */
        IGNORED,
        /** The repositories that have it ({@code detail}) are no remote of this one; a peer may forward it. */
        NOT_A_REMOTE,
        /** The download failed as often as the queue allows ({@code detail}: the error); asked for again later. */
        FAILED
    }

    WaitingFile {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(since, "since");
    }

    /** Why the content is not here, for a person: {@code waiting for content from a}, {@code no known copy}... */
    String reason() {
        return switch (state) {
            case DOWNLOADING -> "waiting for content from " + detail;
            case NO_KNOWN_COPY -> "no known copy";
            case ONLY_DEAD_COPIES -> "no known copy (only dead repositories had it: " + detail + ")";
            case UNREACHABLE -> detail + " unreachable";
            case IGNORED -> "held by " + detail + " only, a remote set to annex-ignore here";
            case NOT_A_REMOTE -> "held by " + detail + " only, not a remote here (waiting for a peer to forward it)";
            case FAILED -> "transfer failed: " + detail;
        };
    }

    /** Whether only a new event (a location log, a remote coming back, the retry) can change its state. */
    boolean stalled() {
        return state != State.DOWNLOADING;
    }

    /** The same file in another state, still counted from when it was first found missing. */
    WaitingFile now(State newState, String newDetail) {
        return new WaitingFile(file, newState, newDetail, since);
    }

    /** The entry of {@code daemon.json}'s {@code waiting} list. */
    Map<String, Object> json() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("file", file.path());
        o.put("key", file.key().serialize());
        o.put("state", state.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        if (state == State.DOWNLOADING) {
            o.put("remote", detail);
        }
        o.put("reason", reason());
        o.put("since", since.toString());
        return o;
    }
}
