// The cost card: parameters and their bytes, FLOPs/MACs of one forward pass (per node and total),
// peak activation memory, one training step and one training run, side by side with one inference,
// and what a phone-class chip and this machine's measured latency imply.
import type { CostResult } from '../../src/features/function/protocol.js';
import { h } from '../shell/dom.js';
import { humanBytes } from '../shell/format.js';
import type { ViewContext } from '../view.js';
import { button, errorText, field, fmtNum, fmtSeconds, fmtSi, numberInput, table } from './ui.js';

export class CostCard {
  readonly element: HTMLElement;
  private readonly dims = new Map<string, HTMLInputElement>();
  private readonly dataset = numberInput('fn-cost-dataset', 10000, { min: '1', 'aria-label': 'Dataset size' });
  private readonly epochs = numberInput('fn-cost-epochs', 10, { min: '1', 'aria-label': 'Epochs' });
  private readonly gflops = numberInput('fn-cost-gflops', 100, { min: '0.001', step: 'any', 'aria-label': 'Phone GFLOPS' });
  private readonly body = h('div', { class: 'fn-cost-body', attrs: { 'aria-live': 'polite' } });
  private loaded = false;

  constructor(private readonly ctx: ViewContext) {
    const symbolic = new Set<string>();
    for (const i of ctx.summary.inputs) for (const d of i.shape ?? []) if (typeof d === 'string') symbolic.add(d);
    const dimFields = [...symbolic].map((d) => {
      const input = numberInput('fn-cost-dim', 1, { min: '1', 'data-dim': d, 'aria-label': `Size of ${d}` });
      this.dims.set(d, input);
      return field(d, input);
    });
    this.element = h('section', { class: 'fn-section', attrs: { 'aria-label': 'Cost', id: 'fn-cost' } },
      h('h2', { text: 'Cost: one inference next to training' }),
      h('div', { class: 'fn-controls' }, ...dimFields, field('dataset size', this.dataset), field('epochs', this.epochs), field('phone GFLOPS', this.gflops),
        button('fn-cost-run', 'Update', () => void this.load()),
        button('fn-cost-measure', 'Measure latency here', () => void this.load(true))),
      this.body);
  }

  async load(measure = false): Promise<void> {
    this.loaded = true;
    const dims: Record<string, number> = {};
    for (const [d, i] of this.dims) dims[d] = Math.max(1, Math.round(Number(i.value)) || 1);
    this.element.setAttribute('data-state', 'running');
    try {
      const c = await this.ctx.bus.request('function.cost', {
        dims, datasetSize: Math.max(1, Math.round(Number(this.dataset.value)) || 1), epochs: Math.max(1, Math.round(Number(this.epochs.value)) || 1),
        phoneGflops: Number(this.gflops.value) > 0 ? Number(this.gflops.value) : 100, measure,
      }) as CostResult;
      this.render(c);
      this.element.setAttribute('data-state', 'done');
    } catch (e) {
      this.body.replaceChildren(h('p', { class: 'fn-error', text: errorText(e) }));
      this.element.setAttribute('data-state', 'error');
    }
  }

  loadOnce(): void {
    if (!this.loaded) void this.load();
  }

  private render(c: CostResult): void {
    const t = c.training;
    const mem = t.memoryBytes;
    const top = [...c.nodes].sort((a, b) => b.flops - a.flops).slice(0, 10);
    const ratio = t.inferencesPerRun;
    this.body.replaceChildren(
      h('div', { class: 'fn-cost-grid' },
        card('Parameters', [
          ['count', fmtSi(c.parameters)], ['as stored', humanBytes(c.parameterBytes)],
          ['fp32', humanBytes(c.parameterBytesAs.fp32)], ['fp16', humanBytes(c.parameterBytesAs.fp16)], ['int8', humanBytes(c.parameterBytesAs.int8)],
        ]),
        card(`One inference (batch ${c.batch})`, [
          ['FLOPs', fmtSi(c.flopsPerExample)], ['MACs', fmtSi(c.macsPerExample)],
          ['peak activations', humanBytes(c.activationBytesPeak)], ['phone', fmtSeconds(c.phone.inferenceSeconds)],
          ...(c.measured ? [[`measured (${c.measured.provider})`, `${fmtNum(c.measured.p50Ms)} ms p50 · ${fmtNum(c.measured.achievedGflops)} GFLOPS`] as [string, string]] : []),
        ]),
        card('One training step', [
          ['FLOPs (fwd + bwd ≈ 3×)', fmtSi(t.flopsPerStep)], ['batch', String(t.batch)],
          ['weights', humanBytes(mem.weights)], ['gradients', humanBytes(mem.gradients)],
          [`${t.optimizer} state`, humanBytes(mem.optimizerState)], ['stored activations', humanBytes(mem.activations)], ['memory total', humanBytes(mem.total)],
        ]),
        card('One training run', [
          ['examples × epochs', `${fmtSi(t.datasetSize)} × ${t.epochs}`], ['steps', fmtSi(t.steps)], ['FLOPs', fmtSi(t.flopsPerRun)],
          ['phone', fmtSeconds(c.phone.trainingRunSeconds)],
          ...(c.measured ? [['at measured speed', fmtSeconds(c.measured.trainingRunSeconds)] as [string, string]] : []),
        ])),
      h('p', { class: 'fn-compare', attrs: { 'data-ratio': String(ratio) } },
        h('strong', { text: 'one inference = 1' }), ' · ', h('strong', { text: `one training run = ${fmtSi(ratio)} inferences` })),
      h('h3', { text: 'Costliest nodes' }),
      table('Cost per node', ['node', 'op', 'FLOPs', 'MACs', 'share'], top.map((n) => [n.name, n.opType, fmtSi(n.flops), fmtSi(n.macs), c.flops > 0 ? `${(100 * n.flops / c.flops).toFixed(1)} %` : '—'])),
      ...(c.unsupportedOps.length ? [h('p', { class: 'fn-note', text: `Counted as 0 (no rule): ${c.unsupportedOps.join(', ')}` })] : []),
      h('details', { class: 'fn-note' }, h('summary', { text: 'How these are counted' }), h('p', { text: c.convention })),
    );
  }
}

function card(title: string, rows: [string, string][]): HTMLElement {
  return h('div', { class: 'fn-card', attrs: { 'aria-label': title } }, h('h3', { text: title }),
    h('dl', {}, ...rows.flatMap(([k, v]) => [h('dt', { text: k }), h('dd', { text: v })])));
}
