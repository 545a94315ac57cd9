/**
 * Git over a peer: the JGit transport for {@code p2p-annex::annexsync:DEVICE-ID} remotes. A fetch or push connects
 * to the pinned peer with mutual TLS, speaks git-annex's P2P protocol and runs {@code git-upload-pack} or
 * {@code git-receive-pack} through {@code CONNECT}, one git operation per connection.
 */
package io.annexsync.transfer.remote.p2p.git;
