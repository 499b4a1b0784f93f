// An evaluation job's result (GET jobs/{id}/eval, the run's eval.json) as the dashboard's table: one row per
// comparison and judge with wins / ties / losses / invalid and the win rate with its 95% Wilson interval.

const fixed = value => (typeof value === "number" ? value.toFixed(3) : "-");

/** The table's rows, each an array of cell texts, for an eval.json document. */
export function evalRows(report) {
  const rows = [];
  for (const c of report.comparisons) {
    for (const [judge, label] of [["reward_model", "reward model"], ["llm", "LLM"]]) {
      const r = c[judge];
      if (r) {
        rows.push([
          `${c.candidate} vs ${c.baseline}`, label, String(r.wins), String(r.ties), String(r.losses),
          String(r.invalid), `${fixed(r.win_rate)} [${fixed(r.win_ci95.low)}, ${fixed(r.win_ci95.high)}]`,
        ]);
      }
    }
  }
  return rows;
}

/** The same rows as a <table> (document given, so that the page and a test can build it). */
export function evalTable(doc, report) {
  const table = doc.createElement("table");
  table.className = "jobs eval";
  const head = doc.createElement("tr");
  for (const title of ["comparison", "judge", "win", "tie", "loss", "invalid", "win rate [95% Wilson CI]"]) {
    const th = doc.createElement("th");
    th.textContent = title;
    head.append(th);
  }
  table.append(head);
  for (const cells of evalRows(report)) {
    const tr = doc.createElement("tr");
    for (const text of cells) {
      const td = doc.createElement("td");
      td.textContent = text;
      tr.append(td);
    }
    table.append(tr);
  }
  return table;
}
