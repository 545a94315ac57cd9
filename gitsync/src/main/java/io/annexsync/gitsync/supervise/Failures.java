package io.annexsync.gitsync.supervise;

/**
 * Which failures leave this process unsafe to go on in. Only a failure of the virtual machine itself is: an {@link
 * OutOfMemoryError}, an {@link InternalError} or an {@link UnknownError} may strike in the middle of any allocation,
 * of any thread, and leave any structure in memory half-updated, so the process stops and the next start resumes from
 * what is on disk. Everything else (an {@link java.io.UncheckedIOException} of a full disk, a {@link
 * StackOverflowError} of a too deep recursion, a {@link LinkageError}, a bug's {@link RuntimeException}) ends the
 * operation it struck, which fails and is tried again. Stateless.
 */
public final class Failures {
    private Failures() {}

    /** Whether {@code e} makes going on unsafe in this process. */
    public static boolean fatal(Throwable e) {
        return e instanceof VirtualMachineError && !(e instanceof StackOverflowError);
    }

    /** Throws {@code e} again when it is {@link #fatal}; returns otherwise, for the caller to handle it. */
    public static void rethrowIfFatal(Throwable e) {
        if (fatal(e)) {
            throw (Error) e;
        }
    }

    /** {@code e}'s message, or its class name when it has none, for a log line. */
    public static String describe(Throwable e) {
        return e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
    }
}
