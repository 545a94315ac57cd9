package io.annexsync.gitsync.remote.ssh;

import io.annexsync.gitsync.RepoException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.eclipse.jgit.transport.RemoteSession;

/**
 * One logged-in ssh connection to a remote's host, on which commands run as {@link ExecChannel}s, each a channel of
 * its own (several may run at once). Commands go through the far account's login shell, as with OpenSSH's
 * {@code ssh host command}: each argument is quoted for a POSIX shell.
 *
 * <p>Thread-safe. Whoever opened it closes it, after its channels.
 */
public final class SshSession implements AutoCloseable {
    private final SshUrl url;
    private final RemoteSession session;

    SshSession(SshUrl url, RemoteSession session) {
        this.url = url;
        this.session = session;
    }

    /** The remote this session logged in to. */
    public SshUrl url() {
        return url;
    }

    /**
     * Starts {@code argv} on the far side, waiting at most {@code timeout} for the channel to open.
     *
     * @throws RepoException if the channel cannot be opened (the connection dropped)
     */
    public ExecChannel exec(List<String> argv, Duration timeout) throws RepoException {
        Objects.requireNonNull(argv, "argv");
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("no command");
        }
        String command = argv.stream().map(SshSession::quote).collect(Collectors.joining(" "));
        try {
            Process p = session.exec(command, (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toSeconds())));
            return new ExecChannel(command, p);
        } catch (IOException | RuntimeException e) {
            throw new RepoException("cannot run " + argv.get(0) + " on " + url.where() + ": "
                    + SshErrors.explain(e), e);
        }
    }

    /** {@code arg} as one word for a POSIX shell: bare when it is plainly safe, else in single quotes. */
    static String quote(String arg) {
        if (!arg.isEmpty() && arg.matches("[A-Za-z0-9_@%+=:,./-]+") && !arg.startsWith("~")) {
            return arg;
        }
        return "'" + arg.replace("'", "'\\''") + "'";
    }

    @Override
    public void close() {
        session.disconnect();
    }
}
