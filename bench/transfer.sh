#!/usr/bin/env bash
# Transfer benchmark: a repository A holding 1 GiB (8 x 128 MiB) and, separately, 10,000 files
# of 4 KiB sends its content to a path remote b (a clone B that knows nothing of the content):
# `annex-sync copy --to b .` against `git annex copy --to b .` (both verify, as by default), on
# the same data in one run. Prints the times, the throughput and the ratios (how many times
# faster annex-sync is). After each run, outside the timing, B's object store must hold exactly
# A's keys with the right sizes and SHA-256 checksums, or the benchmark stops.
# Usage: bench/transfer.sh [WORKDIR]   (needs git-annex; builds annex-sync if needed)
# SMALL_FILES / LARGE_FILES / LARGE_MIB override the sizes for a quick run.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
work=${1:-$(mktemp -d /tmp/annex-sync-bench.XXXXXX)}
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
setup git-annex
ratio() { python3 -c "print(f'{$1 / $2:.2f}')"; }
rate() { python3 -c "print(f'{$1 / $2:.1f}')"; }

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

# clone_of TOOL A: a fresh clone B of A, initialised, and added to A as the remote b whose uuid
# and git-annex branch A knows (not timed)
clone_of() {
    local dir="${2%-A}-B"
    rm -rf "$dir"
    git clone -q "$2" "$dir"
    if [[ $1 == as ]]; then
        "$annex_sync" -C "$dir" init B >/dev/null
        "$annex_sync" -C "$2" remote add b "$dir" >/dev/null
    else
        (cd "$dir" && git annex init B >/dev/null 2>&1)
        git -C "$2" remote add b "$dir"
        (cd "$2" && git annex sync --no-content --no-push b >/dev/null 2>&1)
    fi
    echo "$dir"
}

# timed NAME COMMAND...: seconds COMMAND took; its output goes to $work/NAME.log, and a failure
# stops the benchmark with the end of that log
timed() {
    local name=$1 t0 t1
    shift
    sync
    t0=$(now)
    "$@" >"$work/$name.log" 2>&1 || { echo "bench: $name failed:" >&2; tail -n 20 "$work/$name.log" >&2; exit 1; }
    t1=$(now)
    elapsed "$t0" "$t1"
}

# check_copy NAME A B COUNT: B's object store holds exactly A's COUNT keys, each with the size
# and (SHA256 and SHA256E keys) the checksum its key names; stops the benchmark otherwise
check_copy() {
    python3 - "$@" <<'PY' || exit 1
import hashlib, os, re, sys
name, a, b, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
def objects(repo):
    found = {}
    for d, _, files in os.walk(os.path.join(repo, ".git", "annex", "objects")):
        for f in files:
            found[f] = os.path.join(d, f)
    return found
want, got = objects(a), objects(b)
errors = []
if len(want) != count:
    errors.append(f"A holds {len(want)} objects, expected {count}")
if set(got) != set(want):
    errors.append(f"B holds {len(got)} objects, {len(set(want) - set(got))} of A's missing, "
                  f"{len(set(got) - set(want))} unexpected")
for key, path in sorted(got.items()):
    m = re.match(r"([A-Z0-9]+)-s(\d+)--([0-9a-f]+)", key)
    if not m or os.path.getsize(path) != int(m[2]):
        errors.append(f"{key}: wrong size {os.path.getsize(path)}")
        continue
    if m[1] in ("SHA256", "SHA256E"):
        h = hashlib.sha256()
        with open(path, "rb") as f:
            while chunk := f.read(1 << 20):
                h.update(chunk)
        if h.hexdigest() != m[3][:64]:
            errors.append(f"{key}: wrong checksum")
if errors:
    print(f"bench: {name}: the copy in {b} is wrong:", *errors[:10], sep="\n  ", file=sys.stderr)
    sys.exit(1)
PY
}

declare -A t n
n[large]=$large_files
n[small]=$small_files
for set in large small; do
    echo "bench: $set, annex-sync copy --to"
    a=$(source_repo as "$set"); b=$(clone_of as "$a")
    t[as-$set]=$(timed "as-$set" "$annex_sync" -C "$a" copy --to b .)
    check_copy "annex-sync $set" "$a" "$b" "${n[$set]}"
    echo "bench: $set, git annex copy --to"
    a=$(source_repo ga "$set"); b=$(clone_of ga "$a")
    t[ga-$set]=$(timed "ga-$set" git -C "$a" annex copy --to b .)
    check_copy "git-annex $set" "$a" "$b" "${n[$set]}"
done

echo
echo "copy --to a path remote, $(nproc) cores (times in seconds; ratio = how many times faster annex-sync is)"
printf '%-16s %12s %11s %16s %16s %7s %7s\n' "" "annex-sync s" "git-annex s" "annex-sync rate" "git-annex rate" ratio target
for set in large small; do
    if [[ $set == large ]]; then
        label="$large_files x $large_mib MiB" amount=$((large_files * large_mib)) unit=MiB/s target=4
    else
        label="$small_files x 4 KiB" amount=$small_files unit=files/s target=10
    fi
    r=$(ratio "${t[ga-$set]}" "${t[as-$set]}")
    met=$(python3 -c "print('met' if $r >= $target else 'not met')")
    printf '%-16s %12s %11s %16s %16s %6sx %6sx  %s\n' "$label" "${t[as-$set]}" "${t[ga-$set]}" \
        "$(rate "$amount" "${t[as-$set]}") $unit" "$(rate "$amount" "${t[ga-$set]}") $unit" "$r" "$target" "$met"
done
echo "every copy checked afterwards: B holds exactly A's keys, sizes and SHA-256 checksums right"
