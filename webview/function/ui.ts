// Small pieces shared by the Function tab's cards: buttons, labelled fields, number formatting.
import { h } from '../shell/dom.js';

export function button(id: string, label: string, onClick: () => void, primary = false): HTMLButtonElement {
  const b = h('button', { class: `ml-button${primary ? ' primary' : ''}`, text: label, attrs: { id, type: 'button' } });
  b.addEventListener('click', onClick);
  return b;
}

export function field(label: string, control: HTMLElement): HTMLLabelElement {
  return h('label', { class: 'fn-field' }, h('span', { text: label }), control);
}

export function numberInput(cls: string, value: number, attrs: Record<string, string> = {}): HTMLInputElement {
  const i = h('input', { class: `fn-num ${cls}`, attrs: { type: 'number', value: String(value), ...attrs } });
  return i;
}

export function select(cls: string, options: { value: string; label: string }[], label: string): HTMLSelectElement {
  const s = h('select', { class: cls, attrs: { 'aria-label': label } });
  for (const o of options) s.append(h('option', { text: o.label, attrs: { value: o.value } }));
  return s;
}

/** Up to 6 significant digits, no trailing zeros; exponent form for very large/small magnitudes. */
export function fmtNum(v: number | undefined | null): string {
  if (v === undefined || v === null) return '—';
  if (!Number.isFinite(v)) return String(v);
  if (v !== 0 && (Math.abs(v) >= 1e6 || Math.abs(v) < 1e-4)) return v.toExponential(3).replace(/\.?0+e/, 'e');
  return String(Number(v.toPrecision(6)));
}

/** 1.2e9 → "1.2 G"; for FLOPs and counts. */
export function fmtSi(v: number): string {
  const units: [number, string][] = [[1e15, 'P'], [1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'K']];
  for (const [d, u] of units) if (Math.abs(v) >= d) return `${Number((v / d).toPrecision(3))} ${u}`;
  return String(Number(v.toPrecision(3)));
}

export function fmtSeconds(s: number | null | undefined): string {
  if (s === null || s === undefined || !Number.isFinite(s)) return '—';
  if (s < 1e-6) return `${Number((s * 1e9).toPrecision(3))} ns`;
  if (s < 1e-3) return `${Number((s * 1e6).toPrecision(3))} µs`;
  if (s < 1) return `${Number((s * 1e3).toPrecision(3))} ms`;
  if (s < 120) return `${Number(s.toPrecision(3))} s`;
  if (s < 7200) return `${Number((s / 60).toPrecision(3))} min`;
  if (s < 172800) return `${Number((s / 3600).toPrecision(3))} h`;
  return `${Number((s / 86400).toPrecision(3))} days`;
}

export function errorText(e: unknown): string {
  return (e as Error)?.message ?? String(e);
}

export function table(label: string, head: string[], rows: (string | HTMLElement)[][]): HTMLTableElement {
  const t = h('table', { class: 'fn-table', attrs: { 'aria-label': label } });
  if (head.length) t.append(h('thead', {}, h('tr', {}, ...head.map((c) => h('th', { text: c })))));
  const body = h('tbody');
  for (const r of rows) body.append(h('tr', {}, ...r.map((c) => (typeof c === 'string' ? h('td', { text: c }) : h('td', {}, c)))));
  t.append(body);
  return t;
}
