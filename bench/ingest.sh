#!/usr/bin/env bash
# Ingest benchmark: annex-sync add + commit against git-annex add + git commit, on the same
# generated data, in one run. Prints both times and the ratio (annex-sync / git-annex).
#   small: 10,000 files of 4 KiB in 100 folders
#   large: 8 files of 128 MiB
#   re-add: adding the unchanged small tree again
# Usage: bench/ingest.sh [WORKDIR]   (needs git-annex; builds annex-sync if needed)
# SMALL_FILES / LARGE_FILES / LARGE_MIB override the sizes for a quick run.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
work=${1:-$(mktemp -d /tmp/annex-sync-bench.XXXXXX)}
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
setup git-annex
ratio() { python3 -c "print(f'{$1 / $2:.3f}')"; }

# fresh_repo TOOL DATASET: a new repository holding a copy of the data set (the copy is not timed)
fresh_repo() {
    local dir="$work/$1-$2"
    rm -rf "$dir"
    git init -q "$dir"
    cp -r "$work/data/$2/." "$dir/"
    sync
    echo "$dir"
}

# run_annex_sync DIR [ADD-OPTIONS...]
run_annex_sync() {
    local dir=$1 t0 t1
    shift
    "$annex_sync" -C "$dir" init bench >/dev/null
    t0=$(now)
    "$annex_sync" -C "$dir" add "$@" . >/dev/null
    "$annex_sync" -C "$dir" commit -m bench >/dev/null
    t1=$(now)
    elapsed "$t0" "$t1"
}

run_git_annex() {
    local dir=$1 t0 t1
    (cd "$dir" && git annex init bench >/dev/null 2>&1)
    t0=$(now)
    (cd "$dir" && git annex add . >/dev/null 2>&1 && git commit -q -m bench)
    t1=$(now)
    elapsed "$t0" "$t1"
}

readd() {
    local t0 t1
    t0=$(now); "$@" >/dev/null 2>&1; t1=$(now)
    elapsed "$t0" "$t1"
}

report() {
    printf '%-36s annex-sync %8ss   git-annex %8ss   ratio %s\n' "$1" "$2" "$3" "$(ratio "$2" "$3")"
}

as_small=$(run_annex_sync "$(fresh_repo as small)")
ga_small=$(run_git_annex "$(fresh_repo ga small)")
as_readd=$(readd "$annex_sync" -C "$work/as-small" add .)
ga_readd=$(readd git -C "$work/ga-small" annex add .)
as_large=$(run_annex_sync "$(fresh_repo as large)")
ga_large=$(run_git_annex "$(fresh_repo ga large)")
as_large_locked=$(run_annex_sync "$(fresh_repo as-locked large)" --locked)

echo
echo "ingest benchmark, $(nproc) cores (defaults: annex-sync adds unlocked, git-annex add adds locked)"
report "small: $small_files x 4 KiB, add+commit" "$as_small" "$ga_small"
report "large: $large_files x $large_mib MiB, add+commit" "$as_large" "$ga_large"
report "large, annex-sync --locked (no copy)" "$as_large_locked" "$ga_large"
report "re-add of the unchanged small tree" "$as_readd" "$ga_readd"
echo "targets: small ratio <= 0.1, large ratio <= 0.25, re-add under 1 s"
echo "floor for the unlocked large case: the second copy must reach the disk before the commit;"
echo "this disk forces $(dd if=/dev/zero of="$work/ddtest" bs=1M count=256 conv=fsync 2>&1 | sed -n 's/.*, \([0-9.]* [MG]B\/s\)$/\1/p') (dd conv=fsync)"
rm -f "$work/ddtest"
