/**
 * What one repository does with one key: the {@link io.annexsync.netmap.plan.TransferPlan} that the {@link
 * io.annexsync.netmap.plan.TransferPlanner} derives from the network map's minimum-cost arborescence (download from
 * the parent, upload to the children: store and forward), or git-annex's flood fill when the map cannot be trusted,
 * with the reason said. Pure computation over {@code graph} and {@code map} values: no transfers, no I/O, no threads.
 */
package io.annexsync.netmap.plan;
