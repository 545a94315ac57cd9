/**
 * Content steps on top of the engine and the remotes: {@code sync --content} ({@link
 * io.annexsync.transfer.content.ContentSync}, along a {@link io.annexsync.transfer.content.ContentRouting}) and
 * {@code drop} ({@link io.annexsync.transfer.content.Dropper}, numcopies with the remote copies locked).
 */
package io.annexsync.transfer.content;
