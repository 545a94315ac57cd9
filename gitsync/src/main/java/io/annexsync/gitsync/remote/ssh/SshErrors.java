package io.annexsync.gitsync.remote.ssh;

import java.util.ArrayList;
import java.util.List;

/** Turns what JGit and sshd throw into one line a person can act on. */
public final class SshErrors {
    private SshErrors() {}

    /**
     * The refused host key's own message when that is the reason (it says what to do), else the distinct messages
     * of {@code e} and its causes, joined.
     */
    public static String explain(Throwable e) {
        List<String> messages = new ArrayList<>();
        for (Throwable t = e; t != null && messages.size() < 6; t = t.getCause()) {
            if (t instanceof HostKeyRefusedException refused) {
                return refused.getMessage();
            }
            for (Throwable s : t.getSuppressed()) {
                if (s instanceof HostKeyRefusedException refused) {
                    return refused.getMessage();
                }
            }
            String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            if (messages.stream().noneMatch(seen -> seen.contains(m))) {
                messages.add(m);
            }
        }
        return String.join(": ", messages);
    }
}
