package io.annexsync.gitsync.remote.ssh;

import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.Uuid;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * {@code git-annex-shell} on the far side of an ssh session, run as git-annex runs it as a client
 * (NETWORK.md): {@code configlist DIR} first to learn the repository's uuid, then {@code p2pstdio DIR CLIENT-UUID
 * --uuid SERVER-UUID} for the P2P protocol, and {@code notifychanges DIR} to hear of new commits (NOTIFYCHANGE
 * over p2pstdio kills the connection). DIR is the remote URL's path. {@code configlist} is run without git-annex's
 * {@code autoinit=1}: a plain git repository on the far side is never turned into a git-annex one behind its
 * owner's back.
 *
 * <p>Thread-safe as its session is. The session stays the caller's.
 */
public final class GitAnnexShell {
    private static final String SHELL = "git-annex-shell";
    private static final int COMMAND_NOT_FOUND = 127;

    private final SshSession session;
    private final Duration timeout;

    /** Commands over {@code session}, each bounded by {@code timeout} (configlist's whole run; opening a channel). */
    public GitAnnexShell(SshSession session, Duration timeout) {
        this.session = Objects.requireNonNull(session, "session");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /**
     * What {@code git-annex-shell configlist} printed: its {@code key=value} lines ({@code annex.uuid},
     * {@code core.gcrypt-id}, more on newer git-annex) and the repository's uuid.
     */
    public record ConfigList(Map<String, String> values, Uuid uuid) {
        public ConfigList {
            values = Map.copyOf(values);
            Objects.requireNonNull(uuid, "uuid");
        }
    }

    /**
     * Runs {@code configlist} and returns the far repository's settings.
     *
     * @throws NoGitAnnexException if the far side has no git-annex-shell, no git repository at the path, or a
     *     repository without git-annex (the message says which)
     * @throws RepoException if the command cannot run or does not finish within the timeout
     */
    public ConfigList configlist() throws RepoException {
        String where = session.url().where() + ":" + session.url().path();
        try (ExecChannel ch = session.exec(List.of(SHELL, "configlist", session.url().path()), timeout)) {
            ch.stdin().close();
            OptionalInt code = ch.waitFor(timeout);
            if (code.isEmpty()) {
                throw new RepoException("git-annex-shell configlist on " + where + " did not finish within "
                        + timeout.toSeconds() + " s");
            }
            String out = new String(ch.stdout().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(ch.stderr().readAllBytes(), StandardCharsets.UTF_8).strip();
            return parse(where, code.getAsInt(), out, err);
        } catch (IOException e) {
            throw new RepoException("cannot read what git-annex-shell configlist printed on " + where, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RepoException("interrupted waiting for git-annex-shell configlist on " + where);
        }
    }

    static ConfigList parse(String where, int code, String out, String err) throws NoGitAnnexException {
        if (code == COMMAND_NOT_FOUND) {
            throw new NoGitAnnexException(where + " has no git-annex installed (git-annex-shell not found)"
                    + suffix(err));
        }
        if (code != 0) {
            throw new NoGitAnnexException("git-annex-shell on " + where + " failed (exit " + code + ")" + suffix(err));
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq), line.substring(eq + 1).strip());
            }
        }
        String text = values.getOrDefault("annex.uuid", "");
        if (text.isEmpty()) {
            String why = err.contains("not a git repository") ? " is not a git repository"
                    : " is a git repository without git-annex (run 'git annex init' there to use it for content)";
            throw new NoGitAnnexException(where + why + suffix(err));
        }
        Optional<Uuid> uuid = Uuid.parse(text);
        if (uuid.isEmpty()) {
            throw new NoGitAnnexException(where + " has annex.uuid '" + text + "', which is not a repository uuid");
        }
        return new ConfigList(values, uuid.get());
    }

    private static String suffix(String err) {
        return err.isEmpty() ? "" : ": " + err.lines().reduce((a, b) -> b).orElse("");
    }

    /**
     * Starts {@code p2pstdio}: git-annex's P2P protocol over the channel's streams, the server speaking first
     * ({@code AUTH-SUCCESS <server-uuid>}). git-annex-shell refuses to serve when the far repository's uuid is not
     * {@code server} (a moved or replaced repository), which it says on stderr before it ends.
     */
    public ExecChannel p2pstdio(Uuid client, Uuid server) throws RepoException {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(server, "server");
        return session.exec(List.of(SHELL, "p2pstdio", session.url().path(), client.value(), "--uuid",
                server.value()), timeout);
    }

    /**
     * Starts {@code notifychanges}, telling {@code events} of every change of the far repository's refs until the
     * returned listener is closed.
     */
    public ChangeListener notifychanges(ChangeListener.Events events) throws RepoException {
        Objects.requireNonNull(events, "events");
        ExecChannel ch = session.exec(List.of(SHELL, "notifychanges", session.url().path()), timeout);
        return ChangeListener.start(ch, session.url().where() + ":" + session.url().path(), events);
    }
}
