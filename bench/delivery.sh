#!/usr/bin/env bash
# The delivery benchmark: one command, loopback only. Builds the jar and the test classes, then runs
# com.airotech.connect.bench.DeliveryBench, which writes bench/DELIVERY.md. Options are passed on:
#   --rounds N (2)  --warmup S (5)  --seconds S (15)  --rates R1,R2,… (1000,2500,5000)  --sources N (8)
#   --connections N (64)  --out FILE (bench/DELIVERY.md)
# On a machine shared with other work, run it alone: flock /work/bench.lock bench/delivery.sh
set -euo pipefail
cd "$(dirname "$0")/.."
offline=()
if [ "${BENCH_OFFLINE:-}" = 1 ]; then offline=(-o); fi
mvn -B -q "${offline[@]}" package -DskipTests
mvn -B -q "${offline[@]}" dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
cp="target/test-classes:target/classes:$(cat target/bench-classpath.txt)"
exec java -Xmx1g -cp "$cp" com.airotech.connect.bench.DeliveryBench --jar target/airotech-connect.jar "$@"
