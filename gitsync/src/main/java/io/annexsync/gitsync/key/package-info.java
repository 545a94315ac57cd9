/**
 * git-annex keys: parsing and serialising them exactly (FORMAT.md §2), the hash backends that make and verify them,
 * the SHA256E extension rule, keyFile escaping and the hash directories (§3). Pure values and functions: no I/O
 * except reading the bytes of a file to hash them.
 */
package io.annexsync.gitsync.key;
