#!/usr/bin/env bash
# What schema 4 costs the SQLite writer per stored event (the per-connector summary upsert and the
# two listing indexes), without HTTP: com.airotech.connect.bench.WriterCost, alternating rounds on
# fresh databases under /tmp. Options: --events N (200000) --rounds N (3). Prints a table.
set -euo pipefail
cd "$(dirname "$0")/.."
offline=()
if [ "${BENCH_OFFLINE:-}" = 1 ]; then offline=(-o); fi
mvn -B -q "${offline[@]}" test-compile
mvn -B -q "${offline[@]}" org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
cp="target/test-classes:target/classes:$(cat target/bench-classpath.txt)"
exec java -Xmx512m -cp "$cp" com.airotech.connect.bench.WriterCost "$@"
