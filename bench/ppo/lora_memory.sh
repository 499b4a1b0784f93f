#!/usr/bin/env bash
# One short PPO run (GRPO, no critic) twice on the same policy: full fine-tuning with the reference exported to the
# embedded gateway, then LoRA with the reference shared (the workers' base with the adapters off). Samples the resident
# memory of the job's JVM and of the gateway JVM it starts every 0.2 s and prints their peaks, and the size and write
# time of the policy versions sent to the workers (metrics sync/bytes, time/sync_save). Run from the repository root.
#
#   [MODES="full lora"] [ALGORITHM=grpo|ppo] bench/ppo/lora_memory.sh POLICY_DIR RM_DIR OUT_DIR [r]
#
# ALGORITHM=ppo adds the critic, started from the policy (policy.critic=policy): a whole second model trained in the
# full run, adapters and a value head on the policy's base in the LoRA run.
# POLICY_DIR: e.g. ./rlhf model init --config configs/model/bench.json --tokenizer configs/tokenizer/shakespeare-2k
# RM_DIR: any reward model on the same tokenizer, e.g. a 2-step ./rlhf rm train --configs tiny-rm hh-rm.
set -euo pipefail
policy=$1 rm=$2 out=$3 r=${4:-16}
mkdir -p "$out"

tree() { # the pid and its descendants
  echo "$1"
  for child in $(pgrep -P "$1" || true); do tree "$child"; done
}

rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

algorithm=(--set ppo.algorithm=grpo --set ppo.group_size=4)
if [[ ${ALGORITHM:-grpo} == ppo ]]; then algorithm=(--set ppo.algorithm=ppo --set policy.critic=policy); fi

for mode in ${MODES:-full lora}; do
  extra=()
  if [[ $mode == lora ]]; then extra=(--set "lora={r: $r, alpha: $((2 * r))}"); fi
  ./rlhf ppo --configs tiny-ppo --set exp="$mode" --set output_dir="$out" --set policy.path="$policy" \
    --set policy.reward_model="$rm" "${algorithm[@]}" --set ppo.iterations=3 \
    --set ppo.rollouts=8 --set ppo.minibatch_size=4 --set ppo.epochs=1 --set resume=never "${extra[@]}" \
    >"$out/$mode.log" 2>&1 &
  job=$!
  peak_job=0 peak_gateway=0 peak_total=0
  while kill -0 "$job" 2>/dev/null; do
    total=0 main=0 gateway=0
    for pid in $(tree "$job"); do
      kb=$(rss_kb "$pid")
      total=$((total + kb))
      command=$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" || true)
      if [[ $command == *-Dgateway.repo=* ]]; then
        gateway=$((gateway + kb))
      elif [[ $command == *dev.rlhf.cli.RlhfCli* ]]; then
        main=$((main + kb))
      fi
    done
    ((main > peak_job)) && peak_job=$main
    ((gateway > peak_gateway)) && peak_gateway=$gateway
    ((total > peak_total)) && peak_total=$total
    sleep 0.2
  done
  wait "$job" || { echo "$mode run failed, see $out/$mode.log" >&2; exit 1; }
  metrics=$(ls "$out"/ppo/"$mode"-*/metrics.jsonl)
  sync=$(python3 -c '
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if "sync/bytes" in l]
print("sync %.2f MB, written in %.3f s (median of %d)" % (rows[-1]["sync/bytes"] / 1e6,
      sorted(r["time/sync_save"] for r in rows)[len(rows) // 2], len(rows)))' "$metrics")
  printf '%-5s peak RSS: job JVM %6.0f MB, gateway JVM %6.0f MB, together %6.0f MB; %s\n' "$mode" \
    "$(echo "$peak_job / 1024" | bc -l)" "$(echo "$peak_gateway / 1024" | bc -l)" \
    "$(echo "$peak_total / 1024" | bc -l)" "$sync"
done
