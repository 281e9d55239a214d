#!/usr/bin/env bash
# Adjoint side by side with its peers, in one JMH run (see BENCHMARKS.md):
#   build -> JMH (dev.adjoint.bench.peers: GMM, LSTM, scalar kernels x primal, Adjoint, hand-written,
#   Hipparchus, DJL/PyTorch; seed 003's MLP x primal, Adjoint, hand-written, DJL/PyTorch, ND4J SameDiff)
#   -> benchmarks/results/peers.{json,md} and benchmarks/chart.png.
# Extra arguments go to JMH, e.g.  bash benchmarks/run-peers.sh -p instance=d2_K5   or   -wi 0 -i 1
# Takes ~10-15 minutes on a 2-core machine (the JMH part ~9 minutes on a quiet one).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl benchmarks -am package -DskipTests
mkdir -p benchmarks/results
echo "load before: $(uptime)"
java -jar benchmarks/target/benchmarks.jar 'dev\.adjoint\.bench\.peers\.' -prof gc \
  -rf json -rff benchmarks/results/peers.json "$@"
echo "load after: $(uptime)"
java -Djava.awt.headless=true -cp benchmarks/target/benchmarks.jar dev.adjoint.bench.report.PeerReport \
  benchmarks/results/peers.json benchmarks/chart.png | tee benchmarks/results/peers.md
