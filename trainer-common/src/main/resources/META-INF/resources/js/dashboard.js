// The trainer dashboard: the job list (polled), and for the selected job its metrics as live charts over server-sent
// events (GET jobs/{id}/metrics), its latest generated samples (GET jobs/{id}/samples) and, for an evaluation, its
// win rates (GET jobs/{id}/eval). URLs are relative, so the page works behind a path prefix. The selected job is kept
// in the URL's fragment (#<id>), so a reload or a shared link shows the same job.

import { LineChart, formatValue } from "./line-chart.js";
import { sectionsFor } from "./metric-groups.js";
import { evalTable } from "./eval-summary.js";

const JOBS_EVERY_MS = 2000;
const RECONNECT_MS = 1000;
// The figure the job table shows from a job's latest point: the first of these that it carries.
const HEADLINE = ["loss", "objective/scores", "eval_loss", "eval_accuracy"];
const FINISHED = new Set(["succeeded", "failed", "cancelled"]);

const $ = id => document.getElementById(id);

/** Everything the page shows about the selected job; replaced whole when another job is selected. */
class JobView {
  constructor(id) {
    this.id = id;
    this.series = new Map(); // metric name -> [[step, value], ...] in the order logged
    this.points = 0;
    this.charts = new Map(); // chart id -> LineChart
    this.sections = new Map(); // metric namespace -> its <section> (heading and chart grid)
    this.source = null;
    this.drawPending = false;
    this.samplesFinal = false; // true once the samples were read after the job ended: nothing new will come
  }

  /** Opens the metrics stream; the server sends the series so far, then each new point, and ends with the job. */
  connect() {
    this.series.clear();
    this.points = 0;
    this.source = new EventSource(`jobs/${encodeURIComponent(this.id)}/metrics`);
    this.source.onopen = () => setStream("live");
    this.source.onmessage = event => this.add(JSON.parse(event.data));
    this.source.onerror = () => this.onStreamEnd();
  }

  close() {
    if (this.source) {
      this.source.close();
      this.source = null;
    }
  }

  add(point) {
    for (const [key, value] of Object.entries(point.values)) {
      // Non-finite numbers arrive as strings ("NaN"); booleans (early_stop) are flags, not curves.
      if (typeof value === "number" && Number.isFinite(value)) {
        if (!this.series.has(key)) {
          this.series.set(key, []);
        }
        this.series.get(key).push([point.step, value]);
      }
    }
    this.points++;
    this.scheduleDraw();
  }

  /**
   * The stream ended: either the job is over (the server completes the stream) or the connection broke. EventSource
   * would reconnect by itself and replay the series on top of what we have, so close it and decide here.
   */
  async onStreamEnd() {
    this.close();
    const response = await fetch(`jobs/${encodeURIComponent(this.id)}`).catch(() => null);
    if (selected !== this) {
      return;
    }
    const job = response && response.ok ? await response.json() : null;
    if (response && response.status === 404) {
      setStream("unknown"); // a stale link: the service restarted, or the id is wrong
    } else if (job && FINISHED.has(job.state)) {
      setStream("ended");
      loadSamples(this);
    } else {
      setStream("reconnecting");
      setTimeout(() => selected === this && this.connect(), RECONNECT_MS);
    }
  }

  /** Coalesces the burst of the backlog (and fast jobs) into one redraw per frame. */
  scheduleDraw() {
    if (!this.drawPending) {
      this.drawPending = true;
      requestAnimationFrame(() => {
        this.drawPending = false;
        this.draw();
      });
    }
  }

  /** One section per metric namespace (objective/, policy/, time/, ...), each a grid of its charts. */
  draw() {
    const container = $("charts");
    const wanted = sectionsFor(this.series.keys());
    for (const section of wanted) {
      for (const spec of section.charts) {
        if (!this.charts.has(spec.id)) {
          this.charts.set(spec.id, new LineChart(spec.id, spec.title));
        }
        this.charts.get(spec.id).update(spec.keys.map(key => ({ name: key, points: this.series.get(key) })));
      }
      this.sectionElement(section).grid.replaceChildren(...section.charts.map(spec => this.charts.get(spec.id).figure));
    }
    container.replaceChildren(...wanted.map(section => this.sectionElement(section).element));
    container.dataset.points = String(this.points);
    $("no-metrics").hidden = wanted.length > 0;
  }

  sectionElement(section) {
    if (!this.sections.has(section.prefix)) {
      const element = document.createElement("section");
      element.className = "metric-section";
      element.dataset.prefix = section.prefix;
      const heading = document.createElement("h3");
      heading.textContent = section.title;
      const grid = document.createElement("div");
      grid.className = "charts";
      element.append(heading, grid);
      this.sections.set(section.prefix, { element, grid });
    }
    return this.sections.get(section.prefix);
  }
}

let selected = null;

async function fetchJson(url) {
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  if (!response.ok) {
    throw new Error(`${url}: HTTP ${response.status}`);
  }
  return response.json();
}

function cell(text, className) {
  const td = document.createElement("td");
  td.textContent = text ?? "";
  if (className) {
    td.className = className;
  }
  return td;
}

