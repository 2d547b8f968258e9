// What-if on weights: zero, scale, add noise, prune or quantize a tensor (or one channel/row), re-run
// the same input, show how the outputs moved, and colour every downstream node on the graph by how
// much its activation moved. Restore drops the edit; the file on disk is never modified.
import type { EditOp, EditResult } from '../../src/features/function/protocol.js';
import { h } from '../shell/dom.js';
import type { ViewContext } from '../view.js';
import { button, errorText, field, fmtNum, numberInput, select, table } from './ui.js';

const OPS: { value: EditOp; label: string; param?: { key: string; label: string; value: number } }[] = [
  { value: 'zero', label: 'zero it' },
  { value: 'scale', label: 'scale it', param: { key: 'factor', label: 'factor', value: 0.5 } },
  { value: 'noise', label: 'add noise (σ × its std)', param: { key: 'std', label: 'σ', value: 0.1 } },
  { value: 'prune', label: 'prune the k% smallest', param: { key: 'percent', label: 'k %', value: 50 } },
  { value: 'quantize-int8', label: 'quantize to int8 (per tensor)' },
  { value: 'quantize-int8-channel', label: 'quantize to int8 (per channel)' },
];

export class WhatIfCard {
  readonly element: HTMLElement;
  private readonly weight: HTMLSelectElement;
  private readonly scope = select('fn-edit-scope', [{ value: 'all', label: 'whole tensor' }, { value: 'slice', label: 'one slice' }], 'Scope');
  private readonly axis = numberInput('fn-edit-axis', 0, { min: '0', 'aria-label': 'Axis' });
  private readonly index = numberInput('fn-edit-index', 0, { min: '0', 'aria-label': 'Index' });
  private readonly op = select('fn-edit-op', OPS.map((o) => ({ value: o.value, label: o.label })), 'Operation');
  private readonly param = numberInput('fn-edit-param', 0.5, { step: 'any', 'aria-label': 'Parameter' });
  private readonly paramField: HTMLElement;
  private readonly sliceFields: HTMLElement;
  private readonly restoreBtn: HTMLButtonElement;
  private readonly saveBtn: HTMLButtonElement;
  private readonly result = h('div', { class: 'fn-edit-result', attrs: { 'aria-live': 'polite' } });
  private active = false;

  constructor(private readonly ctx: ViewContext, private readonly onChange: () => void) {
    const float = ctx.graph.weights.filter((w) => /float|bfloat/.test(w.dtype) && w.elementCount > 0);
    this.weight = select('fn-edit-weight', float.map((w) => ({ value: String(w.id), label: `${w.name} [${w.shape.join('×')}]` })), 'Weight');
    const sel = ctx.selectedWeight();
    if (sel !== null && float.some((w) => w.id === sel)) this.weight.value = String(sel);
    ctx.onSelectWeight((id) => { if (id !== null && float.some((w) => w.id === id)) this.weight.value = String(id); });
    this.paramField = field('factor', this.param);
    this.sliceFields = h('span', { class: 'fn-controls' }, field('axis', this.axis), field('index', this.index));
    this.op.addEventListener('change', () => this.syncParam());
    this.scope.addEventListener('change', () => { this.sliceFields.hidden = this.scope.value !== 'slice'; });
    this.sliceFields.hidden = true;
    this.restoreBtn = button('fn-edit-restore', 'Restore original', () => void this.restore());
    this.saveBtn = button('fn-edit-save', 'Save modified model as…', () => void this.saveAs());
    this.restoreBtn.disabled = this.saveBtn.disabled = true;
    this.element = h('section', { class: 'fn-section', attrs: { 'aria-label': 'What-if on weights', id: 'fn-whatif' } },
      h('h2', { text: 'What if a weight changes?' }),
      h('div', { class: 'fn-controls' }, field('Weight', this.weight), field('scope', this.scope), this.sliceFields),
      h('div', { class: 'fn-controls' }, field('Operation', this.op), this.paramField,
        button('fn-edit-apply', 'Apply and re-run', () => void this.apply(), true), this.restoreBtn, this.saveBtn),
      h('p', { class: 'fn-note', text: 'The model file is never modified: the edit runs on a temporary copy.' }),
      this.result);
    this.syncParam();
  }

