/**
 * What the failure of a thread means, and the supervision of long-running loops: {@link
 * io.annexsync.gitsync.supervise.Failures} tells an error that makes going on unsafe in this process (the heap or the
 * VM failed) from one that ends only the operation it struck; {@link io.annexsync.gitsync.supervise.Supervisor}
 * starts a loop again, with a back-off, after it failed unexpectedly, logging each cause once. No thread is made here:
 * the owner of a thread runs its loop under a supervisor.
 */
package io.annexsync.gitsync.supervise;