function headline(metrics) {
  const key = HEADLINE.find(k => metrics && typeof metrics[k] === "number");
  return key ? `${key} ${formatValue(metrics[key])}` : "";
}

function progressCell(job) {
  const td = document.createElement("td");
  if (job.step === undefined) {
    return td;
  }
  const bar = document.createElement("progress");
  bar.max = job.total_steps || 1;
  bar.value = job.step;
  td.append(bar, ` ${job.step} / ${job.total_steps}`);
  return td;
}

function jobRow(job) {
  const tr = document.createElement("tr");
  tr.className = "job";
  tr.dataset.jobId = job.id;
  tr.tabIndex = 0;
  if (selected && selected.id === job.id) {
    tr.classList.add("selected");
  }
  const state = cell(job.state + (job.queue_position ? ` (#${job.queue_position})` : ""), `state state-${job.state}`);
  tr.append(cell(job.id, "mono"), state, progressCell(job), cell(headline(job.metrics)),
            cell(new Date(job.submitted).toLocaleString()), cell(job.run_dir, "mono"), cell(job.error, "error"));
  tr.onclick = () => select(job.id);
  tr.onkeydown = event => event.key === "Enter" && select(job.id);
  return tr;
}

async function refreshJobs() {
  let jobs;
  try {
    jobs = await fetchJson("jobs");
    $("service-status").textContent = "";
  } catch (e) {
    $("service-status").textContent = `cannot reach the service: ${e.message}`;
    return;
  }
  $("jobs").replaceChildren(...jobs.map(jobRow));
  $("no-jobs").hidden = jobs.length > 0;
  const job = selected && jobs.find(j => j.id === selected.id);
  if (job) {
    $("job-state").textContent = job.state + (job.error ? `: ${job.error}` : "");
    if (!selected.samplesFinal) {
      selected.samplesFinal = FINISHED.has(job.state);
      loadSamples(selected);
      if (job.state === "succeeded") {
        loadEval(selected);
      }
    }
  }
}

function setStream(state) {
  $("job-panel").dataset.stream = state;
  const labels = {
    connecting: "connecting...", live: "live", ended: "job ended", reconnecting: "reconnecting...",
    unknown: "no such job",
  };
  $("stream-state").textContent = labels[state];
}

async function loadSamples(view) {
  let entries;
  try {
    entries = await fetchJson(`jobs/${encodeURIComponent(view.id)}/samples?limit=1`);
  } catch (e) {
    return; // the next poll tries again
  }
  if (selected !== view) {
    return;
  }
  const list = $("samples");
  if (entries.length === 0) {
    $("samples-step").textContent = "";
    delete list.dataset.step;
    list.replaceChildren();
    $("no-samples").hidden = false;
    return;
  }
  $("no-samples").hidden = true;
  if (list.dataset.step === String(entries[0].step)) {
    return; // unchanged: leave the text alone (a reader may be selecting it)
  }
  $("samples-step").textContent = `at step ${entries[0].step}`;
  list.dataset.step = String(entries[0].step);
  list.replaceChildren(...entries[0].samples.map(sample => {
    const item = document.createElement("article");
    item.className = "sample";
    const prompt = document.createElement("pre");
    prompt.className = "prompt";
    prompt.textContent = sample.prompt;
    const completion = document.createElement("pre");
    completion.className = "completion";
    completion.textContent = sample.completion;
    item.append(prompt, completion);
    return item;
  }));
}

/** An evaluation job's win rates, once it succeeded; other jobs have none (404) and the section stays hidden. */
async function loadEval(view) {
  let report;
  try {
    report = await fetchJson(`jobs/${encodeURIComponent(view.id)}/eval`);
  } catch (e) {
    return;
  }
  if (selected !== view) {
    return;
  }
  $("eval-prompts").textContent = `${report.prompts} prompts`;
  $("eval").replaceChildren(evalTable(document, report));
  $("eval-panel").hidden = false;
}

function select(id) {
  if (selected) {
    selected.close();
  }
  selected = new JobView(id);
  if (location.hash !== `#${id}`) {
    history.replaceState(null, "", `#${id}`);
  }
  document.querySelectorAll("tr.job").forEach(tr => tr.classList.toggle("selected", tr.dataset.jobId === id));
  const panel = $("job-panel");
  panel.hidden = false;
  $("hint").hidden = true;
  panel.dataset.jobId = id;
  $("job-title").textContent = `Job ${id}`;
  $("job-state").textContent = "";
  $("charts").replaceChildren();
  $("charts").dataset.points = "0";
  $("no-metrics").hidden = false;
  $("samples").replaceChildren();
  $("eval").replaceChildren();
  $("eval-panel").hidden = true;
  delete $("samples").dataset.step;
  $("samples-step").textContent = "";
  $("no-samples").hidden = true;
  setStream("connecting");
  selected.connect();
  refreshJobs(); // the row's highlight, the job's state and its samples
}

window.addEventListener("hashchange", () => {
  const id = decodeURIComponent(location.hash.slice(1));
  if (id && (!selected || selected.id !== id)) {
    select(id);
  }
});

if (location.hash.length > 1) {
  select(decodeURIComponent(location.hash.slice(1)));
}
refreshJobs();
setInterval(refreshJobs, JOBS_EVERY_MS);
