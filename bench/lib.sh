# Shared set-up of the benchmarks in bench/: sourced, not run. Expects `root` and `work` set.
# `setup TOOL...` checks the tools, builds annex-sync if needed, isolates git and git-annex from
# the user's configuration and makes the data sets $work/data/small (SMALL_FILES x 4 KiB in 100
# folders, default 10,000) and $work/data/large (LARGE_FILES x LARGE_MIB MiB, default 8 x 128).

small_files=${SMALL_FILES:-10000}
large_files=${LARGE_FILES:-8}
large_mib=${LARGE_MIB:-128}

# need TOOL...: stop with the package to install when a tool is missing
need() {
    local tool
    for tool in "$@"; do
        command -v "$tool" >/dev/null || { echo "bench: needs $tool (apt-get install $tool)" >&2; exit 2; }
    done
}

annex_sync="$root/bin/annex-sync"

setup() {
    need "$@"
    [[ -f "$root/app/target/annex-sync.jar" ]] || (cd "$root" && ./mvnw -B -q -DskipTests package)
    export HOME="$work/home" GIT_CONFIG_NOSYSTEM=1 ANNEX_SYNC_NO_PROGRESS=1
    mkdir -p "$HOME"
    git config --global user.name bench
    git config --global user.email bench@example.invalid
    git config --global gc.auto 0
    git config --global init.defaultBranch main
    make_data
}

make_data() {
    local i
    echo "bench: generating data in $work/data ($small_files small files, $large_files x $large_mib MiB)"
    mkdir -p "$work/data/small" "$work/data/large"
    python3 - "$work/data/small" "$small_files" <<'PY'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    d = os.path.join(root, "d%03d" % (i % 100))
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "f%05d.dat" % i), "wb") as f:
        f.write(os.urandom(4096))
PY
    for i in $(seq 1 "$large_files"); do
        head -c $((large_mib * 1024 * 1024)) /dev/urandom > "$work/data/large/big$i.bin"
    done
}

now() { date +%s.%N; }
elapsed() { python3 -c "print(f'{$2 - $1:.2f}')"; }
