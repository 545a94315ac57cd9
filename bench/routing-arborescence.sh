#!/usr/bin/env bash
# Routing benchmark (issue 5): TarjanMinimumArborescence on seeded random peer maps of 250/5k, 500/10k,
# 1,000/20k, 2,000/40k and 4,000/80k repositories/links, one and three sources; prints the median of RUNS
# queries after WARMUP warm-up queries, in ms, and whether 1,000 repositories / 20,000 links stay under 50 ms.
# Usage: bench/routing-arborescence.sh [WARMUP] [RUNS]   (defaults 20 and 15; builds netmap's test classes)
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
# shellcheck source=bench/netmap-main.sh
source "$root/bench/netmap-main.sh"
run_netmap_main io.annexsync.netmap.graph.ArborescenceBenchmark "${1:-20}" "${2:-15}"
