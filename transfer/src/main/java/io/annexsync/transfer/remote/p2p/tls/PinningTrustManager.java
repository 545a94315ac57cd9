package io.annexsync.transfer.remote.p2p.tls;

import java.net.Socket;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts exactly the pinned device ids, in both roles: the peer must present exactly one certificate, whose SHA-256 is
 * pinned and is not this device's own id. Neither a certificate authority nor a host name counts: being an {@link
 * X509ExtendedTrustManager}, the JDK does no host name check of its own (a plain {@code X509TrustManager} would get
 * Netty 4.2 client's default HTTPS endpoint identification, "No subject alternative names present").
 *
 * <p>The pinned set is asked for at every handshake (so a new pin counts at once). The last id refused is kept, so a
 * connector can say which certificate the peer presented. Thread-safe.
 */
public final class PinningTrustManager extends X509ExtendedTrustManager {
    private static final X509Certificate[] NONE = new X509Certificate[0];

    private final Supplier<Set<DeviceId>> pinned;
    private final DeviceId own;
    private volatile DeviceId lastRefused;

    /**
     * @param pinned the ids let in, asked for at every handshake
     * @param own this device's id, always refused (a peer presenting our own certificate has stolen it, or is us)
     */
    public PinningTrustManager(Supplier<Set<DeviceId>> pinned, DeviceId own) {
        this.pinned = Objects.requireNonNull(pinned, "pinned");
        this.own = Objects.requireNonNull(own, "own");
    }

    /** The device id most recently refused, if any. */
    public Optional<DeviceId> lastRefused() {
        return Optional.ofNullable(lastRefused);
    }

    /**
     * The id of the one certificate in {@code chain}, if it is pinned.
     *
     * @throws CertificateException naming what is wrong (the message reaches the log of the refusing side)
     */
    public DeviceId check(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length != 1) {
            throw new CertificateException("a peer presents exactly one certificate, not "
                    + (chain == null ? 0 : chain.length));
        }
        DeviceId id;
        try {
            id = DeviceId.ofCertificate(chain[0].getEncoded());
        } catch (CertificateEncodingException e) {
            throw new CertificateException("the peer's certificate cannot be encoded", e);
        }
        if (id.equals(own)) {
            lastRefused = id;
            throw new CertificateException("the peer presents this device's own id " + id);
        }
        if (!pinned.get().contains(id)) {
            lastRefused = id;
            throw new CertificateException("device id " + id + " is not pinned");
        }
        return id;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        check(chain);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return NONE;
    }
}
