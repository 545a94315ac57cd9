/**
 * git-annex compatible transfer records under {@code .git/annex/transfer/}: the info file that says a key is being
 * uploaded to or downloaded from a remote, the {@code lck.} file whose fcntl write lock proves the transfer is alive,
 * and the {@code failed/} records left by transfers that did not finish (FORMAT.md section 7). Both git-annex and
 * annex-sync processes read and clean these files, so the byte format and the locking rules here are the interop
 * contract. Also here, sharing the JVM's lock registry: annex-sync's own lock on a partial file (under {@code
 * .git/annex-sync/partial/}), which git-annex does not know. This package knows no queue, worker or protocol: the
 * transfer engine calls {@link io.annexsync.transfer.record.TransferRecords} around each transfer it runs.
 */
package io.annexsync.transfer.record;
