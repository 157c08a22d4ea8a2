#!/usr/bin/env bash
# Regenerates the evaluation reports (accuracy of the adapted model against the source model under shifts):
# `adastream eval` for the demo segmenter and detector, written to docs/eval-segmenter.md and docs/eval-detector.md,
# and copied into README.md between the eval markers.
# About 15 minutes on 2 cores; progress on standard error, one line per finished cell.
#   scripts/eval.sh                 # both models
#   scripts/eval.sh segmenter       # one of them
set -euo pipefail
cd "$(dirname "$0")/.."
models=("$@")
[ ${#models[@]} -gt 0 ] || models=(segmenter detector)
for m in "${models[@]}"; do
  echo "eval: $m ..." >&2
  ./adastream eval --model "$m" --out "docs/eval-$m.md" > /dev/null
  # README.md: replace the block between <!-- eval:$m:start --> and <!-- eval:$m:end --> by the report (its
  # title line dropped, headings one level down)
  awk -v start="<!-- eval:$m:start -->" -v end="<!-- eval:$m:end -->" -v report="docs/eval-$m.md" '
    $0 == start { print; while ((getline line < report) > 0) { if (line ~ /^# /) continue; if (line ~ /^#/) line = "##" line; print line } skip = 1; next }
    $0 == end { skip = 0 }
    !skip { print }' README.md > README.md.tmp && mv README.md.tmp README.md
  echo "eval: $m written to docs/eval-$m.md and README.md" >&2
done
