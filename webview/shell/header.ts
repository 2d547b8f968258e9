// The model header: what file, what format, who made it, how big, what goes in and out.
import type { IoInfo, ModelSummary } from '../../src/core/model-view-types.js';
import { h, icon } from './dom.js';
import { formatInt, formatIo, formatLabel, formatOpsets, humanBytes, humanCount } from './format.js';

function fact(label: string, value: string, title?: string): HTMLElement {
  const el = h('div', { class: 'fact' }, h('dt', { text: label }), h('dd', { text: value }));
  if (title) el.title = title;
  return el;
}

/** Inputs/outputs shown before "+N more": LLM exports have dozens (past key/values). */
const IO_SHOWN = 4;

function ioList(items: IoInfo[], label: string): HTMLElement {
  const list = h('ul', { class: 'io-list', attrs: { 'aria-label': label } });
  if (!items.length) list.append(h('li', { class: 'muted', text: '—' }));
  const entries = items.map((io) => h('li', { attrs: { title: `${io.name}: ${formatIo(io)}` } }, h('span', { class: 'io-name', text: io.name }), h('span', { class: 'io-type', text: formatIo(io) })));
  entries.forEach((li, i) => { li.hidden = i >= IO_SHOWN && items.length > IO_SHOWN + 1; });
  list.append(...entries);
  const hiddenCount = entries.filter((li) => li.hidden).length;
  if (hiddenCount) {
    const more = h('button', { class: 'io-more', text: `+${hiddenCount} more`, attrs: { type: 'button', 'aria-label': `Show all ${items.length} ${label.toLowerCase()}` } });
    more.addEventListener('click', () => {
      for (const li of entries) li.hidden = false;
      more.parentElement?.remove();
    });
    list.append(h('li', { class: 'io-more-item' }, more));
  }
  return list;
}

export function renderHeader(s: ModelSummary): HTMLElement {
  // Some exporters put the version in the name too ("TensorFlow.js Converter v4.22.0" + "4.22.0").
  const name = s.producerName ?? '';
  const version = s.producerVersion && !name.includes(s.producerVersion) ? s.producerVersion : null;
  const producer = [name, version].filter(Boolean).join(' ');
  const opsets = formatOpsets(s.opsets);
  const facts = h('dl', { class: 'facts' },
    fact('Format', formatLabel(s.format) + (s.irVersion !== null && s.format === 'onnx' ? ` (IR ${s.irVersion})` : '')),
    producer ? fact('Producer', producer) : null,
    opsets ? fact(s.opsets.length > 1 ? 'Opsets' : 'Opset', opsets) : null,
    fact('Nodes', s.nodes === s.topLevelNodes ? formatInt(s.nodes) : `${formatInt(s.nodes)} (${formatInt(s.topLevelNodes)} top level)`,
      s.nodes === s.topLevelNodes ? undefined : 'All nodes, subgraph bodies included (nodes of the main graph)'),
    fact('Parameters', `${humanCount(s.parameters)} · ${humanBytes(s.parameterBytes)}`,
      `${formatInt(s.parameters)} elements in ${formatInt(s.weightTensors)} weight tensors, ${formatInt(s.parameterBytes)} bytes`),
  );
  const io = h('div', { class: 'io' },
    ioList(s.inputs, 'Inputs'),
    h('span', { class: 'io-arrow' }, icon('arrow-right', 'to')),
    ioList(s.outputs, 'Outputs'),
  );
  const header = h('header', { class: 'model-header', attrs: { 'aria-label': 'Model summary' } },
    h('div', { class: 'title-row' },
      icon('type-hierarchy'),
      h('h1', { class: 'file-name', text: s.fileName, attrs: { title: s.path } }),
    ),
    facts,
    io,
  );
  if (s.warnings.length) {
    const list = h('ul', { class: 'warnings', attrs: { 'aria-label': 'Warnings' } });
    for (const w of s.warnings) list.append(h('li', {}, icon('warning'), h('span', { text: w })));
    header.append(list);
  }
  return header;
}
