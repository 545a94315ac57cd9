/**
 * Who a peer is and the mutual-TLS connection to it: this device's {@link
 * io.annexsync.transfer.remote.p2p.tls.DeviceIdentity} (key and self-signed certificate) and its {@link
 * io.annexsync.transfer.remote.p2p.tls.DeviceId}, the pinned peers under {@code .git/annex-sync/peers/}, the trust
 * manager that lets in exactly those, the {@code PeerListener} (server) and {@code PeerConnector} (client) that hand an
 * authenticated {@code PeerConnection} (a Netty pipeline, or blocking streams) to whatever speaks over it. No protocol
 * message lives here except the acceptance line {@code AUTH-SUCCESS <uuid>}; git-annex's P2P protocol is in
 * {@code io.annexsync.transfer.remote.p2p.protocol}.
 */
package io.annexsync.transfer.remote.p2p.tls;
