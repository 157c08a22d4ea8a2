#!/usr/bin/env bash
# A longer seeded mutation fuzz run of the image decoder than the default test run's 100,000 inputs.
#   scripts/fuzz.sh [ITERATIONS] [SEED]    defaults: 5,000,000 inputs, seed 20261201 (about 3 minutes on 2 cores)
# Prints how many inputs reached the decoder; fails on any throwable other than ImageDecodeException, naming the
# mutation's index and seed to reproduce it with the same two arguments.
set -euo pipefail
cd "$(dirname "$0")/.."
iterations="${1:-5000000}"
seed="${2:-20261201}"
exec mvn -B -ntp -pl models -am test -Dtest=ImageDecoderFuzzTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dfuzz.iterations="$iterations" -Dfuzz.seed="$seed"
