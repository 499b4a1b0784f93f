#!/usr/bin/env bash
# The estimators on the arithmetic task, same budget (configs/ppo/arithmetic.yaml): held-out exact-match accuracy
# before -> after RL and seconds per iteration (generate / score / train) for ppo, grpo, rloo and reinforce_pp, then
# GRPO with ppo.overlap on, with and without the truncated importance-sampling correction. Every run starts from the
# same SFT policy: the arithmetic pipeline's, trained first if missing. table.py prints the Markdown table.
#   bench/rl/estimators.sh [ITERATIONS] [SFT_POLICY_DIR]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
out=runs/bench-rl
iterations=${1:-100}
policy=${2:-runs/pipeline/arithmetic/sft/sft-tiny-llama-arithmetic/checkpoints/best}
if [[ ! -d $policy ]]; then
  ./rlhf pipeline --configs arithmetic > /dev/null
fi
run() { # name, then --set overrides of the pipeline
  local name=$1
  shift
  echo "== $name" >&2
  ./rlhf pipeline --configs arithmetic --set "policy=$policy" --set "output_dir=$out" --set "exp=$name" \
    --set "ppo.iterations=$iterations" "$@" > /dev/null
}
for algorithm in grpo rloo reinforce_pp ppo; do
  run "$algorithm" --set "ppo.algorithm=$algorithm"
done
run grpo-overlap --set ppo.overlap=true
run grpo-overlap-no-tis --set ppo.overlap=true --set ppo.tis_cap=0
python3 bench/rl/table.py "$out/pipeline"
