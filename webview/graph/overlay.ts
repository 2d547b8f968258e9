// Per-node values painted on the graph (activation stats, timings, change after a weight edit): a
// colour per node from a theme-derived scale, and a legend that says what the colours mean.
import type { NodeOverlay } from '../view.js';
import type { SceneState } from './scene-state.js';
import type { GraphTheme } from './theme.js';

export type OverlayLegend = NodeOverlay['legend'];

/** Parses a CSS colour (#rgb, #rrggbb(aa), rgb(a)) into 0..255 channels; null when unknown. */
export function parseColour(c: string): [number, number, number] | null {
  const s = c.trim();
  let m = /^#([0-9a-f]{3,8})$/i.exec(s);
  if (m) {
    const hex = m[1].length <= 4 ? m[1].split('').map((x) => x + x).join('') : m[1];
    return [parseInt(hex.slice(0, 2), 16), parseInt(hex.slice(2, 4), 16), parseInt(hex.slice(4, 6), 16)];
  }
  m = /^rgba?\(\s*([\d.]+)[ ,]+([\d.]+)[ ,]+([\d.]+)/i.exec(s);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
}

const mix = (a: [number, number, number], b: [number, number, number], t: number) =>
  `rgb(${Math.round(a[0] + (b[0] - a[0]) * t)}, ${Math.round(a[1] + (b[1] - a[1]) * t)}, ${Math.round(a[2] + (b[2] - a[2]) * t)})`;

/** The fill of each class of a categorical legend: its theme colour, softened toward the node fill so the text stays readable. */
export function classColours(legend: OverlayLegend, theme: GraphTheme): string[] {
  const cs = getComputedStyle(document.body);
  const bg = parseColour(theme.nodeFill) ?? [128, 128, 128];
  return (legend.classes ?? []).map((c) => {
    const raw = cs.getPropertyValue(c.colourVar).trim();
    const rgb = parseColour(raw);
    return rgb ? mix(bg, rgb, theme.highContrast ? 1 : 0.6) : raw || theme.nodeFill;
  });
}

/** The colour of value `v` on the legend's scale: background → blue (sequential), red ← bg → blue (diverging). */
export function overlayColour(v: number, legend: OverlayLegend, theme: GraphTheme): string | null {
  if (!Number.isFinite(v)) return null;
  const bg = parseColour(theme.nodeFill) ?? [128, 128, 128];
  const hi = parseColour(theme.category.conv) ?? [0, 120, 212];
  const lo = parseColour(theme.category.activation) ?? [200, 60, 60];
  if (legend.scale === 'diverging') {
    const m = Math.max(Math.abs(legend.min), Math.abs(legend.max)) || 1;
    const t = Math.max(-1, Math.min(1, v / m));
    return t >= 0 ? mix(bg, hi, 0.15 + 0.85 * t) : mix(bg, lo, 0.15 + 0.85 * -t);
  }
  const span = legend.max - legend.min || 1;
  const t = Math.max(0, Math.min(1, (v - legend.min) / span));
  return mix(bg, hi, 0.1 + 0.9 * t);
}

/** Fill colours per scene index for an overlay (closed groups take the mean of their nodes). */
export function overlayFills(st: SceneState, values: Float32Array, legend: OverlayLegend, theme: GraphTheme): (string | null)[] {
  if (legend.scale === 'categorical') return classFills(st, values, classColours(legend, theme));
  const { scene, model } = st;
  const L = model.leafCount;
  const sums = new Float64Array(st.hier.groupLabel.length), counts = new Int32Array(st.hier.groupLabel.length);
  for (let leaf = 0; leaf < model.nodeCount && leaf < values.length; leaf++) {
    const v = values[leaf];
    if (!Number.isFinite(v)) continue;
    for (let g = st.hier.leafParent[leaf]; g >= 0; g = st.hier.groupParent[g]) { sums[g] += v; counts[g]++; }
  }
  return Array.from(scene.items, (it) => {
    if (it < L) return it < model.nodeCount && it < values.length ? overlayColour(values[it], legend, theme) : null;
    const g = it - L;
    return counts[g] ? overlayColour(sums[g] / counts[g], legend, theme) : null;
  });
}

/** Categorical fills: a class per leaf; a closed group takes the highest class inside it (classes go from least to most notable). */
function classFills(st: SceneState, values: Float32Array, colours: string[]): (string | null)[] {
  const L = st.model.leafCount;
  const top = new Int32Array(st.hier.groupLabel.length).fill(-1);
  for (let leaf = 0; leaf < st.model.nodeCount && leaf < values.length; leaf++) {
    const v = values[leaf];
    if (Number.isFinite(v)) for (let g = st.hier.leafParent[leaf]; g >= 0; g = st.hier.groupParent[g]) top[g] = Math.max(top[g], v);
  }
  return Array.from(st.scene.items, (it) => {
    const v = it < L ? (it < values.length ? values[it] : NaN) : top[it - L];
    return Number.isFinite(v) && v >= 0 ? colours[v] ?? null : null;
  });
}

/** The legend box: title, a gradient, min and max (or a swatch per class). */
export function renderLegend(el: HTMLElement, legend: OverlayLegend | null, theme: GraphTheme): void {
  el.replaceChildren();
  el.hidden = !legend;
  if (!legend) return;
  if (legend.scale === 'categorical') {
    const colours = classColours(legend, theme);
    const title = document.createElement('div');
    title.className = 'legend-title';
    title.textContent = legend.title;
    el.append(title, ...(legend.classes ?? []).map((c, i) => {
      const row = document.createElement('div');
      row.className = 'legend-class';
      row.dataset.class = c.label;
      const sw = document.createElement('span');
      sw.className = 'legend-swatch';
      sw.style.background = colours[i];
      row.append(sw, `${c.label}${c.count === undefined ? '' : ` (${c.count})`}`);
      return row;
    }));
    return;
  }
  const title = document.createElement('div');
  title.className = 'legend-title';
  title.textContent = legend.unit ? `${legend.title} (${legend.unit})` : legend.title;
  const bar = document.createElement('div');
  bar.className = 'legend-bar';
  const stops = legend.scale === 'diverging'
    ? [overlayColour(legend.min, legend, theme), overlayColour(0, legend, theme), overlayColour(legend.max, legend, theme)]
    : [overlayColour(legend.min, legend, theme), overlayColour(legend.max, legend, theme)];
  bar.style.background = `linear-gradient(to right, ${stops.join(', ')})`;
  const ends = document.createElement('div');
  ends.className = 'legend-ends';
  const fmt = (x: number) => (Math.abs(x) >= 1e4 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(2) : String(+x.toPrecision(4)));
  const a = document.createElement('span'); a.textContent = fmt(legend.min);
  const b = document.createElement('span'); b.textContent = fmt(legend.max);
  ends.append(a, b);
  el.append(title, bar, ends);
}

/** Per-node overlay values as one array by node id (NaN where a node has none); an array passes through. */
export function overlayArray(values: Map<number, number> | Float32Array, nodeCount: number): Float32Array {
  if (values instanceof Float32Array) return values;
  const arr = new Float32Array(nodeCount).fill(NaN);
  for (const [k, v] of values) if (k >= 0 && k < arr.length) arr[k] = v;
  return arr;
}
