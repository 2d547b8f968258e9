// One model output in the Run panel: shape and dtype, stats, histogram, top-k (classifiers, with
// an optional labels list), a heatmap for 2-D slices, an image for image-like outputs, and a paged
// value table. Every model string goes in through textContent.
import type { OutputPayload } from '../../src/features/run/protocol.js';
import { HistogramChart } from '../params/histogram-chart.js';
import { h } from '../shell/dom.js';
import { elementText, fmtNum, outputNumbers } from './decode.js';

const PAGE = 100;
const TOP_K = 5;
const MAX_HEAT = 256;

export interface OutputCardOptions {
  labels(): string[] | null;
  exportAs(output: string, format: 'npy' | 'json'): void;
}

function button(label: string, onClick: () => void, title?: string): HTMLButtonElement {
  const b = h('button', { class: 'ml-button', text: label, attrs: { type: 'button', ...(title ? { title } : {}) } });
  b.addEventListener('click', onClick);
  return b;
}

function statsList(o: OutputPayload): HTMLElement {
  const s = o.stats;
  const rows: [string, string][] = [
    ['min', fmtNum(s.min)], ['max', fmtNum(s.max)], ['mean', fmtNum(s.mean)], ['std', fmtNum(s.std)],
    ['abs max', fmtNum(s.absMax)], ['NaN', String(s.nan)], ['Inf', String(s.inf)],
  ];
  return h('dl', { class: 'run-stats' }, ...rows.flatMap(([k, v]) => [h('dt', { text: k }), h('dd', { text: v, attrs: { 'data-stat': k } })]));
}

/** Last axis as classes: top-k of the first row when the output looks like scores. */
function topK(o: OutputPayload, values: Float64Array, labels: string[] | null): HTMLElement | null {
  const classes = o.shape[o.shape.length - 1];
  if (Array.isArray(o.data) || !classes || classes < 2 || classes > 100_000 || o.sent < classes) return null;
  if (o.shape.slice(0, -1).some((d) => d !== 1)) return null;
  const idx = Array.from({ length: classes }, (_, i) => i).filter((i) => Number.isFinite(values[i]));
  idx.sort((a, b) => values[b] - values[a]);
  const k = Math.min(TOP_K, idx.length);
  const list = h('ol', { class: 'run-topk', attrs: { 'aria-label': `Top ${k} of ${o.name}` } });
  for (const i of idx.slice(0, TOP_K)) {
    const label = labels?.[i];
    list.append(h('li', {}, h('span', { class: 'topk-class', text: label ? `${label} (${i})` : `class ${i}` }), h('span', { class: 'topk-score', text: fmtNum(values[i]) })));
  }
  return h('div', { class: 'run-block' }, h('h4', { text: `Top ${k}` }), list);
}

/** The last two axes of the first slice, as [rows, cols] with the offset 0. */
function slice2d(o: OutputPayload): [number, number] | null {
  const r = o.shape.length;
  if (r < 2) return null;
  const rows = o.shape[r - 2], cols = o.shape[r - 1];
  if (rows < 2 || cols < 2 || rows * cols > o.sent) return null;
  return [rows, cols];
}

function heatmap(o: OutputPayload, values: Float64Array): HTMLElement | null {
  const s = slice2d(o);
  if (!s) return null;
  const [rows, cols] = s;
  const H = Math.min(rows, MAX_HEAT), W = Math.min(cols, MAX_HEAT);
  const canvas = h('canvas', { class: 'run-heatmap', attrs: { width: String(W), height: String(H), role: 'img', 'aria-label': `Heatmap of ${o.name}, first ${rows}×${cols} slice` } });
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < rows * cols; i++) if (Number.isFinite(values[i])) { lo = Math.min(lo, values[i]); hi = Math.max(hi, values[i]); }
  const g = canvas.getContext('2d');
  if (g && lo <= hi) {
    const img = g.createImageData(W, H);
    const span = hi - lo || 1;
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
      const v = values[Math.floor((y * rows) / H) * cols + Math.floor((x * cols) / W)];
      const t = Number.isFinite(v) ? (v - lo) / span : 0;
      const k = (y * W + x) * 4;
      // A perceptually ordered dark→light ramp (blue → yellow) readable on light and dark themes.
      img.data[k] = Math.round(30 + 225 * t);
      img.data[k + 1] = Math.round(40 + 190 * t);
      img.data[k + 2] = Math.round(120 - 90 * t);
      img.data[k + 3] = 255;
    }
    g.putImageData(img, 0, 0);
  }
  const image = imageLike(o) ? imageView(o, values) : null;
  return h('div', { class: 'run-block' },
    h('h4', { text: `Heatmap [${rows}×${cols}]` }), canvas,
    h('div', { class: 'run-note', text: `${fmtNum(lo)} … ${fmtNum(hi)}` }), image);
}

