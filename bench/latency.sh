#!/usr/bin/env bash
# Latency benchmark: the time from a file written in folder A (one open/write/close, t0 after the
# close) to the complete file in folder B (polled every 5 ms until it exists and, following
# symlinks, has the full size), where A and B are kept in sync by two daemons on this machine:
# the annex-sync assistant, the git-annex assistant and Syncthing (watcher delay 1 s), in one run.
# Median and maximum of RUNS runs for a 1 KiB and a LARGE_MIB MiB file of random bytes, after one
# warm-up file per tool; after each run, outside the timing, B's file must have A's SHA-256 or the
# benchmark stops; a file that has not arrived after 120 s is reported and ends that tool's runs of
# that size (the pair is most likely stuck). Also measures the resident memory (VmRSS of the daemon
# and its child processes) of each tool idle on a folder of SMALL_FILES files of 4 KiB in 100
# folders, after it has committed (indexed) them all and then stayed idle IDLE_WAIT (30) more
# seconds, as a daemon does most of its life (annex-sync gives back the heap its start-up scan grew
# once it has been idle for 10 to 20 s).
# Targets: annex-sync median under 0.2 s for 1 KiB and under 1.0 s for 100 MiB.
# Usage: bench/latency.sh [WORKDIR]   (installs git-annex and syncthing when missing and run as
# root, otherwise their column says "not installed"; builds annex-sync if needed)
# RUNS (10) / LARGE_MIB (100) / SMALL_FILES (10,000) / IDLE_WAIT (30) override them for a quick run.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
work=${1:-$(mktemp -d /tmp/annex-sync-bench.XXXXXX)}
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
runs=${RUNS:-10}
mib=${LARGE_MIB:-100}
idle_wait=${IDLE_WAIT:-30}
large_files=0 large_mib=$mib   # of lib.sh's data sets only the small one is needed (memory)
started=$(now)
mkdir -p "$work"
rm -f "$work/results"
for tool in git-annex syncthing; do
    if ! command -v "$tool" >/dev/null && [[ $EUID == 0 ]]; then
        echo "bench: installing $tool"
        apt-get install -y "$tool" >"$work/apt-$tool.log" 2>&1 ||
            { apt-get update && apt-get install -y "$tool"; } >>"$work/apt-$tool.log" 2>&1 || true
    fi
done
setup git python3
jar_mtime=$(stat -c %Y "$root/app/target/annex-sync.jar")
py="$work/latency.py"
cat >"$py" <<'PY'
import copy, hashlib, json, os, socket, statistics, subprocess, sys, time, urllib.request
import xml.etree.ElementTree as ET

def one(a, b, name, size, limit=120.0):
    """Seconds from the close of A/name to a complete B/name, None after limit."""
    data, dst = os.urandom(size), os.path.join(b, name)
    with open(os.path.join(a, name), "wb") as f:
        f.write(data)
    t0 = time.monotonic()
    while True:
        try:
            if os.stat(dst).st_size == size:
                break
        except OSError:
            pass
        if time.monotonic() - t0 > limit:
            return None
        time.sleep(0.005)
    t1 = time.monotonic()
    with open(dst, "rb") as f:
        same = hashlib.file_digest(f, "sha256").digest() == hashlib.sha256(data).digest()
    if not same:
        sys.exit(f"bench: {dst} has the full size but not the content written in A")
    return t1 - t0

def measure(label, a, b, size, runs, warmup):
    """Prints 'median max arrived', or 'warmup-failed' when the warm-up file did not arrive."""
    if warmup == "1" and one(a, b, f"warmup-{os.getpid()}.bin", 1024) is None:
        print(f"bench: {label}: the warm-up file did not arrive within 120 s", file=sys.stderr)
        return print("warmup-failed")
    times = []
    for i in range(int(runs)):
        time.sleep(2)  # not timed: the previous file's follow-up work (acks, location logs) settles
        t = one(a, b, f"lat-{size}-{i}-{os.getpid()}.bin", int(size))
        if t is None:  # the pair is most likely stuck: the remaining runs would wait 120 s each
            print(f"bench: {label}: run {i + 1} did not arrive within 120 s; skipping the rest", file=sys.stderr)
            break
        times.append(t)
    print(f"{statistics.median(times):.2f} {max(times):.2f}" if times else "- -", len(times))

def has(path, *pairs):
    """Whether the JSON file has every "key": "value" of pairs (key=value)."""
    try:
        d = json.load(open(path))
        return all(str(d.get(k)) == v for k, v in (p.split("=", 1) for p in pairs))
    except (OSError, ValueError):
        return False

