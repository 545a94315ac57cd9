package io.annexsync.transfer.remote.p2p.tls;

import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import javax.net.ssl.SSLException;

/** The Netty TLS contexts of both roles: TLS 1.3 only, this device's key, trust only through a pinning manager. */
final class TlsContexts {
    static final String PROTOCOL = "TLSv1.3";
    /** Outbound bytes queued before a channel counts as not writable (Netty's default, 64 KiB, stalls bulk writes). */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(512 << 10, 1 << 20);

    private TlsContexts() {}

    /** The listener's context: the client must present a pinned certificate ({@code clientAuth REQUIRE}). */
    static SslContext server(DeviceIdentity identity, PinningTrustManager trust) throws SSLException {
        return SslContextBuilder.forServer(identity.key(), identity.certificate())
                .sslProvider(SslProvider.JDK)
                .protocols(PROTOCOL)
                .clientAuth(ClientAuth.REQUIRE)
                .trustManager(trust)
                .build();
    }

    /** A connector's context: presents our certificate, trusts the pinned one, checks no host name. */
    static SslContext client(DeviceIdentity identity, PinningTrustManager trust) throws SSLException {
        return SslContextBuilder.forClient()
                .sslProvider(SslProvider.JDK)
                .protocols(PROTOCOL)
                .keyManager(identity.key(), identity.certificate())
                .trustManager(trust)
                .endpointIdentificationAlgorithm(null)
                .build();
    }
}
