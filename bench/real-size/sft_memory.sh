#!/usr/bin/env bash
# SFT at the Qwen3-0.6B shape, full fine-tuning against LoRA r=16 on all seven linears, each with and without
# train.gradient_checkpointing: peak resident memory (GNU time) and tokens/s of each, back to back. Batch 1, seq_len
# 256, the first Human/Assistant exchange of 200 HH conversations rendered with Qwen3's template.
#   [STEPS=3] [VARIANTS="full full-ckpt lora lora-ckpt"] bench/real-size/sft_memory.sh OUT
# OUT/model is made by bench/real-size/run.sh (or here, when missing). Needs ~16 GB free for the full variants.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
out="$1"
steps="${STEPS:-3}"
tok="core/src/test/resources/tokenizers/qwen3"
[[ -x /usr/bin/time ]] || { echo "needs GNU time (apt-get install time)" >&2; exit 2; }
./rlhf --help > /dev/null # build first, outside the timings
mkdir -p "$out"
[[ -f "$out/model/config.json" ]] ||
  ./rlhf model init --config bench/real-size/qwen3-0.6b.json --tokenizer "$tok" --out "$out/model" > /dev/null
if [[ ! -f "$out/hh-first-turn.jsonl" ]]; then
  python3 - "$out/hh-first-turn.jsonl" <<'PY'
import gzip, json, re, sys
with open(sys.argv[1], "w") as out:
    n = 0
    for line in gzip.open("data/hh-harmless-pairs.jsonl.gz", "rt"):
        parts = re.split(r"\n\n(Human|Assistant): ", json.loads(line)["chosen"])
        turns = [(parts[i], parts[i + 1].strip()) for i in range(1, len(parts) - 1, 2)]
        if len(turns) >= 2 and turns[0][0] == "Human" and turns[1][0] == "Assistant" and turns[1][1]:
            out.write(json.dumps({"messages": [{"role": "user", "content": turns[0][1]},
                                               {"role": "assistant", "content": turns[1][1]}]}) + "\n")
            n += 1
        if n == 200:
            break
PY
fi
for variant in ${VARIANTS:-full full-ckpt lora lora-ckpt}; do
  extra=()
  case $variant in
    lora*) extra+=(--set "lora={r: 16, alpha: 32}" --set train.lr=2.0e-4) ;;
  esac
  case $variant in
    *-ckpt) extra+=(--set train.gradient_checkpointing=true) ;;
  esac
  rm -rf "${out:?}/sft-$variant"
  /usr/bin/time -f "sft-$variant: %e s wall, peak RSS %M KB" -o "$out/sft-$variant.time" \
    ./rlhf sft --configs hh-sft --set "model.path=$out/model" --set output_dir="$out/sft-$variant" \
    --set seq_len=256 --set train.batch_size=1 --set train.max_steps="$steps" --set train.warmup_steps=1 \
    --set train.log_every=1 --set "data.datasets=[{path: $out/hh-first-turn.jsonl, format: chat}]" \
    --set data.split=4 --set "samples.prompts=[]" "${extra[@]}" > "$out/sft-$variant.log" 2>&1 ||
    { cat "$out/sft-$variant.log" >&2; exit 1; }
  tokens=$(grep -h '"tokens_per_s"' "$out"/sft-"$variant"/sft/*/metrics.jsonl | tail -1 |
    python3 -c 'import json, sys; print("%.1f" % json.loads(sys.stdin.read())["tokens_per_s"])')
  echo "$(cat "$out/sft-$variant.time"), tokens/s at step $steps: $tokens"
  # A full variant's checkpoints are ~14 GB (weights and AdamW moments, best and last); keep only sft-full's, which
  # run.sh trains the reward model on and exports.
  [[ $variant == full ]] || rm -rf "$out"/sft-"$variant"/sft/*/checkpoints
done
