#!/usr/bin/env bash
# The soak test (not in CI): the packaged gateway under a steady signed load on loopback for
# --minutes (10) at --rate events/s (1000); reports heap after GC and open file descriptors per
# slice and whether they stayed flat, in bench/SOAK.md. Exit 1 if either grew or any request failed.
set -euo pipefail
cd "$(dirname "$0")/.."
offline=()
if [ "${BENCH_OFFLINE:-}" = 1 ]; then offline=(-o); fi
mvn -B -q "${offline[@]}" package -DskipTests
mvn -B -q "${offline[@]}" test-compile
mvn -B -q "${offline[@]}" org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
cp="target/test-classes:target/classes:$(cat target/bench-classpath.txt)"
exec java -Xmx1g -cp "$cp" com.airotech.connect.bench.Soak --jar target/airotech-connect.jar "$@"
