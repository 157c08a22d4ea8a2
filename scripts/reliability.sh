#!/usr/bin/env bash
# The reliability suite of the service against a real single-node KRaft broker started from the Kafka jars (no Docker):
# crash and restart (kill -9), two instances, bad input, a 30 s broker outage, sustained load. About 8-10 minutes
# on 2 cores with the default load length. Writes the figures of the run to docs/reliability.md.
#
#   scripts/reliability.sh                      # the whole suite
#   scripts/reliability.sh -Dtest=BadInputReliabilityTest
#   scripts/reliability.sh -Dreliability.load.seconds=300 -Dreliability.load.rate=150
#
# Other knobs: -Dreliability.seed=N (kill points), -Dreliability.kills=4, -Dreliability.outage.seconds=30,
# -Dreliability.load.domains=1500, -Dreliability.load.cap=300, -Dreliability.load.p99.max.ms=2000,
# -Dreliability.keep=true (keep the test folders: broker data, service logs).
set -euo pipefail
cd "$(dirname "$0")/.."

MVN=mvn
if command -v mvnl >/dev/null 2>&1; then MVN=mvnl; fi   # the machine-wide Maven lock, where there is one

figures=it-tests/target/reliability-figures.md
start=$(date +%s)
echo "reliability: building the modules the suite needs (no unit tests)..."
"$MVN" -B -q -pl it-tests -am install -DskipTests
rm -f "$figures"
echo "reliability: running the suite (each test prints its figures as it goes)..."
set +e +o pipefail
"$MVN" -B -Preliability -pl it-tests verify "$@" 2>&1 | grep --line-buffered -E '^(===|    |\[INFO\] (Running|Tests run)|\[ERROR\]|\[WARNING\] Tests)'
mvn_status=${PIPESTATUS[0]}
set -e -o pipefail
elapsed=$(( $(date +%s) - start ))
if [[ -f "$figures" ]]; then
  {
    echo "# Reliability suite: figures of the latest run"
    echo
    echo "Run with \`scripts/reliability.sh\` on $(date -u +%Y-%m-%d) ($(nproc) cores, $(java -version 2>&1 | head -1));"
    echo "the whole script took ${elapsed} s. Every test runs against a real single-node KRaft broker (child JVM)"
    echo "and asserts what it reports; see it-tests/ for the tests and what each figure means."
    echo
    cat "$figures"
  } > docs/reliability.md
  echo "reliability: figures written to docs/reliability.md"
fi
echo "reliability: finished in ${elapsed} s (maven exit ${mvn_status})"
exit "$mvn_status"
