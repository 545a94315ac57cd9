#!/usr/bin/env bash
# Routing benchmark (issue 5): TarjanMinimumArborescence on seeded random peer maps of 250/5k, 500/10k,
# 1,000/20k, 2,000/40k and 4,000/80k repositories/links, one and three sources; prints the median of RUNS
# queries after WARMUP warm-up queries, in ms, and whether 1,000 repositories / 20,000 links stay under 50 ms.
# Usage: bench/routing-arborescence.sh [WARMUP] [RUNS]   (defaults 20 and 15; builds netmap's test classes)
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
cd "$root"
java=""
for home in /usr/lib/jvm/*; do
    [[ -x "$home/bin/java" ]] || continue
    v=$("$home/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' || true)
    if [[ -n "$v" && "$v" -ge 21 ]]; then java="$home/bin/java"; fi
done
[[ -n "$java" ]] || { echo "bench: needs a JDK >= 21 under /usr/lib/jvm" >&2; exit 2; }
cp_file=netmap/target/bench.classpath
./mvnw -B -q test-compile dependency:build-classpath -pl netmap -am -Dcheckstyle.skip \
    -Dmdep.outputFile="$root/$cp_file" -Dmdep.includeScope=test >/dev/null
exec "$java" -Xmx1g -cp "netmap/target/test-classes:netmap/target/classes:$(cat "$cp_file")" \
    io.annexsync.netmap.graph.ArborescenceBenchmark "${1:-20}" "${2:-15}"
