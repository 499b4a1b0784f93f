"""Summarises the resident-memory samples of bench/memory/long_sft_rss.sh: one row per CSV (one job).

  python3 bench/memory/summary.py runs/bench-memory/policy.csv runs/bench-memory/default.csv

Columns: the steps the job reached; peak RSS (the kernel's high-water mark, VmHWM); RSS at 10% of those steps (the
first sample at or past it: warm-up is over, the first epoch's batches and an evaluation have been through); RSS at
the end (the last sample); the slope after warm-up, in MB per 1000 steps, the least-squares line through every sample
from 10% on; and the largest RSS after warm-up minus the RSS at 10%. Steps, not seconds: the figures hold on a busy box.
"""

import csv
import sys
from pathlib import Path


def slope(points):
    """Least-squares slope of (x, y) points; 0 for fewer than two distinct x."""
    n = len(points)
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    sxx = sum((x - mx) ** 2 for x, _ in points)
    if sxx == 0:
        return 0.0
    return sum((x - mx) * (y - my) for x, y in points) / sxx


def summarise(path):
    with open(path) as f:
        rows = [(int(r["step"]), int(r["rss_kb"]) / 1024, int(r["hwm_kb"]) / 1024) for r in csv.DictReader(f)]
    if not rows:
        raise SystemExit(f"{path}: no samples")
    steps = max(step for step, _, _ in rows)
    warm = max(1, steps // 10)
    after = [(step, rss) for step, rss, _ in rows if step >= warm]
    if not after:
        raise SystemExit(f"{path}: no sample past step {warm} (the job reached step {steps})")
    at_warm = after[0][1]
    return {
        "job": Path(path).stem,
        "steps": steps,
        "peak": max(hwm for _, _, hwm in rows),
        "warm": at_warm,
        "warm_step": after[0][0],
        "end": rows[-1][1],
        "slope": slope(after) * 1000,
        "growth": max(rss for _, rss in after) - at_warm,
    }


def main():
    print("| job | steps | peak RSS (MB) | RSS at 10% (step) | RSS at end | slope after warm-up (MB / 1000 steps)"
          " | max after warm-up - RSS at 10% |")
    print("|---|---|---|---|---|---|---|")
    for path in sys.argv[1:]:
        s = summarise(path)
        print(f"| {s['job']} | {s['steps']} | {s['peak']:.0f} | {s['warm']:.0f} ({s['warm_step']}) | {s['end']:.0f}"
              f" | {s['slope']:+.1f} | {s['growth']:+.0f} MB |")


if __name__ == "__main__":
    main()
