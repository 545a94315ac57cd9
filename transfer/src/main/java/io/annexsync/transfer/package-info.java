/**
 * Moving content between repositories (the transfer engine issue). Here so far: {@code queue}, the persistent
 * transfer queue in {@code state.db}, and {@code record}, git-annex compatible transfer records (status files with
 * their fcntl locks) that any process can read. Still to come: the {@code TransferService} facade with its upload and
 * download workers, resume, verification while receiving and bandwidth limits, and the P2P protocol over TLS. Until
 * then the CLI copies content between local object stores directly through {@code io.annexsync.gitsync.content}.
 */
package io.annexsync.transfer;
