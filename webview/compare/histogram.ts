// Two histograms of one weight on shared bins, drawn over each other: A filled, B outlined, in the
// theme's chart colours, so a quantized B's comb of levels shows against A's smooth curve.
import type { CompareHistogramsResult } from '../../src/features/compare/protocol.js';
import { h } from '../shell/dom.js';

const NS = 'http://www.w3.org/2000/svg';
const W = 320, H = 120;

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string>): SVGElementTagNameMap[K] {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  return el;
}

/** A step outline over `counts` (height scaled to `max`), closed to the baseline. */
function stepPath(counts: number[], max: number): string {
  const bw = W / counts.length;
  let d = `M0,${H}`;
  counts.forEach((c, i) => { const y = H - (c / max) * (H - 4); d += ` L${(i * bw).toFixed(1)},${y.toFixed(1)} L${((i + 1) * bw).toFixed(1)},${y.toFixed(1)}`; });
  return `${d} L${W},${H} Z`;
}

const fmt = (x: number) => (Math.abs(x) >= 1e4 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(2) : String(+x.toPrecision(3)));

/** The overlaid histograms with their axis ends and a key. */
export function renderOverlaidHistograms(r: CompareHistogramsResult): HTMLElement {
  const max = Math.max(1, ...r.a, ...r.b);
  const plot = svg('svg', { class: 'compare-histogram', viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: 'none', role: 'img', 'aria-label': `Histograms of ${r.weight} in A and ${r.weightB} in B` });
  plot.append(
    svg('path', { class: 'hist-a', d: stepPath(r.a, max), 'data-side': 'a' }),
    svg('path', { class: 'hist-b', d: stepPath(r.b, max), 'data-side': 'b' }),
  );
  const ends = h('div', { class: 'legend-ends' }, h('span', { text: fmt(r.edges[0]) }), h('span', { text: fmt(r.edges[r.edges.length - 1]) }));
  const key = h('div', { class: 'compare-hist-key' },
    h('span', { class: 'key-a', text: `A ${r.weight}` }), h('span', { class: 'key-b', text: `B ${r.weightB}` }));
  return h('div', { class: 'compare-hist', attrs: { 'data-weight': r.weight } }, plot, ends, key);
}
