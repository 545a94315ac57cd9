/** The figures {@code info} reports, as records, and git-annex's way of writing sizes. */
package io.annexsync.gitsync.info;
