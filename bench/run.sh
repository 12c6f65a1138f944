#!/usr/bin/env bash
# The benchmark: one command, loopback only. Builds the jar and the test classes, then runs
# com.airotech.connect.bench.Bench, which writes bench/RESULTS.md. Options are passed on:
#   --rounds N (2)  --warmup S (5)  --seconds S (10)  --connections N (64)  --out FILE (bench/RESULTS.md)
set -euo pipefail
cd "$(dirname "$0")/.."
offline=()
if [ "${BENCH_OFFLINE:-}" = 1 ]; then offline=(-o); fi
mvn -B -q "${offline[@]}" package -DskipTests
mvn -B -q "${offline[@]}" org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
cp="target/test-classes:target/classes:$(cat target/bench-classpath.txt)"
exec java -Xmx1g -cp "$cp" com.airotech.connect.bench.Bench --jar target/airotech-connect.jar "$@"
