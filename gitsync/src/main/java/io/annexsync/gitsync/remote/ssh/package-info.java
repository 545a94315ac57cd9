/**
 * Remotes reached over ssh, as git-annex reaches them: the URL forms git reads ({@link
 * io.annexsync.gitsync.remote.ssh.SshUrl}), git fetch and push through JGit's Apache MINA sshd transport with the
 * user's ssh keys, config and known_hosts (host keys checked strictly), and commands run on the far side over the
 * same kind of session: {@code git-annex-shell configlist}, {@code p2pstdio} as a pair of streams for the P2P
 * protocol client, and {@code notifychanges}. The P2P protocol itself and moving content live in {@code transfer};
 * nothing here parses P2P messages.
 */
package io.annexsync.gitsync.remote.ssh;
