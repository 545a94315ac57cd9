package io.annexsync.transfer.remote;

/** The transfer is to stop (its engine is closing): what was moved so far is kept for the next try. */
public final class Stopped extends Exception {
    private static final long serialVersionUID = 1L;

    public Stopped() {
        super("stopping");
    }
}
