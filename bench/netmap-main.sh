# Shared by the netmap benchmarks: sourced, not run. `run_netmap_main CLASS [ARGS...]` builds netmap's test
# classes and runs CLASS from them on a JDK 21+ found as bin/annex-sync finds one (the build's own toolchain
# discovery is not reachable from a shell).
run_netmap_main() {
    local root java="" home v cp_file
    root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
    cd "$root"
    for home in ${JAVA_HOME:-} /usr/lib/jvm/*; do
        [[ -x "$home/bin/java" ]] || continue
        v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release" 2>/dev/null || true)
        if [[ -n "$v" && "$v" -ge 21 ]]; then java="$home/bin/java"; fi
    done
    [[ -n "$java" ]] || { echo "bench: needs a JDK 21 or newer (set JAVA_HOME)" >&2; exit 2; }
    cp_file=netmap/target/bench.classpath
    ./mvnw -B -q test-compile dependency:build-classpath -pl netmap -am -Dcheckstyle.skip \
        -Dmdep.outputFile="$root/$cp_file" -Dmdep.includeScope=test >/dev/null
    exec "$java" -Xmx1g -cp "netmap/target/test-classes:netmap/target/classes:$(cat "$cp_file")" "$@"
}
