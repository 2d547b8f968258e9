// Sweep: one input element runs over a range (the other elements fixed), the model runs batched
// over it, and each chosen output element is plotted against it — the curve f(x) these weights
// define. After a what-if edit the edited curve is drawn dashed on the same axes.
import type { SweepResult } from '../../src/features/function/protocol.js';
import { h } from '../shell/dom.js';
import type { ViewContext } from '../view.js';
import { drawPlot, themeColor, type Curve } from './plot.js';
import { button, errorText, field, numberInput, select } from './ui.js';

// charts-orange is translucent in VS Code's themes: too faint for a curve.
const COLORS = ['--vscode-charts-blue', '--vscode-charts-red', '--vscode-charts-green', '--vscode-charts-purple', '--vscode-charts-yellow'];

/** Elements of one example of an output (dims after the batch dim; symbolic dims count 1). */
function perExample(shape: (number | string | null)[] | null): number {
  if (!shape) return 1;
  return shape.slice(1).reduce<number>((a, d) => a * (typeof d === 'number' ? d : 1), 1);
}

export class SweepCard {
  readonly element: HTMLElement;
  private readonly input: HTMLSelectElement;
  private readonly elementIndex = numberInput('fn-sweep-element', 0, { min: '0', 'aria-label': 'Input element' });
  private readonly from = numberInput('fn-sweep-from', -3, { step: 'any', 'aria-label': 'From' });
  private readonly to = numberInput('fn-sweep-to', 3, { step: 'any', 'aria-label': 'To' });
  private readonly steps = numberInput('fn-sweep-steps', 61, { min: '2', max: '1024', 'aria-label': 'Steps' });
  private readonly output: HTMLSelectElement;
  private readonly outElements: HTMLInputElement;
  private readonly fill = select('fn-sweep-fill', [{ value: 'zeros', label: 'zeros' }, { value: 'ones', label: 'ones' }, { value: 'random', label: 'random (seed 0)' }], 'Other input elements');
  readonly canvas = h('canvas', { class: 'fn-plot', attrs: { id: 'fn-sweep-plot', role: 'img', 'aria-label': 'Sweep plot' } });
  private readonly legend = h('div', { class: 'fn-legend' });
  private readonly status = h('p', { class: 'fn-note fn-status', attrs: { 'aria-live': 'polite' } });
  private last: SweepResult | null = null;

  constructor(private readonly ctx: ViewContext) {
    const ins = ctx.summary.inputs, outs = ctx.summary.outputs;
    this.input = select('fn-sweep-input', ins.map((i) => ({ value: i.name, label: i.name })), 'Input');
    this.output = select('fn-sweep-output', outs.map((o) => ({ value: o.name, label: o.name })), 'Output');
    const n = perExample(outs[0]?.shape ?? null);
    this.outElements = h('input', { class: 'fn-text fn-sweep-outputs', attrs: { type: 'text', value: Array.from({ length: Math.min(n, 6) }, (_, i) => i).join(', '), 'aria-label': 'Output elements' } });
    this.element = h('section', { class: 'fn-section', attrs: { 'aria-label': 'Sweep', id: 'fn-sweep' } },
      h('h2', { text: 'Sweep: the curve f(x)' }),
      h('div', { class: 'fn-controls' },
        field('Input', this.input), field('element', this.elementIndex), field('from', this.from), field('to', this.to), field('steps', this.steps),
        field('others', this.fill)),
      h('div', { class: 'fn-controls' }, field('Output', this.output), field('elements', this.outElements), button('fn-sweep-run', 'Run sweep', () => void this.run(), true)),
      this.status, this.canvas, this.legend);
  }

  /** Runs the sweep (again) with the current settings; an active edit adds the edited curves. */
  async run(): Promise<void> {
    const elements = this.outElements.value.split(/[\s,]+/).filter(Boolean).map(Number);
    if (!elements.length || elements.some((e) => !Number.isInteger(e) || e < 0)) { this.status.textContent = 'Output elements: whole numbers ≥ 0, separated by commas.'; return; }
    this.element.setAttribute('data-state', 'running');
    this.status.textContent = 'Running the model over the range…';
    try {
      const r = await this.ctx.bus.request('function.sweep', {
        input: this.input.value, elementIndex: Number(this.elementIndex.value), from: Number(this.from.value), to: Number(this.to.value),
        steps: Number(this.steps.value), fill: this.fill.value, outputs: elements.slice(0, 16).map((e) => ({ output: this.output.value, element: e })),
      }) as SweepResult;
      this.last = r;
      this.draw();
      this.status.textContent = `${r.xs.length} steps of ${r.input}[${r.elementIndex}]${r.editLabel ? ` · dashed: after ${r.editLabel}` : ''}`;
      this.element.setAttribute('data-state', 'done');
    } catch (e) {
      this.status.textContent = errorText(e);
      this.element.setAttribute('data-state', 'error');
    }
  }

  /** True once a sweep ran (a what-if change re-runs it to overlay the edited curve). */
  get hasRun(): boolean {
    return this.last !== null;
  }

  draw(): void {
    const r = this.last;
    if (!r) return;
    // The plotted numbers, for automation and for readers of the DOM.
    this.canvas.setAttribute('data-points', JSON.stringify({ xs: r.xs, series: r.series }));
    this.canvas.setAttribute('data-edited', r.editLabel ? 'true' : 'false');
    const curves: Curve[] = [];
    this.legend.replaceChildren();
    r.series.forEach((s, i) => {
      const color = themeColor(this.canvas, COLORS[i % COLORS.length]);
      curves.push({ label: `${s.output}[${s.element}]`, ys: s.original, color });
      if (s.edited) curves.push({ label: `${s.output}[${s.element}] edited`, ys: s.edited, color, dashed: true });
      const swatch = h('span', { class: 'fn-swatch' });
      swatch.style.background = color;
      this.legend.append(h('span', { class: 'fn-legend-item' }, swatch, `${s.output}[${s.element}]${s.edited ? ' (dashed: edited)' : ''}`));
    });
    drawPlot(this.canvas, r.xs, curves, { x: `${r.input}[${r.elementIndex}]`, y: this.output.value });
  }
}
