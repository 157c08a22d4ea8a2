#!/usr/bin/env bash
# Regenerates the evaluation reports with `adastream eval`:
#   scripts/eval.sh                 # both demo models on the synthetic scenes (about 15 minutes)
#   scripts/eval.sh segmenter       # one of them (or detector): docs/eval-<model>.md with its pictures beside it
#                                   # (docs/eval-<model>-<stream>-*.png), copied into README.md
#   scripts/eval.sh camvid          # the CamVid day-trained segmenter on real road video: docs/eval-camvid.md
#                                   # (batch 1) and docs/eval-camvid-batch8.md, each with its pictures beside it
#                                   # (docs/eval-camvid-<stream>-*.png); about 20 + 20 minutes on a busy machine
#   scripts/eval.sh coco            # FastestDet, calibrated, on coco-val128 with corruptions: docs/eval-coco.md and
#                                   # its accuracy plots (docs/eval-coco-<stream>-accuracy.png)
#                                   # (about 25 minutes on a busy machine; the oracle from all 128 frames of each stream)
# camvid needs build/camvid/ (scripts/train-camvid.sh makes it) and ../shared/data/camvid; coco needs
# ../shared/data/fastestdet and ../shared/data/coco-val128 and calibrates FastestDet into build/fastestdet/ first.
# Missing data or model: a message and exit code 2. Maven (the machine-wide lock `mvnl` when present) only builds
# the jar; the evaluations run outside it under `nice -n 10`. Progress on standard error, one line per cell.
# EVAL_THREADS (default 1) sets ONNX Runtime's threads.
set -euo pipefail
cd "$(dirname "$0")/.."
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(segmenter detector)
threads="${EVAL_THREADS:-1}"
shared=../shared/data

mvn_cmd="${MVN:-mvnl}"
command -v "$mvn_cmd" >/dev/null 2>&1 || mvn_cmd=mvn
echo "eval: building the command-line jar ($mvn_cmd -pl topology -am package) ..." >&2
"$mvn_cmd" -B -q -DskipTests -pl topology -am package >&2
# run from a copy, so that a rebuild while a long evaluation runs does not rewrite the jar under it
jar=$(mktemp "${TMPDIR:-/tmp}/adastream-eval.XXXXXX.jar")
trap 'rm -f "$jar"' EXIT
cp topology/target/adastream.jar "$jar"
run() { nice -n 10 java -jar "$jar" "$@"; }

need() {
  for f in "$@"; do
    if [ ! -e "$f" ]; then
      echo "eval: $f is absent; nothing evaluated (see the header of scripts/eval.sh)" >&2
      exit 2
    fi
  done
}

for t in "${targets[@]}"; do
  start=$(date +%s)
  case "$t" in
    segmenter|detector)
      echo "eval: $t ..." >&2
      run eval --model "$t" --out "docs/eval-$t.md" > /dev/null
      # README.md: replace the block between <!-- eval:$t:start --> and <!-- eval:$t:end --> by the report (its
      # title line dropped, headings one level down, links to its pictures pointed into docs/)
      awk -v start="<!-- eval:$t:start -->" -v end="<!-- eval:$t:end -->" -v report="docs/eval-$t.md" '
        $0 == start { print; while ((getline line < report) > 0) { if (line ~ /^# /) continue; if (line ~ /^#/) line = "##" line; gsub(/\]\(eval-/, "](docs/eval-", line); print line } skip = 1; next }
        $0 == end { skip = 0 }
        !skip { print }' README.md > README.md.tmp && mv README.md.tmp README.md
      echo "eval: $t written to docs/eval-$t.md and README.md" >&2
      ;;
    camvid)
      need build/camvid/camvid-segmenter.json build/camvid/camvid-segmenter.onnx "$shared/camvid/test"
      echo "eval: camvid (day-trained segmenter; Seq05VD day, 0001TP dusk, continual, dominant-class order) ..." >&2
      for b in 1 8; do
        out=docs/eval-camvid.md
        [ "$b" = 1 ] || out="docs/eval-camvid-batch$b.md"
        run eval --model build/camvid/camvid-segmenter.json --data "$shared/camvid" --layout camvid \
          --domains Seq05VD,0001TP --source-domains Seq05VD --continual Seq05VD,0001TP,Seq05VD \
          --order temporal,dominant-class --batch "$b" --mode-policies prior-decay,adabn,balanced \
          --threads "$threads" --out "$out" > /dev/null
        echo "eval: camvid batch $b written to $out" >&2
      done
      ;;
    coco)
      need "$shared/fastestdet/FastestDet.onnx" "$shared/fastestdet/coco.names" "$shared/coco-val128/images/val2017"
      mkdir -p build/fastestdet
      # the spec: FastestDet's pre-processing and output (../shared/data/fastestdet/README.md), a low score
      # threshold so that mAP sees the whole precision-recall curve
      classes=$(awk 'NF { gsub(/"/, "\\\""); printf ", \"%s\"", $0 }' "$shared/fastestdet/coco.names")
      for f in folded calibrated; do
        model="$(cd "$shared/fastestdet" && pwd)/FastestDet.onnx"
        [ "$f" = calibrated ] && model=FastestDet-calibrated.onnx
        name=fastestdet-folded.json
        [ "$f" = calibrated ] && name=fastestdet.json
        cat > "build/fastestdet/$name" <<JSON
{"name": "fastestdet", "task": "detection", "model": "$model",
 "input": {"name": "input.1", "width": 352, "height": 352, "channels": "BGR", "normalize": "unit",
           "resize": "stretch", "interpolation": "area"},
 "classes": ["background"$classes],
 "output": {"name": "758", "decoder": "grid",
            "grid": {"objectness": "none", "classes": "none", "centre": "tanh", "size": "sigmoid"}},
 "detection": {"scoreThreshold": 0.05, "iouThreshold": 0.35, "maxDetections": 100}}
JSON
      done
      if [ ! -f build/fastestdet/FastestDet-calibrated.onnx ]; then
        echo "eval: calibrating FastestDet on the 128 coco-val128 images ..." >&2
        run calibrate "$shared/fastestdet/FastestDet.onnx" --spec build/fastestdet/fastestdet-folded.json \
          --images "$shared/coco-val128/images/val2017" --frames 128 --threads 2 \
          --out build/fastestdet/FastestDet-calibrated.onnx >&2
      fi
      echo "eval: coco (FastestDet calibrated; clean, fog, low light, gaussian noise, defocus blur at 3 and 5) ..." >&2
      run eval --model build/fastestdet/fastestdet.json --data "$shared/coco-val128/images/val2017" --layout yolo \
        --labels "$shared/coco-val128/object_detection/labels/val2017" --source-domains val2017 \
        --corrupt fog:3,fog:5,low_light:3,low_light:5,gaussian_noise:3,gaussian_noise:5,defocus_blur:3,defocus_blur:5 \
        --batch 1 --mode-policies none --threads "$threads" --out docs/eval-coco.md > /dev/null
      echo "eval: coco written to docs/eval-coco.md" >&2
      ;;
    *)
      echo "eval: unknown target '$t' (segmenter, detector, camvid, coco)" >&2
      exit 2
      ;;
  esac
  echo "eval: $t took $(( $(date +%s) - start )) s" >&2
done
