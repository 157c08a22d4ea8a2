#!/usr/bin/env bash
# Runs a JMH benchmark suite and prints ratios against the baseline measured in the same run.
#   scripts/bench.sh graph    adaptive graph (blend 0 and 0.1) vs the original and the floor, batch 1 and 8, over
#                             ResNet-18, the demo models and UltraFace (where ../shared is present); the table also
#                             goes to docs/bench-graph.md (about 25 minutes on 2 cores)
#   scripts/bench.sh policy   per-frame policy update on ResNet-50 statistics vs one ResNet-50 inference
#   scripts/bench.sh service [FRAMES]   the service on an embedded broker vs the bare loop at the same batch size, over
#                             num.stream.threads 1, 2, 4 and inference.batch.max 1, 4, 8: frames per second and p50/p99
#                             latency, demo segmenter and UltraFace slim-320 (where ../shared is present; FRAMES/4 of it)
#   scripts/bench.sh profile [BATCH] [MODEL ...]   ONNX Runtime profile per operator: original vs floor vs adaptive
#   scripts/bench.sh memory   resident memory per baked session of the two-tier path, per model of the graph table
# Add --quick (graph, policy) for a short, noisier run. BENCH_THREADS=N runs graph and profile with N intra-op threads
# (default 2; the graph table then goes to docs/bench-graph-<N>-threads.md). BENCH_SECOND_MOMENT=mul-sum profiles the
# adaptive graph with that second moment (inference.second.moment).
set -euo pipefail
cd "$(dirname "$0")/.."
suite="${1:-graph}"
shift || true
echo "building the benchmarks ..." >&2
mvn -B -q -ntp -DskipTests -pl benchmarks -am package >&2
threads="${BENCH_THREADS:-2}"
if [ "$suite" = graph ]; then
  if [ "$threads" = 2 ]; then out=docs/bench-graph.md; else out="docs/bench-graph-$threads-threads.md"; fi
  set -- "$@" --out "$out"
fi
exec java "-Dadastream.bench.threads=$threads" "-Dadastream.bench.second.moment=${BENCH_SECOND_MOMENT:-matmul}" -jar benchmarks/target/benchmarks.jar "$suite" "$@"
