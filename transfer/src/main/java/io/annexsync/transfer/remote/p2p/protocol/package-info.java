/**
 * git-annex's P2P protocol (git-annex's {@code doc/design/p2p_protocol.mdwn}, versions 0 and 1): the messages as
 * records ({@link io.annexsync.transfer.remote.p2p.protocol.P2PMessage}), their text form
 * ({@link io.annexsync.transfer.remote.p2p.protocol.P2PCodec}), one framing parser
 * ({@link io.annexsync.transfer.remote.p2p.protocol.FrameParser}) behind both a Netty decoder and a blocking reader,
 * a blocking client ({@link io.annexsync.transfer.remote.p2p.protocol.P2PClient}) that runs over any byte pipe
 * (git-annex-shell's stdio, an ssh channel, a TLS connection) and a server for this repository
 * ({@link io.annexsync.transfer.remote.p2p.protocol.P2PServerHandler} in a Netty pipeline, its blocking work on a
 * virtual thread per connection). Everything read here is untrusted: lines are bounded, keys and file names checked,
 * content verified before it enters the store. Transport (TLS, ssh), pinning and the daemon's wiring live elsewhere.
 */
package io.annexsync.transfer.remote.p2p.protocol;
