"""Medians of PPO runs' metrics.jsonl by mode (run directories named overlap-<true|false>-<i>-...).

Iteration 1 is left out of every figure: it includes loading the worker's policy and the first gRPC calls.
"""
import json
import pathlib
import statistics
import sys


def run_figures(metrics_file):
    rows = [json.loads(line) for line in metrics_file.read_text().splitlines() if line.strip()][1:]
    wall = sum(r["time/rollouts"] + r["time/train"] for r in rows)
    n = len(rows)
    return {
        "rollouts_per_s": sum(r["rollouts/per_s"] * (r["time/rollouts"] + r["time/train"]) for r in rows) / wall,
        "iteration_s": wall / n,
        "wait_rollouts_s": sum(r["time/rollouts"] for r in rows) / n,
        "generate_s": sum(r["time/generate"] for r in rows) / n,
        "score_s": sum(r["time/score"] for r in rows) / n,
        "train_s": sum(r["time/train"] for r in rows) / n,
        "staleness": sum(r["rollouts/staleness"] for r in rows) / n,
        "reward_last": rows[-1]["objective/scores"],
    }


def main(root):
    by_mode = {}
    for metrics in sorted(pathlib.Path(root).glob("overlap-*/metrics.jsonl")):
        mode = metrics.parent.name.split("-")[1]
        by_mode.setdefault(mode, []).append(run_figures(metrics))
    keys = ["rollouts_per_s", "iteration_s", "wait_rollouts_s", "generate_s", "score_s", "train_s", "staleness",
            "reward_last"]
    print("| mode | runs | " + " | ".join(keys) + " |")
    print("|---|---|" + "---|" * len(keys))
    medians = {}
    for mode in ("false", "true"):
        runs = by_mode.get(mode, [])
        if not runs:
            continue
        medians[mode] = {k: statistics.median(r[k] for r in runs) for k in keys}
        name = "overlap" if mode == "true" else "synchronous"
        print(f"| {name} | {len(runs)} | " + " | ".join(f"{medians[mode][k]:.3f}" for k in keys) + " |")
    if "false" in medians and "true" in medians:
        print(f"\nspeed-up of overlap (rollouts/s): {medians['true']['rollouts_per_s'] / medians['false']['rollouts_per_s']:.2f}x")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "runs/bench-ppo/ppo")
