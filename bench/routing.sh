#!/usr/bin/env bash
# Routing simulation (issue 5): no transfers, only counting. 50 repositories on seeded random topologies with
# costs (sparse uneven, dense, ring with chords, two LANs joined by one WAN link), one new file at one of them;
# prints the mean total cost and bytes sent by the minimum-cost arborescence, by git-annex's flood fill (duplicate
# receptions counted) and by a star through the cheapest hub (n/a when no repository links to all others), and
# the ratios. Fails if the arborescence ever costs more than flooding.
# Usage: bench/routing.sh [SEEDS] [FILE_MIB]   (defaults 20 and 100; builds netmap's test classes)
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
exec "$java" -cp "netmap/target/test-classes:netmap/target/classes:$(cat "$cp_file")" \
    io.annexsync.netmap.plan.RoutingSimulation "${1:-20}" "${2:-100}"
