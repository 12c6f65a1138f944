#!/usr/bin/env bash
# The retention soak (not in CI): the packaged gateway under a constant signed load with retention
# compressed (a "day" of --day-seconds, 60; the tenant keeps one day) for --minutes (15) at --rate
# events/s (1000), on a new database and then on one made before schema 4 (--legacy). Appends the
# file size over time and bytes per event to bench/SOAK-RETENTION.md; exit 1 if the file grew or any
# request failed.
set -euo pipefail
cd "$(dirname "$0")/.."
offline=()
if [ "${BENCH_OFFLINE:-}" = 1 ]; then offline=(-o); fi
mvn -B -q "${offline[@]}" package -DskipTests
mvn -B -q "${offline[@]}" test-compile
mvn -B -q "${offline[@]}" org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
cp="target/test-classes:target/classes:$(cat target/bench-classpath.txt)"
java -Xmx1g -cp "$cp" com.airotech.connect.bench.RetentionSoak --jar target/airotech-connect.jar "$@"
java -Xmx1g -cp "$cp" com.airotech.connect.bench.RetentionSoak --jar target/airotech-connect.jar --legacy "$@"
