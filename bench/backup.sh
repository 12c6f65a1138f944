#!/usr/bin/env bash
# Backup of a large site under load, one command, loopback only: fills a site to --gb (1) GiB, starts
# the packaged gateway on it, and times `airotech-connect backup` idle and while the load generator
# sends signed events at full rate; writes bench/BACKUP.md. Options: --gb N  --out FILE.
# On a shared machine: flock /work/bench.lock bench/backup.sh
set -euo pipefail
cd "$(dirname "$0")/.."
offline=()
if [ "${BENCH_OFFLINE:-}" = 1 ]; then offline=(-o); fi
mvn -B -q "${offline[@]}" package -DskipTests
mvn -B -q "${offline[@]}" test-compile
mvn -B -q "${offline[@]}" dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
cp="target/test-classes:target/classes:$(cat target/bench-classpath.txt)"
exec java -Xmx1g -cp "$cp" com.airotech.connect.bench.BackupBench --jar target/airotech-connect.jar "$@"
