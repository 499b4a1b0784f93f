// A small SVG line chart: one or more series of (step, value) points sharing a step axis, with grid lines, tick
// labels and a legend holding each series' latest value. No dependencies; redrawn whole on each update, which is
// cheap at the sizes a training curve has (a few thousand points).

const SVG = "http://www.w3.org/2000/svg";
const WIDTH = 440;
const HEIGHT = 230;
const MARGIN = { top: 12, right: 14, bottom: 26, left: 58 };
const COLORS = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2"];
// Series with at most this many points (evaluations, say) get a marker on each point.
const MARKERS_UP_TO = 40;

/**
 * "Nice" ticks (1, 2 or 5 times a power of ten apart) covering [lo, hi]: about `count` of them, at least two where the
 * range allows. Returns {step, values}.
 */
export function ticks(lo, hi, count) {
  if (lo === hi) {
    return { step: Math.abs(lo) || 1, values: [lo] };
  }
  const raw = (hi - lo) / count;
  const power = Math.pow(10, Math.floor(Math.log10(raw)));
  const steps = [0.1, 0.2, 0.5, 1, 2, 5, 10].map(m => m * power);
  let index = steps.findIndex(s => s >= raw);
  let values = multiples(lo, hi, steps[index]);
  while (values.length < 2 && index > 0) {
    index--;
    values = multiples(lo, hi, steps[index]);
  }
  return { step: steps[index], values };
}

function multiples(lo, hi, step) {
  const out = [];
  for (let i = Math.ceil(lo / step); i * step <= hi + step * 1e-9; i++) {
    out.push(i * step);
  }
  return out;
}

/** A tick label: as many decimals as the tick spacing `step` needs to tell neighbouring ticks apart. */
export function formatTick(t, step) {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  const fixed = t.toFixed(decimals);
  if (fixed.length <= 8 || t === 0) {
    return String(Number(fixed));
  }
  const digits = Math.max(1, Math.floor(Math.log10(Math.abs(t))) - Math.floor(Math.log10(step)));
  return t.toExponential(Math.min(digits, 6));
}

/** A number short enough for a legend. */
export function formatValue(v) {
  if (v === 0) {
    return "0";
  }
  const abs = Math.abs(v);
  if (abs >= 1e5 || abs < 1e-3) {
    return v.toExponential(2);
  }
  return Number(v.toPrecision(abs >= 100 ? 5 : 4)).toString();
}

function element(name, attributes, text) {
  const el = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) {
    el.setAttribute(key, value);
  }
  if (text !== undefined) {
    el.textContent = text;
  }
  return el;
}

/**
 * The axis range of `values`, at least 1% of their magnitude wide (1 around zero): a near-constant series (a learning
 * rate early in a long cosine schedule) then draws as the flat line it is, with readable tick labels, rather than as
 * magnified rounding noise; a single value sits mid-plot.
 */
function range(values) {
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  const minSpan = Math.max(Math.abs(lo), Math.abs(hi)) * 0.01 || 1;
  if (hi - lo < minSpan) {
    const pad = (minSpan - (hi - lo)) / 2;
    lo -= pad;
    hi += pad;
  }
  return [lo, hi];
}

/** `range` with 5% headroom above and below, so that a curve's extremes do not run along the frame. */
function paddedRange(values) {
  const [lo, hi] = range(values);
  const pad = (hi - lo) * 0.05;
  return [lo - pad, hi + pad];
}

/**
 * One chart: a <figure> with a title, a legend and an SVG plot. The figure carries data-group (the metric group) and
 * data-points (how many points are plotted in all), which is what tests and scripts can read.
 */
export class LineChart {
  constructor(group, title) {
    this.figure = document.createElement("figure");
    this.figure.className = "chart";
    this.figure.dataset.group = group;
    this.figure.dataset.points = "0";
    const caption = document.createElement("figcaption");
    const heading = document.createElement("span");
    heading.className = "chart-title";
    heading.textContent = title;
    this.legend = document.createElement("span");
    this.legend.className = "legend";
    caption.append(heading, this.legend);
    this.svg = element("svg", { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: "img", "aria-label": title });
    this.figure.append(caption, this.svg);
  }

  /** Redraws with `series`: [{name, points: [[step, value], ...]}], points in step order. */
  update(series) {
    const drawn = series.filter(s => s.points.length > 0);
    const all = drawn.flatMap(s => s.points);
    this.figure.dataset.points = String(all.length);
    this.svg.replaceChildren();
    this.legend.replaceChildren(...drawn.map((s, i) => this.legendEntry(s, COLORS[i % COLORS.length])));
    if (all.length === 0) {
      return;
    }
    const [x0, x1] = range(all.map(p => p[0]));
    const [y0, y1] = paddedRange(all.map(p => p[1]));
    const plotW = WIDTH - MARGIN.left - MARGIN.right;
    const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
    const sx = x => MARGIN.left + ((x - x0) / (x1 - x0)) * plotW;
    const sy = y => MARGIN.top + (1 - (y - y0) / (y1 - y0)) * plotH;
    this.drawAxes(x0, x1, y0, y1, sx, sy);
    drawn.forEach((s, i) => this.drawSeries(s, COLORS[i % COLORS.length], sx, sy));
  }

  legendEntry(series, color) {
    const entry = document.createElement("span");
    entry.className = "legend-entry";
    entry.style.setProperty("--series-color", color);
    const last = series.points[series.points.length - 1];
    entry.textContent = `${series.name} ${formatValue(last[1])}`;
    entry.title = `${series.name} at step ${last[0]}: ${last[1]}`;
    return entry;
  }

  drawAxes(x0, x1, y0, y1, sx, sy) {
    const left = MARGIN.left;
    const right = WIDTH - MARGIN.right;
    const bottom = HEIGHT - MARGIN.bottom;
    const yTicks = ticks(y0, y1, 4);
    for (const t of yTicks.values) {
      this.svg.append(
        element("line", { class: "grid", x1: left, x2: right, y1: sy(t), y2: sy(t) }),
        element("text", { class: "tick", x: left - 6, y: sy(t) + 4, "text-anchor": "end" },
                formatTick(t, yTicks.step)));
    }
    for (const t of ticks(x0, x1, 5).values.filter(Number.isInteger)) {
      this.svg.append(
        element("line", { class: "grid", x1: sx(t), x2: sx(t), y1: MARGIN.top, y2: bottom }),
        element("text", { class: "tick", x: sx(t), y: bottom + 16, "text-anchor": "middle" }, String(t)));
    }
    this.svg.append(element("rect", { class: "frame", x: left, y: MARGIN.top, width: right - left,
                                      height: bottom - MARGIN.top }));
  }

  drawSeries(series, color, sx, sy) {
    const points = series.points.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(" ");
    this.svg.append(element("polyline", { class: "line", points, stroke: color, "data-series": series.name,
                                          "data-points": series.points.length }));
    if (series.points.length <= MARKERS_UP_TO) {
      for (const [x, y] of series.points) {
        const marker = element("circle", { class: "marker", cx: sx(x), cy: sy(y), r: 2.5, fill: color });
        marker.append(element("title", {}, `${series.name} at step ${x}: ${y}`));
        this.svg.append(marker);
      }
    }
  }
}
