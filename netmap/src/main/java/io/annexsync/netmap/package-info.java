/**
 * The network map: repositories (UUIDs) and the links between them with costs, the minimum-cost arborescence that
 * routes each file, the transfer plan derived from it, mDNS discovery and map rendering. It knows nothing of git or
 * Netty; the network map issue fills it.
 */
package io.annexsync.netmap;
