#!/usr/bin/env bash
# Routing simulation (issue 5): no transfers, only counting. 50 repositories on seeded random topologies with
# costs (sparse uneven, dense, ring with chords, two LANs joined by one WAN link), one new file at one of them;
# prints the mean total cost and bytes sent by the minimum-cost arborescence, by git-annex's flood fill (duplicate
# receptions counted) and by a star through the cheapest hub (n/a when no repository links to all others), and
# the ratios. Fails if the arborescence ever costs more than flooding.
# Usage: bench/routing.sh [SEEDS] [FILE_MIB]   (defaults 20 and 100; builds netmap's test classes)
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
# shellcheck source=bench/netmap-main.sh
source "$root/bench/netmap-main.sh"
run_netmap_main io.annexsync.netmap.plan.RoutingSimulation "${1:-20}" "${2:-100}"