def wait_json(path, *pairs, limit=120):
    end = time.monotonic() + limit
    while not has(path, *pairs) and time.monotonic() < end:
        time.sleep(0.1)
    has(path, *pairs) or sys.exit(f"bench: {path} never had {' '.join(pairs)}")

def quiet(repo, files, *pairs, limit=1800):
    """Waits until HEAD holds `files` files and no branch moved for 10 s (and pairs hold)."""
    git = lambda *a: subprocess.run(["git", "-C", repo, *a], capture_output=True, text=True).stdout
    start = since = time.monotonic()
    last, count = None, 0
    while time.monotonic() - start < limit:
        refs = git("for-each-ref", "refs/heads")
        if refs != last:
            last, since = refs, time.monotonic()
            count = git("ls-tree", "-r", "--name-only", "HEAD").count(".dat\n")
        if count == int(files) and time.monotonic() - since >= 10 and (not pairs or has(*pairs)):
            return
        time.sleep(1)
    sys.exit(f"bench: {repo}: never idle with {files} files committed ({count} committed)")

def rss(pid):
    """Prints the VmRSS in MiB of pid and its descendants, and how many processes that is."""
    kids, todo, kib, n = {}, [int(pid)], 0, 0
    for p in filter(str.isdigit, os.listdir("/proc")):
        try:
            kids.setdefault(int(open(f"/proc/{p}/stat").read().rsplit(")", 1)[1].split()[1]), []).append(int(p))
        except (OSError, IndexError):
            pass
    while todo:
        todo += kids.get(p := todo.pop(), [])
        try:
            kib += sum(int(l.split()[1]) for l in open(f"/proc/{p}/status") if l.startswith("VmRSS:"))
            n += 1
        except OSError:
            pass
    print(f"{kib / 1024:.0f} {n}")

def port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        print(s.getsockname()[1])

def stconf(home, folder, path, listen, gui, peer="", peer_port=""):
    """Edits a generated config.xml: loopback only, no discovery/relays/NAT/usage reports/upgrades,
    one folder (watcher on, delay 1 s) shared with the peer, which is known by its address."""
    tree = ET.parse(cfg := os.path.join(home, "config.xml"))
    root = tree.getroot()
    for k, v in {"listenAddress": f"tcp://127.0.0.1:{listen}", "globalAnnounceEnabled": "false",
                 "localAnnounceEnabled": "false", "relaysEnabled": "false", "natEnabled": "false",
                 "urAccepted": "-1", "autoUpgradeIntervalH": "0", "startBrowser": "false",
                 "crashReportingEnabled": "false"}.items():
        root.find(f"options/{k}").text = v
    root.find("gui/address").text = f"127.0.0.1:{gui}"
    f = copy.deepcopy(root.find("defaults/folder"))  # holds this device already
    f.attrib.update(id=folder, label=folder, path=path, fsWatcherEnabled="true", fsWatcherDelayS="1")
    if peer:
        me = root.find("device")
        dev = copy.deepcopy(me)
        dev.attrib.update(id=peer, name="peer")
        dev.find("address").text = f"tcp://127.0.0.1:{peer_port}"
        root.insert(list(root).index(me) + 1, dev)
        f.insert(1, shared := copy.deepcopy(f.find("device")))
        shared.set("id", peer)
    root.insert(0, f)
    tree.write(cfg)

def stwait(home, folder, files="", peer="", limit=1800):
    """Waits until the peer (if any) is connected and the folder is idle (holding `files`, 10 s)."""
    root = ET.parse(os.path.join(home, "config.xml")).getroot()
    url, key = "http://" + root.find("gui/address").text, root.find("gui/apikey").text
    get = lambda p: json.load(urllib.request.urlopen(
        urllib.request.Request(url + p, headers={"X-API-Key": key}), timeout=5))
    start, since = time.monotonic(), None
    while time.monotonic() - start < limit:
        try:
            ok = not peer or get("/rest/system/connections")["connections"].get(peer, {}).get("connected")
            st = get(f"/rest/db/status?folder={folder}")
            ok = ok and st["state"] == "idle" and (not files or st["localFiles"] == int(files))
        except (OSError, ValueError, KeyError):
            ok = False
        since = (since or time.monotonic()) if ok else None
        if since and time.monotonic() - since >= (10 if files else 0):
            return
        time.sleep(0.5)
    sys.exit(f"bench: syncthing in {home} never connected or idle")

