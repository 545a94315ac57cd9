/**
 * The persistent transfer queue: which keys to send to or fetch from which remote, in what order, and what to do after
 * a failure. {@link io.annexsync.transfer.queue.TransferQueue} keeps the queue in table {@code transfer_queue} of
 * {@code .git/annex-sync/state.db}, so it survives a crash, and lets several workers, instances and processes claim
 * items without ever handing one item to two of them. Values only come in and out ({@code TransferRequest},
 * {@code QueueItem}, {@code Claimed}); nothing here moves content, talks to a remote or starts a thread: the transfer
 * workers that do live elsewhere in this module and call the queue.
 */
package io.annexsync.transfer.queue;
