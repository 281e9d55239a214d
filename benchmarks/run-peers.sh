#!/usr/bin/env bash
# Adjoint side by side with its peers, in one JMH run (see BENCHMARKS.md):
#   build -> JMH (dev.adjoint.bench.peers: GMM, LSTM, scalar kernels x primal, Adjoint, hand-written,
#   Hipparchus, DJL/PyTorch; seed 003's MLP x primal, Adjoint, hand-written, DJL/PyTorch, ND4J SameDiff)
#   -> benchmarks/results/peers.{json,md} and benchmarks/chart.png.
# Extra arguments go to JMH, e.g.  bash benchmarks/run-peers.sh -p instance=d2_K5   or   -wi 0 -i 1
# Takes ~10-15 minutes on a 2-core machine (the JMH part ~9 minutes on a quiet one).
set -euo pipefail
cd "$(dirname "$0")/.."
# Adjoint's Tensor.matmul runs on OpenBLAS when the system has libblas.so.3 (DJL and ND4J bring their
# own native BLAS). Install Debian's OpenBLAS if it is missing and we may (ADJOINT_BENCH_NO_APT=1 keeps
# netlib's pure-Java BLAS), and hold it to one thread like every other engine.
if ! ldconfig -p | grep -q 'libblas\.so\.3' && [ -z "${ADJOINT_BENCH_NO_APT:-}" ] \
    && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing Debian's libopenblas0-pthread for the runtime's matrix products"
  apt-get install -y -q libopenblas0-pthread >/dev/null
fi
export OPENBLAS_NUM_THREADS=1
mvn -B -q -pl benchmarks -am package -DskipTests
mkdir -p benchmarks/results
echo "load before: $(uptime)"
java -jar benchmarks/target/benchmarks.jar 'dev\.adjoint\.bench\.peers\.' -prof gc \
  -rf json -rff benchmarks/results/peers.json "$@"
echo "load after: $(uptime)"
java -Djava.awt.headless=true -cp benchmarks/target/benchmarks.jar dev.adjoint.bench.report.PeerReport \
  benchmarks/results/peers.json benchmarks/chart.png | tee benchmarks/results/peers.md