def report(runs, mib, files, path):
    res = {line.split()[0]: line.split()[1:] for line in open(path)}
    def cell(k):
        v = res.get(k) or ["not installed"]
        if len(v) == 1:
            return v[0].replace("warmup-failed", "failed (warm-up)")
        if v[0] == "-":
            return "failed (nothing arrived)"
        return f"{v[0]} / {v[1]} s" + (f" ({v[2]} of {runs} arrived)" if v[2] != runs else "")
    median = lambda k: float(v[0]) if len(v := res.get(k, ["-"])) > 1 and v[0] != "-" else None
    faster = lambda t, s: (f"{b / max(a, 0.01):.1f} x"
                           if (a := median(f"as-{s}")) and (b := median(f"{t}-{s}")) else "-")
    print(f"\nlatency (file written in A -> complete in B), median / max of {runs} runs, {os.cpu_count()} cores")
    print(f"{'':22}{'1 KiB':29}{mib} MiB")
    for t, name in (("as", "annex-sync"), ("ga", "git-annex assistant"), ("st", "syncthing (delay 1s)")):
        extra = (f"(annex-sync is {faster(t, 'small')} / {faster(t, 'large')} faster)"
                 if t != "as" and f"{t}-small" in res else "")
        print(f"{name:22}{cell(t + '-small'):28} {cell(t + '-large'):28} {extra}".rstrip())
    mem = [f"annex-sync {res['mem-as'][0]} MiB ({res['mem-as'][1]} proc)"]
    for t, name in (("ga", "git-annex assistant"), ("st", "syncthing")):
        v = res.get(f"mem-{t}")
        ratio = int(res["mem-as"][0]) / max(int(v[0]), 1) if v else 0
        mem.append(f"{name} {v[0]} MiB ({v[1]} proc; annex-sync uses {ratio:.2f} x)" if v else f"{name} not installed")
    print(f"resident memory idle on {int(files):,} files of 4 KiB (daemon + its child processes):",
          ", ".join(mem))
    met = lambda k, limit: "met" if median(k) is not None and median(k) < limit else "not met"
    print(f"targets: annex-sync median 1 KiB < 0.2 s: {met('as-small', 0.2)}; 100 MiB < 1.0 s: {met('as-large', 1.0)}"
          + ("" if mib == "100" else f" (measured with {mib} MiB)"))
    print("every file that arrived was checked afterwards: same SHA-256 in B as in A")

globals()[sys.argv[1]](*sys.argv[2:])
PY
latency() { python3 "$py" "$@"; }

# Everything started is stopped at the end, also on failure.
as_dirs=() ga_dirs=() st_pids=()
cleanup() {
    local d p
    for d in "${as_dirs[@]}"; do   # killed by pid only when the clean stop failed
        "$annex_sync" assistant --stop "$d" >/dev/null 2>&1 ||
            kill "$(cat "$d/.git/annex-sync/daemon.pid")" 2>/dev/null || true
    done
    for d in "${ga_dirs[@]}"; do
        (cd "$d" && git annex assistant --stop) >/dev/null 2>&1 ||
            kill "$(cat "$d/.git/annex/daemon.pid")" 2>/dev/null || true
    done
    for p in "${st_pids[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null || true; done
    as_dirs=() ga_dirs=() st_pids=()
}
trap cleanup EXIT
trap 'exit 130' INT TERM

as_start() { # DIR: the annex-sync daemon, once its start-up is done
    as_dirs+=("$1") && "$annex_sync" assistant "$1" >/dev/null
    latency wait_json "$1/.git/annex-sync/daemon.json" state=running
}
ga_start() { ga_dirs+=("$1") && (cd "$1" && git annex assistant); } # DIR: git-annex assistant (daemonizes)
st_start() { # HOME: syncthing in the background (no browser, no restarts, no upgrades)
    syncthing serve --home="$1" --no-browser --no-restart --no-upgrade --logfile="$1/syncthing.log" >"$1/out.log" 2>&1 &
    st_pids+=($!)
}
st_home() { # HOME: a generated home; prints its device id
    syncthing generate --home="$1" --no-default-folder >"$1.log" 2>&1
    syncthing serve --home="$1" --device-id
}

# run_tool TOOL A B: results lines "TOOL-SIZE median max arrived" (or warmup-failed)
run_tool() {
    local r
    echo "bench: $1, 1 KiB x $runs (after a warm-up file)"
    r=$(latency measure "$1" "$2" "$3" 1024 "$runs" 1)
    echo "$1-small $r" >>"$work/results"
    [[ $r == warmup-failed ]] && { echo "$1-large $r" >>"$work/results"; return; }
    echo "bench: $1, $mib MiB x $runs"
    r=$(latency measure "$1" "$2" "$3" $((mib * 1024 * 1024)) "$runs" 0)
    echo "$1-large $r" >>"$work/results"
}