/** [1, 3, H, W] / [1, H, W, 3] (or 1 channel): worth showing as a picture. */
function imageLike(o: OutputPayload): boolean {
  const s = o.shape;
  return s.length === 4 && s[0] === 1 && ((s[1] === 3 || s[1] === 1) && s[2] >= 8 && s[3] >= 8 || (s[3] === 3 || s[3] === 1) && s[1] >= 8 && s[2] >= 8);
}

function imageView(o: OutputPayload, values: Float64Array): HTMLElement | null {
  const s = o.shape;
  const nchw = s[1] === 3 || s[1] === 1;
  const C = nchw ? s[1] : s[3], H = nchw ? s[2] : s[1], W = nchw ? s[3] : s[2];
  if (C * H * W > o.sent || H > 2048 || W > 2048) return null;
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < C * H * W; i++) if (Number.isFinite(values[i])) { lo = Math.min(lo, values[i]); hi = Math.max(hi, values[i]); }
  const canvas = h('canvas', { class: 'run-image', attrs: { width: String(W), height: String(H), role: 'img', 'aria-label': `${o.name} as an image` } });
  const g = canvas.getContext('2d');
  if (!g) return null;
  const img = g.createImageData(W, H);
  const span = hi - lo || 1;
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) for (let c = 0; c < 3; c++) {
    const ch = Math.min(c, C - 1);
    const v = values[nchw ? (ch * H + y) * W + x : (y * W + x) * C + ch];
    img.data[(y * W + x) * 4 + c] = Math.round(255 * ((v - lo) / span));
  }
  for (let i = 3; i < img.data.length; i += 4) img.data[i] = 255;
  g.putImageData(img, 0, 0);
  return h('div', {}, h('h4', { text: 'As an image' }), canvas);
}

function valueTable(o: OutputPayload, values: Float64Array): HTMLElement {
  let page = 0;
  const pages = Math.max(1, Math.ceil(o.sent / PAGE));
  const body = h('tbody');
  const label = h('span', { class: 'run-note', attrs: { 'aria-live': 'polite' } });
  const strides = o.shape.map((_, i) => o.shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const index = (i: number) => (o.shape.length ? `[${strides.map((st, k) => Math.floor(i / st) % o.shape[k]).join(', ')}]` : '[]');
  const prev = button('‹ Prev', () => render(page - 1));
  const next = button('Next ›', () => render(page + 1));
  const render = (p: number) => {
    page = Math.max(0, Math.min(pages - 1, p));
    body.replaceChildren();
    for (let i = page * PAGE; i < Math.min(o.sent, (page + 1) * PAGE); i++) {
      body.append(h('tr', {}, h('td', { class: 'idx', text: index(i) }), h('td', { class: 'val', text: elementText(o, values, i) })));
    }
    label.textContent = `Page ${page + 1} of ${pages}${o.sent < o.elements ? ` (first ${o.sent} of ${o.elements} values)` : ''}`;
    prev.disabled = page === 0;
    next.disabled = page >= pages - 1;
  };
  render(0);
  return h('div', { class: 'run-block run-values' },
    h('h4', { text: 'Values' }),
    h('table', { class: 'run-table', attrs: { 'aria-label': `Values of ${o.name}` } }, h('thead', {}, h('tr', {}, h('th', { text: 'Index' }), h('th', { text: 'Value' }))), body),
    h('div', { class: 'run-pager' }, prev, label, next));
}

/** Builds the card of one output; `chart.draw()` runs once it is in the page. */
export function outputCard(o: OutputPayload, opts: OutputCardOptions): { element: HTMLElement; draw(): void } {
  const values = outputNumbers(o);
  const chart = new HistogramChart(`Histogram of ${o.name}`);
  const top = topK(o, values, opts.labels());
  const element = h('section', { class: 'run-output', attrs: { 'data-output': o.name, 'aria-label': `Output ${o.name}` } },
    h('header', { class: 'run-output-head' },
      h('h3', { class: 'output-name', text: o.name }),
      h('span', { class: 'run-badge', text: o.dtype }),
      h('span', { class: 'output-shape', text: `[${o.shape.join(', ')}]` }),
      h('span', { class: 'spacer' }),
      button('Save .npy', () => opts.exportAs(o.name, 'npy'), `Save ${o.name} as a NumPy .npy file`),
      button('Save JSON', () => opts.exportAs(o.name, 'json'), `Save ${o.name} as JSON`)),
    h('div', { class: 'run-output-body' },
      h('div', { class: 'run-block' }, h('h4', { text: 'Statistics' }), statsList(o), o.histogram ? chart.element : null),
      top, heatmap(o, values), valueTable(o, values)));
  element.dataset.values = Array.from(values.subarray(0, 64), (v) => fmtNum(v)).join(',');
  return {
    element,
    draw: () => {
      if (!o.histogram) return;
      chart.set([{ label: o.name, edges: o.histogram.edges, counts: o.histogram.counts }], false);
    },
  };
}
