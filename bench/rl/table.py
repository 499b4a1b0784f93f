"""Prints the estimators benchmark as a Markdown table: one row per pipeline run under the given directory."""
import json
import pathlib
import sys

root = pathlib.Path(sys.argv[1])
print("| run | held-out accuracy before -> after | s / iteration | generate / score / train s | reward first -> last |")
print("|---|---|---:|---|---|")
for summary in sorted(root.glob("*/summary.json")):
    r = json.loads(summary.read_text())["results"]
    f = lambda k: "-" if r.get(k) is None else "%.3f" % r[k]
    print(f"| {summary.parent.name} | {f('heldout_accuracy_before')} -> {f('heldout_accuracy_after')} "
          f"| {f('ppo_iteration_s')} | {f('ppo_generate_s')} / {f('ppo_score_s')} / {f('ppo_train_s')} "
          f"| {f('ppo_reward_first')} -> {f('ppo_reward_last')} |")
