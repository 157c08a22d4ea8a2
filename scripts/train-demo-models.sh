#!/usr/bin/env bash
# Retrains the bundled demo models (segmenter, detector) on clean synthetic scenes with DJL's PyTorch engine on
# the CPU, measures them on held-out clean scenes, and re-exports them as ONNX with their spec files into
# models/src/main/resources/io/adastream/models/demo/ (or --out DIR).
#
#   scripts/train-demo-models.sh [--quick] [--only segmenter|detector] [--out DIR]
#
# Maven (under the machine-wide lock `mvnl` when present) only builds the trainer module and writes its class
# path; training then runs in a plain JVM outside the lock. Nothing is downloaded at run time: the libtorch natives
# come from the pytorch-native-cpu Maven jar (-Dai.djl.offline=true). TRAINER_THREADS (default 2) caps the threads.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)

mvn_cmd=mvnl
command -v mvnl >/dev/null 2>&1 || mvn_cmd=mvn
offline=-o
native_jar="$HOME/.m2/repository/ai/djl/pytorch/pytorch-native-cpu/2.7.1/pytorch-native-cpu-2.7.1-linux-x86_64.jar"
[ -f "$native_jar" ] || offline=

echo "building the trainer ($mvn_cmd -Ptrain -pl trainer -am package)..."
"$mvn_cmd" -B -q $offline -Ptrain -pl trainer -am package -DskipTests

threads="${TRAINER_THREADS:-2}"
classpath="trainer/target/classes:$(cat trainer/target/runtime-classpath.txt)"
# oneDNN kept to AVX2: its AVX-512 kernels in libtorch 2.7.1 compute garbage on AVX-512 AMD EPYC processors (trainer/pom.xml)
DNNL_MAX_CPU_ISA=AVX2 ONEDNN_MAX_CPU_ISA=AVX2 OMP_NUM_THREADS="$threads" MKL_NUM_THREADS="$threads" java -Xmx3g -cp "$classpath" \
  -Dai.djl.offline=true \
  -Dai.djl.default_engine=PyTorch \
  -Dai.djl.pytorch.num_threads="$threads" \
  -Dai.djl.pytorch.num_interop_threads=1 \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  io.adastream.trainer.TrainDemoModels "$@" 2> >(grep -v 'CudaUtils' >&2)

echo "total wall time (build, training, evaluation, export): $(( $(date +%s) - start ))s"
