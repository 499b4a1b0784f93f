#!/usr/bin/env bash
# PPO throughput on the tiny config: rollouts/s and where an iteration's time goes (generate / score / train), for
# the synchronous loop and for ppo.overlap (next prompts out before training, staleness 1). Runs alternate between
# the two modes; summarize.py prints the medians. Needs a policy and a reward model: by default those of
# `./rlhf pipeline --configs tiny`.
#   bench/ppo/overlap.sh [RUNS] [POLICY_DIR] [REWARD_MODEL_DIR]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
runs=${1:-3}
policy=${2:-runs/pipeline/tiny/sft/sft-tiny-llama-hh-sft/checkpoints/best}
rm=${3:-runs/pipeline/tiny/rm/rm-tiny-rm-hh-rm/checkpoints/best}
out=runs/bench-ppo
rm_dir_flags=(--set "policy.path=$policy" --set "policy.reward_model=$rm")
for i in $(seq 1 "$runs"); do
  for overlap in false true; do
    echo "run $i, overlap=$overlap" >&2
    ./rlhf ppo --configs tiny-ppo "${rm_dir_flags[@]}" --set "ppo.overlap=$overlap" --set ppo.iterations=10 \
      --set "exp=overlap-$overlap-$i" --set resume=never --set "output_dir=$out" > /dev/null 2>&1
  done
done
python3 bench/ppo/summarize.py "$out/ppo"
