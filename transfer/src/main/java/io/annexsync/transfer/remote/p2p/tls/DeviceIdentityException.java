package io.annexsync.transfer.remote.p2p.tls;

import java.io.IOException;

/** This device's identity could not be read or made: the message names the file and what to do. */
public final class DeviceIdentityException extends IOException {
    private static final long serialVersionUID = 1L;

    public DeviceIdentityException(String message) {
        super(message);
    }

    public DeviceIdentityException(String message, Throwable cause) {
        super(message, cause);
    }
}
