// Which metrics share a chart, in what order the charts come, and under which heading. Metric names may carry a
// namespace (`objective/kl`, `policy/clipfrac_avg`, `time/train`: the names TRL logs); the charts are grouped into one
// section per namespace, in the order their most important chart comes. The curves a person watches first (loss,
// reward, accuracy, KL) lead, the bookkeeping (learning rate, throughput, time) follows, and any numeric series not
// named here gets a chart of its own in its namespace's section, so a trainer that logs something new is plotted
// without a change to this file.

/** Known groups, most important first. A group is shown when the job logs at least one of its keys. */
export const GROUPS = [
  { id: "loss", title: "Loss", keys: ["loss", "eval_loss"] },
  { id: "scores", title: "Reward model score", keys: ["objective/scores"] },
  { id: "rlhf_reward", title: "Return (shaped score + KL part)", keys: ["objective/rlhf_reward", "objective/non_score_reward"] },
  { id: "accuracy", title: "Accuracy", keys: ["accuracy", "eval_accuracy"] },
  { id: "kl", title: "KL(policy || reference) per response", keys: ["objective/kl"] },
  { id: "kl_token", title: "KL(policy || reference) per token", keys: ["objective/kl_per_token", "objective/kl_k3_per_token"] },
  { id: "entropy", title: "Entropy per response", keys: ["objective/entropy"] },
  { id: "response_length", title: "Response length (tokens)", keys: ["response/length"] },
  { id: "ppo_loss", title: "PPO losses", keys: ["loss/policy_avg", "loss/value_avg"] },
  { id: "margin", title: "Reward margin", keys: ["margin", "eval_margin"] },
  { id: "perplexity", title: "Eval perplexity", keys: ["eval_ppl"] },
  { id: "lr", title: "Learning rate", keys: ["lr"] },
  { id: "grad_norm", title: "Gradient norm (before clipping)", keys: ["grad_norm"] },
  { id: "policy_grad_norm", title: "Gradient norms (before clipping)", keys: ["policy/grad_norm", "val/grad_norm"] },
  { id: "clipping", title: "Clipped fraction", keys: ["policy/clipfrac_avg", "val/clipfrac_avg"] },
  { id: "approx_kl", title: "Approx. KL(old || new)", keys: ["policy/approxkl_avg"] },
  { id: "kl_coef", title: "KL coefficient", keys: ["objective/kl_coef"] },
  { id: "throughput", title: "Throughput", keys: ["tokens_per_s", "rollouts/per_s"] },
  { id: "timing", title: "Seconds per iteration", keys: ["time/rollouts", "time/generate", "time/score", "time/train", "time/update", "time/checkpoint"] },
];

/** Section headings of the namespaces the suite logs; any other namespace is shown by its own name. */
export const SECTIONS = {
  "": "Training",
  objective: "Objective",
  policy: "Policy",
  loss: "Losses",
  val: "Value model",
  response: "Responses",
  rollouts: "Rollouts",
  time: "Time",
  sync: "Policy sync",
  rewards: "Reward sources",
  sampling: "Off-policy correction",
  ppo: "Optimisation",
  data: "Data",
};

/** Counters and clocks that every point carries: the x axis or bookkeeping, not curves. */
export const NOT_PLOTTED = new Set(["step", "epoch", "elapsed_s", "iteration", "policy_version"]);

/** The namespace of a metric: what comes before its first `/`, or "" for a plain name. */
export function prefixOf(key) {
  const slash = key.indexOf("/");
  return slash < 0 ? "" : key.slice(0, slash);
}

/**
 * The charts for a job that has logged numeric series `keys`: [{id, title, keys}], the known groups first (each with
 * only the keys the job has, in the group's order), then one chart per other key, alphabetically.
 */
export function chartsFor(keys) {
  const present = new Set([...keys].filter(k => !NOT_PLOTTED.has(k)));
  const charts = [];
  for (const group of GROUPS) {
    const groupKeys = group.keys.filter(k => present.has(k));
    if (groupKeys.length > 0) {
      charts.push({ ...group, keys: groupKeys });
      groupKeys.forEach(k => present.delete(k));
    }
  }
  for (const key of [...present].sort()) {
    const name = key.slice(key.indexOf("/") + 1);
    charts.push({ id: key, title: name.replaceAll("_", " "), keys: [key] });
  }
  return charts;
}

/**
 * The charts of `chartsFor(keys)` grouped by the namespace of their first key: [{prefix, title, charts}], sections in
 * the order of their first chart, charts in their order within each.
 */
export function sectionsFor(keys) {
  const sections = new Map();
  for (const chart of chartsFor(keys)) {
    const prefix = prefixOf(chart.keys[0]);
    if (!sections.has(prefix)) {
      sections.set(prefix, { prefix, title: SECTIONS[prefix] ?? prefix, charts: [] });
    }
    sections.get(prefix).charts.push(chart);
  }
  return [...sections.values()];
}
