// The Overview tab: the model at a glance — inputs and outputs, which operators it uses and how
// often, its weights by element type, the files it reads, and the metadata the exporter wrote.
import type { ModelSummary } from '../../src/core/model-view-types.js';
import type { View, ViewContext } from '../view.js';
import { h } from './dom.js';
import { formatInt, formatIo, humanBytes, humanCount } from './format.js';

function table(caption: string, head: string[], rows: (string | Node)[][], numericCols: number[] = []): HTMLElement {
  const thead = h('thead', {}, h('tr', {}, ...head.map((t, i) => h('th', { text: t, attrs: { scope: 'col' }, class: numericCols.includes(i) ? 'num' : undefined }))));
  const tbody = h('tbody');
  for (const r of rows) {
    tbody.append(h('tr', {}, ...r.map((c, i) => {
      const td = h('td', { class: numericCols.includes(i) ? 'num' : undefined });
      td.append(c);
      return td;
    })));
  }
  return h('table', { class: 'data-table' }, h('caption', { text: caption }), thead, tbody);
}

function section(title: string, ...content: (Node | null)[]): HTMLElement {
  const id = `ov-${title.toLowerCase().replace(/[^a-z]+/g, '-')}`;
  return h('section', { class: 'overview-section', attrs: { 'aria-labelledby': id } }, h('h2', { text: title, attrs: { id } }), ...content);
}

function ioSection(s: ModelSummary): HTMLElement {
  const rows = [
    ...s.inputs.map((io) => ['input', io.name, formatIo(io)]),
    ...s.outputs.map((io) => ['output', io.name, formatIo(io)]),
  ];
  return section('Inputs and outputs', table('Graph inputs and outputs', ['', 'Name', 'Type'], rows));
}

function opSection(s: ModelSummary): HTMLElement | null {
  const ops = Object.entries(s.opTypes);
  if (!ops.length) return section('Operators', h('p', { class: 'muted', text: 'The graph has no operators: its outputs are its inputs or its weights.' }));
  const max = ops[0][1];
  const rows = ops.map(([op, n]) => {
    const bar = h('span', { class: 'bar' });
    bar.style.width = `${Math.max(1, (100 * n) / max)}%`;
    return [op, formatInt(n), h('span', { class: 'bar-track', attrs: { 'aria-hidden': 'true' } }, bar)];
  });
  return section(`Operators (${ops.length} types, ${formatInt(s.nodes)} nodes)`, table('Operator types by count', ['Operator', 'Count', ''], rows, [1]));
}

function weightSection(s: ModelSummary): HTMLElement {
  const entries = Object.entries(s.parametersByDtype).sort((a, b) => b[1].bytes - a[1].bytes);
  if (!entries.length) return section('Weights', h('p', { class: 'muted', text: 'No weights: this model computes only from its inputs.' }));
  const rows = entries.map(([dtype, e]) => [dtype, formatInt(e.tensors), humanCount(e.elements), humanBytes(e.bytes)]);
  rows.push(['total', formatInt(s.weightTensors), humanCount(s.parameters), humanBytes(s.parameterBytes)]);
  return section('Weights', table('Weights by element type', ['Type', 'Tensors', 'Elements', 'Size'], rows, [1, 2, 3]));
}

function fileSection(s: ModelSummary): HTMLElement {
  const rows = s.files.map((f) => {
    const name = h('span', { class: 'mono', text: f.path.split(/[\\/]/).pop() ?? f.path });
    name.title = f.path;
    return [name, humanBytes(f.bytes)];
  });
  const total = s.files.reduce((a, f) => a + f.bytes, 0);
  if (s.files.length > 1) rows.push(['total', humanBytes(total)]);
  return section('Files', table('Files the model reads', ['File', 'Size'], rows, [1]));
}

function metadataSection(s: ModelSummary): HTMLElement | null {
  const entries = [...Object.entries(s.properties), ...Object.entries(s.metadata)];
  if (!entries.length && !s.docString) return null;
  const content: HTMLElement[] = [];
  if (s.docString) content.push(h('p', { class: 'doc-string', text: s.docString }));
  if (entries.length) content.push(table('Metadata written by the exporter', ['Key', 'Value'], entries.map(([k, v]) => [h('span', { class: 'mono', text: k }), h('span', { class: 'meta-value', text: v })])));
  return section('Metadata', ...content);
}

/** Builds the overview of a model; `note` explains why it stands in for another tab. */
export function createOverviewView(ctx: ViewContext, note?: string): View {
  const s = ctx.summary;
  const element = h('div', { class: 'overview', attrs: { tabindex: '-1' } },
    note ? h('p', { class: 'note', text: note }) : null,
    ioSection(s),
    opSection(s),
    weightSection(s),
    fileSection(s),
    metadataSection(s),
  );
  const scroll = ctx.state.persisted('scrollTop', 0);
  let restored = false;
  const onScroll = () => scroll.set(Math.round(element.scrollTop));
  element.addEventListener('scroll', onScroll, { passive: true });
  return {
    element,
    show() {
      if (!restored) {
        restored = true;
        requestAnimationFrame(() => { element.scrollTop = scroll.get(); });
      }
    },
    hide() {},
    dispose() { element.removeEventListener('scroll', onScroll); element.remove(); },
  };
}
