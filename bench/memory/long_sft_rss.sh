#!/usr/bin/env bash
# Resident memory of a long SFT job, with the suite's native memory policy and with glibc's defaults (issue 19): does
# the job's RSS stay flat after warm-up, or grow step by step?
#
#   bench/memory/long_sft_rss.sh [STEPS] [OUT_DIR] [MAX_SECONDS]
#
# Runs `./rlhf sft --configs tiny-llama hh-sft --set seq_len=64` (packed rows of 64 tokens, batch 8) for STEPS
# optimizer steps (default 3000: several epochs of the HH transcripts, each epoch's end evaluating and writing
# checkpoints/last, an evaluation every 500 steps) twice, one after the other:
#   policy   GLIBC_TUNABLES as ./rlhf sets it (README, "Native memory")
#   default  glibc's own malloc policy: GLIBC_TUNABLES=glibc.malloc.check=0 (a tunable that changes nothing, so that
#            ./rlhf does not put its policy in; the value the JVM really got is read back from /proc/PID/environ)
# Every second it reads VmRSS and VmHWM of the job's JVM from /proc/PID/status and the last step in the run's
# metrics.jsonl, into OUT_DIR/<mode>.csv (t_s, step, rss_kb, hwm_kb). A run still going after MAX_SECONDS (default
# 360) is stopped (SIGTERM) and summarised over the steps it reached. Then summary.py prints, per mode: peak RSS, RSS
# at 10% of the steps (after warm-up), RSS at the end, and the slope after warm-up in MB per 1000 steps (least
# squares over the samples from 10% on). Memory only: figures are in steps, not seconds, so they hold on a busy box.
# OMP_WAIT_POLICY=PASSIVE (libtorch's OpenMP threads sleep instead of spinning between ops) changes no allocation, but
# keeps the job from slowing tenfold when other processes share the cores. MODES=policy (or default) runs one mode;
# RLHF_JAVA_OPTS reaches both JVMs (e.g. -XX:G1PeriodicGCInterval=5000).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
steps=${1:-3000}
out=${2:-runs/bench-memory}
max_seconds=${3:-360}
mkdir -p "$out"
./rlhf --help >/dev/null 2>&1 || true # builds first if the sources changed, so that no build is sampled or timed

for mode in ${MODES:-policy default}; do
  env=()
  if [[ $mode == default ]]; then env=(GLIBC_TUNABLES=glibc.malloc.check=0); fi
  rm -rf "${out:?}/$mode"
  env OMP_WAIT_POLICY=PASSIVE "${env[@]}" ./rlhf sft --configs tiny-llama hh-sft --set seq_len=64 \
    --set "train.max_steps=$steps" --set train.epochs=1000 \
    --set train.eval_every=500 --set train.log_every=10 --set exp=rss --set resume=never \
    --set "output_dir=$out/$mode" >"$out/$mode.log" 2>&1 &
  job=$! # ./rlhf execs the JVM: this is its pid
  echo "t_s,step,rss_kb,hwm_kb" >"$out/$mode.csv"
  started=$(date +%s)
  tunables="" stopping=""
  while kill -0 "$job" 2>/dev/null; do
    status=$(cat "/proc/$job/status" 2>/dev/null || true)
    rss=$(awk '/^VmRSS/ {print $2}' <<<"$status")
    hwm=$(awk '/^VmHWM/ {print $2}' <<<"$status")
    if [[ -z $tunables ]] && grep -qa dev.rlhf.cli.RlhfCli "/proc/$job/cmdline" 2>/dev/null; then
      # glibc 2.36 ends each tunable's value with a NUL in the original environment block after parsing it, so
      # /proc/PID/environ shows GLIBC_TUNABLES's tunables as separate entries: join them again.
      tunables=$(tr '\0' '\n' <"/proc/$job/environ" | awk '/^GLIBC_TUNABLES=/ {s = substr($0, 16); on = 1; next}
        on && /^glibc\./ {s = s ":" $0; next} {on = 0} END {print s}')
      echo "$mode: the JVM runs with GLIBC_TUNABLES=${tunables:-<unset>}" >&2
    fi
    metrics=$(ls "$out/$mode"/sft/*/metrics.jsonl 2>/dev/null | head -1 || true)
    step=0
    if [[ -n $metrics ]]; then
      step=$(tail -n 1 "$metrics" | sed -n 's/.*"step":\([0-9]*\).*/\1/p')
    fi
    now=$(date +%s)
    [[ -n $rss ]] && echo "$((now - started)),${step:-0},$rss,$hwm" >>"$out/$mode.csv"
    if ((now - started > max_seconds)) && [[ -z ${stopping:-} ]]; then
      echo "$mode: stopping the job after $max_seconds s, at step ${step:-0}" >&2
      kill -TERM "$job"
      stopping=1
    fi
    sleep 1
  done
  wait "$job" || echo "$mode: the job exited with $? (143: stopped at the time limit; see $out/$mode.log)" >&2
done
python3 bench/memory/summary.py "$out"/*.csv
