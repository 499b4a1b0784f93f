#!/usr/bin/env bash
# The bring-your-own-model path at real size on this machine: a Qwen3-0.6B-shaped model (28 layers, hidden 1024,
# 16 heads / 8 KV heads, head_dim 128, vocab 151,936, tied embeddings; randomly initialised, so its text is noise)
# with the real Qwen3 tokenizer and chat template, through init, load + generate, SFT on the HH conversations
# rendered with Qwen3's template (full and LoRA), and a reward model on top (RM steps, a bf16 sharded save, scoring
# with its template). Each step prints its wall time and peak resident memory (GNU time). Not part of the test run:
# it needs ~20 GB of memory and minutes per step on 2 cores.
#   bench/real-size/run.sh [OUT]          (default OUT: runs/real-size)
# Export + gateway scoring of the same shape: the gateway benchmark with this config (see BENCHMARKS.md).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
out="${1:-runs/real-size}"
tok="core/src/test/resources/tokenizers/qwen3"
steps="${STEPS:-4}"
mkdir -p "$out"
timed() { # timed NAME COMMAND...: runs it, prints wall seconds and peak RSS
  local name="$1"; shift
  /usr/bin/time -f "$name: %e s wall, peak RSS %M KB" -o "$out/$name.time" "$@" > "$out/$name.log" 2>&1 || { cat "$out/$name.log" >&2; exit 1; }
  cat "$out/$name.time"
}
[[ -x /usr/bin/time ]] || { echo "needs GNU time (apt-get install time)" >&2; exit 2; }
./rlhf --help > /dev/null # build first, outside the timings
rm -rf "$out/model" "$out"/sft-* "$out/rm"
timed init ./rlhf model init --config bench/real-size/qwen3-0.6b.json --tokenizer "$tok" --out "$out/model"
timed logprobs ./rlhf logprobs --model "$out/model" --text "Hello, how are you?"
timed generate ./rlhf generate --model "$out/model" --chat --prompt "How do I make a good cup of tea?" \
  --max-new-tokens 64 --temperature 1.0 --seed 1
# SFT on single-turn HH conversations (first Human/Assistant exchange) rendered with Qwen3's template, full
# fine-tuning and LoRA r=16 on all seven linears (the adapter, not the base, gets gradients and AdamW moments).
STEPS="$steps" VARIANTS="${VARIANTS:-full lora}" bench/real-size/sft_memory.sh "$out"
# An RM head on the SFT checkpoint: RM training steps on the HH preference pairs, every reply laid out with Qwen3's
# template (the empty <think> block, <|im_end|>; the score read at the last token), saved in bf16 shards of at most
# 500 MB (save.*, about 1.2 GB instead of 2.4); then the trained RM scores two replies, rendered with its own template.
timed rm ./rlhf rm train --configs hh-rm --set "model.path=$out/sft-full/sft/hh-sft-hh-sft/checkpoints/last" \
  --set output_dir="$out/rm" --set seq_len=256 --set train.batch_size=1 --set train.max_steps="$steps" \
  --set train.warmup_steps=1 --set train.log_every=1 --set data.split=4 --set reward_stats_samples=8 \
  --set save.dtype=bf16 --set save.max_shard_size=500MB
grep -h '"tokens_per_s"' "$out"/rm/rm/*/metrics.jsonl || true
ls -l "$out/rm/rm/hh-rm-hh-rm/checkpoints/last"
timed rm-score ./rlhf rm score --model "$out/rm/rm/hh-rm-hh-rm/checkpoints/last" \
  --prompt "How do I make a good cup of tea?" \
  --response "Warm the pot, use fresh boiling water and steep for three to five minutes." \
  --response "Figure it out yourself."
cat "$out/rm-score.log"
timed export ./rlhf export --model "$out/sft-full/sft/hh-sft-hh-sft/checkpoints/last" --role ref --repo "$out/repo" --cpu
ls -l "$out/repo/ref/1"
echo "serve it: ./rlhf serve --repo $out/repo --port 8765; score over gRPC:"
echo "  java -cp \"\$(ls inference-gateway/target/quarkus-app/lib/main/*.jar | tr '\n' :)\" bench/real-size/ScoreOverGrpc.java 256"
