#!/usr/bin/env bash
# The query benchmark: fills a data directory under /tmp with --events (5000000) events straight into
# SQLite, upgrades it as a site's database would be, times every query the API, the command line and
# the console run (and the statements they replaced), and writes bench/QUERIES.md. The directory
# (about 7 GB at 5 M events) is removed at the end. Options: --events N --tenants N --audit N
# --outbox N --runs N --out FILE. Takes about 10 minutes at 5 M on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
offline=()
if [ "${BENCH_OFFLINE:-}" = 1 ]; then offline=(-o); fi
mvn -B -q "${offline[@]}" package -DskipTests
mvn -B -q "${offline[@]}" test-compile
mvn -B -q "${offline[@]}" org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
cp="target/test-classes:target/classes:$(cat target/bench-classpath.txt)"
exec java -Xmx1g -cp "$cp" com.airotech.connect.bench.QueryBench "$@"
