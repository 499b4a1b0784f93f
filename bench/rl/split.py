"""Splits exact-match accuracy into its two parts, from `./rlhf accuracy --answers` files: how many answers carry the
answer line at all, and how many worked equations ("a op b = c", the first line) are right, written or not."""
import json
import re
import sys

for path in sys.argv[1:]:
    rows = [json.loads(line) for line in open(path)]
    marked = sum("Answer:" in r["response"] for r in rows)
    sums = 0
    for r in rows:
        m = re.match(r"\s*\d+ [+-] \d+ = (-?\d+)", r["response"])
        sums += bool(m) and m.group(1) == r["reference"]
    correct = sum(r["correct"] for r in rows)
    n = len(rows)
    print(f"{path}: exact match {correct / n:.3f}, answer line {marked / n:.3f}, equation right {sums / n:.3f}")