# 1. annex-sync: two folders, each the other's path remote, each with its daemon
w=$work/as
rm -rf "$w"
mkdir -p "$w/a" "$w/b"
for r in a b; do "$annex_sync" -C "$w/$r" init $r >/dev/null; done
"$annex_sync" -C "$w/a" remote add b "$w/b" >/dev/null
"$annex_sync" -C "$w/b" remote add a "$w/a" >/dev/null
as_start "$w/a"; as_start "$w/b"
run_tool as "$w/a" "$w/b"
cleanup

# 2. the git-annex assistant, with its defaults: no preferred content is set (a repository without
# one wants all content, so each assistant sends every file to the other), annex.largefiles unset
# (every file goes to the annex; the v10 assistant adds files unlocked, so B gets regular files).
# git-annex cannot merge into an unborn branch ("There are no commits yet to branch refs/heads/main,
# so cannot merge"): on two empty repositories b's assistant never showed what a pushed. So the pair
# first shares one empty commit and syncs once each way, as an existing pair would have.
# Seen once (3 MiB files): b's assistant annexed the pointer file its merge had written before the
# content arrived, and b stayed in a merge conflict; hence a missing file ends a tool's runs.
if command -v git-annex >/dev/null; then
    w=$work/ga
    rm -rf "$w"
    for r in a b; do git init -q "$w/$r" && (cd "$w/$r" && git annex init "$r" >/dev/null 2>&1); done
    git -C "$w/a" remote add b "$w/b"
    git -C "$w/b" remote add a "$w/a"
    git -C "$w/a" commit -q --allow-empty -m start
    git -C "$w/b" pull -q a main
    for r in a b; do (cd "$w/$r" && git annex sync >/dev/null 2>&1); done
    ga_start "$w/a"; ga_start "$w/b"
    run_tool ga "$w/a" "$w/b"
    cleanup
fi

# 3. syncthing: two instances on loopback sharing one folder (settings: latency.py's stconf)
if command -v syncthing >/dev/null; then
    w=$work/st
    rm -rf "$w"
    mkdir -p "$w/a/.stfolder" "$w/b/.stfolder"
    id_a=$(st_home "$w/home-a") id_b=$(st_home "$w/home-b")
    pa=$(latency port) pb=$(latency port)   # listen ports; the GUI/REST ports follow
    latency stconf "$w/home-a" lat "$w/a" "$pa" "$(latency port)" "$id_b" "$pb"
    latency stconf "$w/home-b" lat "$w/b" "$pb" "$(latency port)" "$id_a" "$pa"
    st_start "$w/home-a"; st_start "$w/home-b"
    latency stwait "$w/home-a" lat "" "$id_b"
    latency stwait "$w/home-b" lat "" "$id_a"
    run_tool st "$w/a" "$w/b"
    cleanup
fi

# Resident memory, one tool at a time, each on its own copy of the small data set
mem_copy() { # TOOL NAME: w=a fresh copy of the small data set for TOOL
    echo "bench: resident memory, $2 idle on $small_files files"
    w=$work/mem-$1
    rm -rf "$w" && cp -r "$work/data/small" "$w"
}
mem_copy as annex-sync
"$annex_sync" -C "$w" init mem >/dev/null
as_start "$w"
latency quiet "$w" "$small_files" "$w/.git/annex-sync/daemon.json" state=running activity=idle
sleep "$idle_wait"
echo "mem-as $(latency rss "$(cat "$w/.git/annex-sync/daemon.pid")")" >>"$work/results"
cleanup
if command -v git-annex >/dev/null; then
    mem_copy ga "git-annex assistant"
    git init -q "$w" && (cd "$w" && git annex init mem >/dev/null 2>&1)
    ga_start "$w"
    latency quiet "$w" "$small_files"
    sleep "$idle_wait"
    echo "mem-ga $(latency rss "$(cat "$w/.git/annex/daemon.pid")")" >>"$work/results"
    cleanup
fi
if command -v syncthing >/dev/null; then
    mem_copy st syncthing
    mkdir -p "$w/.stfolder"
    st_home "$w-home" >/dev/null
    latency stconf "$w-home" mem "$w" "$(latency port)" "$(latency port)"
    st_start "$w-home"
    latency stwait "$w-home" mem "$small_files"
    sleep "$idle_wait"
    echo "mem-st $(latency rss "${st_pids[0]}")" >>"$work/results"
    cleanup
fi

latency report "$runs" "$mib" "$small_files" "$work/results"
[[ $(stat -c %Y "$root/app/target/annex-sync.jar") == "$jar_mtime" ]] ||
    echo "bench: warning: app/target/annex-sync.jar was rebuilt during the run (running daemons can fail)"
echo "took $(elapsed "$started" "$(now)") s"
