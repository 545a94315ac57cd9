#!/usr/bin/env bash
# Sync benchmark: a repository A holding 1 GiB (8 x 128 MiB) and, separately, 10,000 files of
# 4 KiB is synced with its content to a fresh clone B: `annex-sync sync --content` against
# `git annex sync --content`, with `rsync -a` of the same files as the floor. Prints the times
# and the throughput ratios (how many times faster annex-sync is).
# Usage: bench/sync.sh [WORKDIR]   (needs git-annex and rsync; builds annex-sync if needed)
# SMALL_FILES / LARGE_FILES / LARGE_MIB override the sizes for a quick run.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
work=${1:-$(mktemp -d /tmp/annex-sync-bench.XXXXXX)}
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
setup git-annex rsync
ratio() { python3 -c "print(f'{$1 / $2:.2f}')"; }

# source_repo TOOL DATASET: A with the data added and committed (not timed)
source_repo() {
    local dir="$work/$1-$2-A"
    rm -rf "$dir"
    git init -q "$dir"
    cp -r "$work/data/$2/." "$dir/"
    if [[ $1 == as ]]; then
        "$annex_sync" -C "$dir" init A >/dev/null
        "$annex_sync" -C "$dir" add . >/dev/null
        "$annex_sync" -C "$dir" commit -m data >/dev/null
    else
        (cd "$dir" && git annex init A >/dev/null 2>&1 && git annex add . >/dev/null 2>&1 && git commit -q -m data)
    fi
    echo "$dir"
}

# clone_of TOOL A: a fresh clone B of A, initialised (not timed)
clone_of() {
    local dir="${2%-A}-B"
    rm -rf "$dir"
    git clone -q "$2" "$dir"
    if [[ $1 == as ]]; then
        "$annex_sync" -C "$dir" init B >/dev/null
    else
        (cd "$dir" && git annex init B >/dev/null 2>&1)
    fi
    echo "$dir"
}

timed() {
    local t0 t1
    sync
    t0=$(now); "$@" >/dev/null 2>&1; t1=$(now)
    elapsed "$t0" "$t1"
}

declare -A t
for set in large small; do
    a=$(source_repo as "$set"); b=$(clone_of as "$a")
    t[as-$set]=$(timed "$annex_sync" -C "$b" sync --content)
    a=$(source_repo ga "$set"); b=$(clone_of ga "$a")
    t[ga-$set]=$(timed git -C "$b" annex sync --content)
    rm -rf "$work/rsync-$set"
    t[rs-$set]=$(timed rsync -a "$work/data/$set/" "$work/rsync-$set/")
done

echo
echo "sync --content to a fresh clone, $(nproc) cores (times in seconds; ratio = how many times faster annex-sync is)"
printf '%-28s %10s %10s %10s %12s %10s\n' "" annex-sync git-annex "rsync -a" "vs git-annex" "vs rsync"
for set in large small; do
    label=$([[ $set == large ]] && echo "$large_files x $large_mib MiB" || echo "$small_files x 4 KiB")
    printf '%-28s %10s %10s %10s %11sx %9sx\n' "$label" "${t[as-$set]}" "${t[ga-$set]}" "${t[rs-$set]}" \
        "$(ratio "${t[ga-$set]}" "${t[as-$set]}")" "$(ratio "${t[rs-$set]}" "${t[as-$set]}")"
done
echo "targets: large >= 4x git-annex, small >= 5x git-annex, both >= 1.5x rsync"
