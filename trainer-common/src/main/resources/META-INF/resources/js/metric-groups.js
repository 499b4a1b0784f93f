// Which metrics share a chart, and in what order the charts come: the curves a person watches first (loss, reward,
// accuracy, KL) lead, the bookkeeping (learning rate, throughput) follows, and any numeric series not named here gets
// a chart of its own at the end, so a trainer that logs something new is plotted without a change to this file.

/** Known groups, most important first. A group is shown when the job logs at least one of its keys. */
export const GROUPS = [
  { id: "loss", title: "Loss", keys: ["loss", "eval_loss"] },
  { id: "reward", title: "Reward", keys: ["reward_mean", "reward_std"] },
  { id: "accuracy", title: "Accuracy", keys: ["accuracy", "eval_accuracy"] },
  { id: "kl", title: "KL(policy || reference)", keys: ["kl", "kl_k1", "kl_k3"] },
  { id: "entropy", title: "Entropy", keys: ["entropy"] },
  { id: "response_length", title: "Response length (tokens)", keys: ["response_length"] },
  { id: "ppo_loss", title: "PPO losses", keys: ["policy_loss", "value_loss"] },
  { id: "margin", title: "Reward margin", keys: ["margin", "eval_margin"] },
  { id: "perplexity", title: "Eval perplexity", keys: ["eval_ppl"] },
  { id: "lr", title: "Learning rate", keys: ["lr"] },
  { id: "grad_norm", title: "Gradient norm (before clipping)", keys: ["grad_norm", "critic_grad_norm"] },
  { id: "clipping", title: "Clipped fraction", keys: ["clip_frac", "value_clip_frac"] },
  { id: "approx_kl", title: "Approx. KL(old || new)", keys: ["approx_kl"] },
  { id: "kl_coef", title: "KL coefficient", keys: ["kl_coef"] },
  { id: "throughput", title: "Throughput", keys: ["tokens_per_s", "rollouts_per_s"] },
  { id: "timing", title: "Seconds per iteration", keys: ["time_rollouts_s", "time_train_s"] },
];

/** Counters and clocks that every point carries: the x axis or bookkeeping, not curves. */
export const NOT_PLOTTED = new Set(["step", "epoch", "elapsed_s", "iteration", "policy_version"]);

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
    charts.push({ id: key, title: key.replaceAll("_", " "), keys: [key] });
  }
  return charts;
}