  private syncParam(): void {
    const o = OPS.find((x) => x.value === this.op.value);
    this.paramField.hidden = !o?.param;
    if (o?.param) {
      (this.paramField.firstChild as HTMLElement).textContent = o.param.label;
      this.param.value = String(o.param.value);
    }
  }

  private async apply(): Promise<void> {
    const o = OPS.find((x) => x.value === this.op.value)!;
    const params: Record<string, unknown> = {};
    if (o.param) params[o.param.key] = Number(this.param.value);
    if (o.value === 'noise') params.relative = true;
    if (this.scope.value === 'slice') { params.axis = Number(this.axis.value); params.slice = Number(this.index.value); }
    if (o.value === 'quantize-int8-channel') params.axis = Number(this.axis.value);
    this.element.setAttribute('data-state', 'running');
    this.result.replaceChildren(h('p', { class: 'fn-note', text: 'Running the original and the edited model on the same input…' }));
    try {
      const r = await this.ctx.bus.request('function.edit', { weightId: Number(this.weight.value), op: o.value, params }) as EditResult;
      this.active = true;
      this.restoreBtn.disabled = this.saveBtn.disabled = false;
      this.render(r);
      this.paintGraph(r);
      this.element.setAttribute('data-state', 'edited');
      this.onChange();
    } catch (e) {
      this.result.replaceChildren(h('p', { class: 'fn-error', text: errorText(e) }));
      this.element.setAttribute('data-state', 'error');
    }
  }

  private render(r: EditResult): void {
    this.result.replaceChildren(
      h('p', { class: 'fn-note' }, h('strong', { text: r.label }), ` · ${r.changed} of ${r.covered} values changed, by at most ${fmtNum(r.maxAbsChange)}${r.pruneThreshold !== undefined ? ` · pruned |w| ≤ ${fmtNum(r.pruneThreshold)}` : ''}`),
      table('Output change', ['output', 'max |Δ|', 'relative', 'cosine', 'top-1 changed'], r.outputs.map((o) => [
        o.name, fmtNum(o.maxAbsDiff), fmtNum(o.maxRelDiff), fmtNum(o.cosine), o.top1 ? `${o.top1.changed} of ${o.top1.before.length} (${o.top1.before.join(',')} → ${o.top1.after.join(',')})` : '—',
      ])),
      h('p', { class: 'fn-note', text: `${r.downstream.length} downstream nodes coloured on the graph by their relative activation change.` }),
    );
  }

  private paintGraph(r: EditResult): void {
    const values = new Float32Array(this.ctx.graph.nodes.length).fill(NaN);
    let max = 0;
    r.nodeShift.forEach((v, i) => { if (v !== null && Number.isFinite(v)) { values[i] = v; max = Math.max(max, v); } });
    this.ctx.setNodeOverlay({ values, legend: { title: `What-if: ${r.label}`, unit: 'relative change', min: 0, max: max || 1, scale: 'sequential' } });
  }

  private async restore(): Promise<void> {
    try {
      await this.ctx.bus.request('function.restore', {});
    } catch (e) {
      this.result.replaceChildren(h('p', { class: 'fn-error', text: errorText(e) }));
      return;
    }
    this.active = false;
    this.restoreBtn.disabled = this.saveBtn.disabled = true;
    this.result.replaceChildren(h('p', { class: 'fn-note', text: 'Restored: the original weights are in use again.' }));
    const o = this.ctx.nodeOverlay();
    if (o?.legend.title.startsWith('What-if')) this.ctx.setNodeOverlay(null);
    this.element.setAttribute('data-state', 'restored');
    this.onChange();
  }

  private async saveAs(): Promise<void> {
    try {
      const r = await this.ctx.bus.request('function.save-as', {}) as { path: string | null };
      if (r.path) this.result.append(h('p', { class: 'fn-ok', text: `Saved the modified model as ${r.path}` }));
    } catch (e) {
      this.result.append(h('p', { class: 'fn-error', text: errorText(e) }));
    }
  }

  get edited(): boolean {
    return this.active;
  }
}
