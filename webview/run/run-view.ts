// The Run tab: builds inputs, runs the model on the host's onnxruntime process, and shows outputs,
// timing, the provider that actually ran (and why others were passed over), a provider comparison,
// activations painted on the graph, and a profile (time per node, painted on the graph too). Automation hook: #run with data-state
// (idle → running → done | error) and data-provider.
import {
  RUN_PHASE_TOPIC,
  type ActivationsResult, type ActivationStat, type CompareResult, type InferResult, type PickedFile, type ProfileResult, type ProvidersResult, type RunDefaultsResult, type RunPhaseEvent,
} from '../../src/features/run/protocol.js';
import type { View, ViewContext } from '../view.js';
import type { Disposable } from '../bus.js';
import { HistogramChart } from '../params/histogram-chart.js';
import { h, icon } from '../shell/dom.js';
import { fmtMs, fmtNum } from './decode.js';
import { InputsForm, type ImageChoice, type SavedInputs } from './inputs-form.js';
import { outputCard } from './output-card.js';
import { ProfileCard } from './profile-card.js';
import { TfjsClient } from './tfjs-client.js';
import { compareOutputs } from '../../src/core/runtime/compare.js';
import type { RuntimeTensor } from '../../src/core/runtime/tensor-value.js';
import { outputEntries, packRunShapes } from '../../src/core/runtime/run-shapes.js';

type Metric = 'mean' | 'absMax' | 'nan';
const METRICS: Record<Metric, string> = { mean: 'Mean', absMax: 'Abs max', nan: 'NaN count' };

function button(label: string, iconName: string, onClick: () => void, primary = false): HTMLButtonElement {
  const b = h('button', { class: `ml-button${primary ? ' primary' : ''}`, attrs: { type: 'button' } }, icon(iconName), label);
  b.addEventListener('click', onClick);
  return b;
}

export class RunView implements View {
  readonly element: HTMLElement;
  private readonly subs: Disposable[] = [];
  private readonly form: InputsForm;
  private readonly trustBanner: HTMLElement;
  private readonly providerLine: HTMLElement;
  private readonly status: HTMLElement;
  private readonly outputsEl: HTMLElement;
  private readonly compareEl: HTMLElement;
  private readonly profile: ProfileCard;
  private readonly actEl: HTMLElement;
  private readonly actDetail: HTMLElement;
  private readonly runsInput: HTMLInputElement;
  private readonly warmupInput: HTMLInputElement;
  private readonly actions: HTMLButtonElement[];
  private readonly cancelBtn: HTMLButtonElement;
  private readonly metricSel: HTMLSelectElement;
  private readonly saved;
  private labels: string[] | null = null;
  private activations: ActivationStat[] = [];
  private controller: AbortController | null = null;
  private trusted: boolean;
  private draws: (() => void)[] = [];
  private actDraw: (() => void) | null = null;
  /** TF.js models run in a worker of this page; ONNX models in the host's onnxruntime process. */
  private readonly tfjs: TfjsClient | null;
  private tfjsOutputs: RuntimeTensor[] = [];

  constructor(private readonly ctx: ViewContext) {
    this.trusted = ctx.trusted;
    this.saved = ctx.state.persisted<SavedInputs>('inputs', { inputs: {}, dims: {}, runs: 10, warmup: 2 });
    const s = this.saved.get();
    const onnx = ctx.summary.format === 'onnx';
    this.tfjs = onnx ? null : new TfjsClient(ctx);

    this.trustBanner = h('div', { class: 'run-banner', attrs: { role: 'note' } },
      icon('shield'),
      h('span', { text: 'Running a model executes native code on its graph, so it needs a trusted workspace. Viewing works without trust.' }),
      button('Trust…', 'workspace-trusted', () => void this.requestTrust()));
    this.providerLine = h('div', { class: 'run-provider', attrs: { 'aria-live': 'polite' } });
    this.status = h('div', { class: 'run-status', attrs: { role: 'status', 'aria-live': 'polite' } });

    // The defaults come from the model alone (no session, no trust): shown before anything runs, and
    // asked again whenever the user changes a dim.
    this.form = new InputsForm(ctx.summary.inputs, this.saved, (name, dims, image) => this.pick(name, dims, image),
      (dims) => this.ctx.bus.request('run.defaults', { dims }) as Promise<RunDefaultsResult>);
    this.form.refreshDefaults();
    const num = (label: string, value: number, min: number) => h('input', { class: 'run-num', attrs: { type: 'number', min: String(min), max: '1000', step: '1', value: String(value), 'aria-label': label } });
    this.runsInput = num('Timed runs', s.runs, 1);
    this.warmupInput = num('Warm-up runs', s.warmup, 0);
    const saveCounts = () => this.saved.set({ ...this.saved.get(), runs: this.runs(), warmup: this.warmup() });
    this.runsInput.addEventListener('change', saveCounts);
    this.warmupInput.addEventListener('change', saveCounts);
    const runBtn = button('Run', 'play', () => void this.infer(), true);
    runBtn.id = 'run-infer';
    const actBtn = button('Run with activations', 'pulse', () => void this.captureActivations());
    actBtn.id = 'run-activations';
    const cmpBtn = button('Compare providers', 'split-horizontal', () => void this.compare());
    cmpBtn.id = 'run-compare';
    const profBtn = button('Profile', 'dashboard', () => void this.runProfile());
    profBtn.id = 'run-profile';
    profBtn.title = 'One run with ONNX Runtime\'s profiler: time per node and the provider that ran it';
    this.cancelBtn = button('Cancel', 'debug-stop', () => this.cancel());
    this.cancelBtn.disabled = true;
    this.actions = [runBtn, actBtn, profBtn, cmpBtn];

    // A local file read by the page itself (labels are display text, never sent to the host).
    const labelsInput = h('input', { attrs: { type: 'file', accept: '.txt,.json,.csv', hidden: '', tabindex: '-1' } });
    const labelsName = h('span', { class: 'run-note', text: 'none' });
    labelsInput.addEventListener('change', () => void this.readLabels(labelsInput).then((n) => { labelsName.textContent = n; }));
    const labelsBtn = button('Labels…', 'tag', () => labelsInput.click());
    labelsBtn.title = 'A labels file for top-k: one label per line, or a JSON list';

    this.metricSel = h('select', { attrs: { 'aria-label': 'Colour the graph by' } }, ...Object.entries(METRICS).map(([v, t]) => h('option', { text: t, attrs: { value: v } })));
    this.metricSel.addEventListener('change', () => this.paintOverlay());
    this.outputsEl = h('div', { class: 'run-outputs' });
    this.compareEl = h('div', { class: 'run-compare' });
    this.actDetail = h('div', { class: 'run-act-detail' });
    this.actEl = h('section', { class: 'run-section', attrs: { 'aria-label': 'Activations' } },
      h('h2', { text: 'Activations' }),
      h('div', { class: 'run-controls' }, h('label', { class: 'run-field' }, h('span', { text: 'Colour graph by' }), this.metricSel),
        button('Clear colours', 'clear-all', () => { this.activations = []; ctx.setNodeOverlay(null); this.actSummary.textContent = ''; this.actDetail.replaceChildren(); })),
      this.actSummary, this.actDetail);
    this.actEl.hidden = true;

    const controls = h('section', { class: 'run-section', attrs: { 'aria-label': 'Run' } },
      h('div', { class: 'run-controls' },
        ...this.actions, this.cancelBtn,
        h('label', { class: 'run-field' }, h('span', { text: 'Warm-up' }), this.warmupInput),
        h('label', { class: 'run-field' }, h('span', { text: 'Runs' }), this.runsInput),
        h('span', { class: 'run-field' }, labelsBtn, labelsInput, labelsName)),
      this.providerLine, this.status);

    actBtn.hidden = !onnx; // capture needs graph surgery that only the ONNX runtime path does
    profBtn.hidden = !onnx; // the profiler is ONNX Runtime's
    this.profile = new ProfileCard(ctx);
    const body = [this.form.element, controls, this.compareEl, this.profile.element, this.actEl, this.outputsEl];
    this.element = h('div', { class: 'run-view', attrs: { id: 'run', 'data-state': 'idle' } }, this.trustBanner, ...body);
    this.updateTrust();
    this.subs.push(ctx.onTrustChanged((t) => { this.trusted = t; this.updateTrust(); }));
    this.subs.push(ctx.onSelectNode((id) => void this.showNode(id)));
    // The first GPU run compiles its kernels for seconds: say so while it does (Cancel stops it at once).
    this.subs.push(ctx.bus.onNotify(RUN_PHASE_TOPIC, (d) => {
      if ((d as RunPhaseEvent).phase !== 'compiling' || !this.controller) return;
      this.status.replaceChildren(h('span', { class: 'codicon codicon-loading codicon-modifier-spin', attrs: { 'aria-hidden': 'true' } }), h('span', { class: 'run-compiling', text: ' Compiling GPU kernels (first run only)…' }));
    }));
    if (onnx) void this.loadProviders();
    else this.providerLine.textContent = 'TF.js model: runs in this panel with TensorFlow.js on WebGPU or WebGL (GPU), falling back to the CPU backend.';
  }

  private readonly actSummary = h('p', { class: 'run-note', attrs: { 'aria-live': 'polite' } });

  show(): void {
    // Canvases drawn while the tab was hidden have no size; draw them again.
    // The shell calls show() before the panel is laid out: draw on the next frame.
    requestAnimationFrame(() => {
      for (const d of this.draws) d();
      this.actDraw?.();
    });
  }

  hide(): void {}

  dispose(): void {
    this.controller?.abort();
    this.tfjs?.dispose();
    for (const s of this.subs) s.dispose();
  }

  private runs(): number { return clampInt(this.runsInput.value, 1, 1000, 10); }
  private warmup(): number { return clampInt(this.warmupInput.value, 0, 1000, 2); }

  private updateTrust(): void {
    this.trustBanner.hidden = this.trusted;
    for (const b of this.actions) b.disabled = !this.trusted || this.controller !== null;
    this.element.dataset.trusted = String(this.trusted);
  }

  private async requestTrust(): Promise<void> {
    const r = await this.ctx.bus.request('trust.request', {});
    this.trusted = r.trusted;
    this.updateTrust();
    if (this.trusted) void this.loadProviders();
  }

  private async loadProviders(): Promise<void> {
    const configured = this.ctx.settings.runtime.provider;
    this.providerLine.textContent = `Provider setting: ${configured}`;
    if (!this.trusted) return;
    try {
      const r = (await this.ctx.bus.request('run.providers', {})) as ProvidersResult;
      const names = r.available.map((p) => (p.bundled ? p.name : `${p.name} (not installed)`)).join(', ');
      this.providerLine.textContent = `Provider setting: ${r.configured} · onnxruntime has: ${names || 'cpu'}`;
    } catch (e) {
      this.providerLine.textContent = `Provider setting: ${configured} · ${(e as Error).message}`;
    }
  }

  private async pick(name: string, dims: Record<string, number>, image: ImageChoice): Promise<PickedFile | null> {
    return (await this.ctx.bus.request('run.pickInput', { name, dims, image })) as PickedFile | null;
  }

  private async readLabels(input: HTMLInputElement): Promise<string> {
    const f = input.files?.[0];
    if (!f) return 'none';
    const text = await f.text();
    let labels: string[];
    try {
      const j = JSON.parse(text) as unknown;
      labels = Array.isArray(j) ? j.map(String) : typeof j === 'object' && j ? Object.values(j as Record<string, unknown>).map(String) : [];
    } catch {
      labels = text.split(/\r?\n/).map((l) => l.trim()).filter((l, i, a) => l || i < a.length - 1);
    }
    this.labels = labels;
    return `${f.name} (${labels.length} labels; used by the next run)`;
  }

  /** Runs `fn` with the busy state, the Cancel button and errors shown in the status line. */
  private async busy<T>(what: string, fn: (signal: AbortSignal) => Promise<T>): Promise<T | null> {
    if (this.controller) return null;
    const ctl = new AbortController();
    this.controller = ctl;
    this.updateTrust();
    this.cancelBtn.disabled = false;
    this.element.dataset.state = 'running';
    this.status.replaceChildren(h('span', { class: 'codicon codicon-loading codicon-modifier-spin', attrs: { 'aria-hidden': 'true' } }), ` ${what}…`);
    try {
      const r = await fn(ctl.signal);
      this.element.dataset.state = 'done';
      return r;
    } catch (e) {
      const err = e as Error & { code?: string };
      this.element.dataset.state = 'error';
      this.status.replaceChildren(h('span', { class: 'run-error', text: err.code === 'cancelled' ? 'Cancelled.' : err.message }));
      if (err.code === 'untrusted') { this.trusted = false; this.updateTrust(); }
      return null;
    } finally {
      this.controller = null;
      this.cancelBtn.disabled = true;
      this.updateTrust();
    }
  }

  private cancel(): void {
    void this.ctx.bus.request('run.cancel', {}).catch(() => undefined);
    this.controller?.abort();
  }

  private params(): Record<string, unknown> {
    this.form.save();
    return { inputs: this.form.specs(), dims: this.form.dims(), runs: this.runs(), warmup: this.warmup() };
  }

  private async infer(): Promise<void> {
    const r = await this.busy('Running', async (signal) => {
      if (!this.tfjs) return this.ctx.bus.request('run.infer', this.params(), { signal }) as Promise<InferResult>;
      const t = await this.tfjs.run('auto', this.ctx.summary.inputs, this.params() as Parameters<TfjsClient['run']>[2], signal);
      this.tfjsOutputs = t.outputs;
      return t.result;
    });
    if (r) this.showResult(r);
  }

  private async captureActivations(): Promise<void> {
    const r = await this.busy('Running and capturing every node’s output', (signal) =>
      this.ctx.bus.request('run.activations', { ...this.params(), runs: 1, warmup: 0, nodes: 'all' }, { signal }) as Promise<ActivationsResult>);
    if (!r) return;
    this.showResult(r);
    this.activations = r.activations;
    this.actEl.hidden = false;
    const fused = r.fused?.length ? `; ${r.fused.length} of them fused by ONNX Runtime into another node (computed when you open one)` : '';
    this.actSummary.textContent = `${r.activations.length} node outputs captured${fused}${r.skipped ? `; ${r.skipped} nodes inside subgraphs or without a tensor output were skipped` : ''}. Click a node in the graph to see its histogram here.`;
    this.paintOverlay();
    const sel = this.ctx.selectedNode();
    if (sel !== null) void this.showNode(sel);
  }

  private async runProfile(): Promise<void> {
    const r = await this.busy('Running with the profiler', (signal) => this.ctx.bus.request('run.profile', this.params(), { signal }) as Promise<ProfileResult>);
    if (!r) return;
    this.showResult(r);
    this.profile.show(r);
    this.element.dataset.overlay = 'profile';
  }

  private paintOverlay(): void {
    if (!this.activations.length) return;
    const metric = this.metricSel.value as Metric;
    const values = new Float32Array(this.ctx.graph.nodes.length).fill(NaN);
    let min = Infinity, max = -Infinity;
    for (const a of this.activations) {
      const v = metric === 'nan' ? a.nan : metric === 'mean' ? a.mean : a.absMax;
      if (v === null || !Number.isFinite(v) || a.nodeId >= values.length) continue;
      values[a.nodeId] = v;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    if (min > max) { min = 0; max = 0; }
    const diverging = metric === 'mean' && min < 0;
    this.ctx.setNodeOverlay({ values, legend: { title: `Activation ${METRICS[metric].toLowerCase()}`, min: diverging ? min : Math.min(0, min), max, scale: diverging ? 'diverging' : 'sequential' } });
    this.element.dataset.overlay = metric;
  }

  private async showNode(nodeId: number | null): Promise<void> {
    if (nodeId === null || !this.activations.length) return;
    const node = this.ctx.graph.nodes[nodeId];
    const a = this.activations.find((x) => x.nodeId === nodeId);
    if (!node) return;
    if (!a) {
      this.actDetail.replaceChildren(h('p', { class: 'run-note', text: `${node.name || node.opType}: no activation captured (inside a subgraph, or the node has no tensor output).` }));
      return;
    }
    const r = (await this.ctx.bus.request('run.activationHistogram', { nodeId })) as
      | { value: string; dtype: string; shape: number[]; stats: InferResult['outputs'][number]['stats']; histogram: InferResult['outputs'][number]['histogram'] }
      | null;
    if (!r) return;
    const chart = new HistogramChart(`Histogram of ${r.value}`);
    this.actDetail.replaceChildren(
      h('h3', { text: `${node.name || '(unnamed)'} · ${node.opType}` }),
      h('p', { class: 'run-note', text: `${r.value} · ${r.dtype} [${r.shape.join(', ')}] · mean ${fmtNum(r.stats.mean)} · abs max ${fmtNum(r.stats.absMax)} · NaN ${r.stats.nan}` }),
      ...(a.fusedInto !== undefined ? [h('p', { class: 'run-note run-fused', text: a.fusedInto ? `Fused into ${a.fusedInto} when ONNX Runtime optimized the graph: computed on the unoptimized graph for this view.` : 'Folded into a constant when ONNX Runtime loaded the model: computed on the unoptimized graph for this view.' })] : []),
      chart.element);
    this.actDetail.dataset.node = String(nodeId);
    const hist = r.histogram;
    this.actDraw = hist ? () => chart.set([{ label: r.value, edges: hist.edges, counts: hist.counts }], false) : null;
    this.actDraw?.();
  }

  private showResult(r: InferResult): void {
    const fellBack = r.fallbackReason ? h('div', { class: 'run-fallback' }, icon('warning'), h('span', { text: `Fell back to ${r.provider}: ${r.fallbackReason}` })) : null;
    this.element.dataset.provider = r.provider;
    this.status.replaceChildren(
      h('div', { class: 'run-ran' },
        h('span', { text: 'Ran on ' }), h('strong', { class: 'run-provider-name', text: r.provider }),
        h('span', { text: `${this.tfjs ? ' (TensorFlow.js in this panel)' : ` (setting: ${r.requested})`} · session ${fmtMs(r.loadMs)} · ${r.latency.runs} run${r.latency.runs === 1 ? '' : 's'}: min ${fmtMs(r.latency.min)}, p50 ${fmtMs(r.latency.p50)}, p90 ${fmtMs(r.latency.p90)}` })),
      ...(fellBack ? [fellBack] : []),
      ...gpuNotes(r));
    // The graph view draws the shapes this run made known (a TF.js run in this page: its outputs').
    this.ctx.setRunShapes(r.shapes ?? (this.tfjs ? packRunShapes(outputEntries(this.ctx.graph, this.tfjsOutputs)) : null));
    this.draws = [];
    this.outputsEl.replaceChildren(h('h2', { text: 'Outputs' }));
    for (const o of r.outputs) {
      const card = outputCard(o, { labels: () => this.labels, exportAs: (name, format) => void this.export(name, format) });
      this.outputsEl.append(card.element);
      this.draws.push(card.draw);
      card.draw();
    }
  }

  private async export(output: string, format: 'npy' | 'json'): Promise<void> {
    try {
      const t = this.tfjsOutputs.find((o) => o.name === output);
      const r = (this.tfjs && t
        ? await this.ctx.bus.request('run.exportTensor', { name: t.name, dtype: t.dtype, shape: t.shape, data: Array.isArray(t.data) ? t.data : new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength).slice().buffer, format })
        : await this.ctx.bus.request('run.export', { output, format })) as { saved: string | null };
      if (r.saved) this.status.append(h('div', { class: 'run-note', text: `Saved ${r.saved}` }));
    } catch (e) {
      this.status.append(h('div', { class: 'run-error', text: (e as Error).message }));
    }
  }

  /** TF.js: the CPU backend as the reference against the GPU backend (WebGPU, else WebGL), in the page's worker. */
  private async compareTfjs(signal: AbortSignal): Promise<CompareResult> {
    const tfjs = this.tfjs!;
    const p = this.params() as Parameters<TfjsClient['run']>[2];
    const ref = await tfjs.run('cpu', this.ctx.summary.inputs, p, signal);
    const gpu = await tfjs.run('gpu', this.ctx.summary.inputs, p, signal);
    const other = gpu.result.provider === 'cpu' ? null : gpu;
    return {
      reference: { provider: ref.result.provider, latency: ref.result.latency },
      other: other ? { provider: other.result.provider, latency: other.result.latency, fallbackReason: null } : null,
      unavailable: other ? null : gpu.result.fallbackReason ?? 'no GPU backend (WebGPU, WebGL) is available',
      rows: other ? compareOutputs(other.outputs, ref.outputs).map((d) => ({
        ...d, maxAbsDiff: Number.isFinite(d.maxAbsDiff) ? d.maxAbsDiff : null, maxRelDiff: Number.isFinite(d.maxRelDiff) ? d.maxRelDiff : null,
      })) : [],
    };
  }

  private async compare(): Promise<void> {
    const r = await this.busy('Comparing providers', (signal) => (this.tfjs ? this.compareTfjs(signal) : this.ctx.bus.request('run.compare', this.params(), { signal }) as Promise<CompareResult>));
    if (!r) return;
    const lat = (l: CompareResult['reference']['latency']) => `min ${fmtMs(l.min)} · p50 ${fmtMs(l.p50)} · p90 ${fmtMs(l.p90)}`;
    this.status.replaceChildren(h('span', { text: 'Compared.' }));
    const rows = [h('tr', {}, h('td', { text: r.reference.provider }), h('td', { text: lat(r.reference.latency) }))];
    if (r.other) rows.push(h('tr', {}, h('td', { text: r.other.provider }), h('td', { text: lat(r.other.latency) })));
    this.compareEl.replaceChildren(h('section', { class: 'run-section', attrs: { 'aria-label': 'Provider comparison' } },
      h('h2', { text: 'Compare providers' }),
      h('table', { class: 'run-table', attrs: { 'aria-label': 'Latency per provider' } }, h('thead', {}, h('tr', {}, h('th', { text: 'Provider' }), h('th', { text: 'Latency' }))), h('tbody', {}, ...rows)),
      r.other
        ? h('table', { class: 'run-table', attrs: { 'aria-label': 'Output differences' } },
            h('thead', {}, h('tr', {}, ...['Output', 'Max abs diff', 'Max rel diff', 'Cosine', 'Mismatched'].map((t) => h('th', { text: t })))),
            h('tbody', {}, ...r.rows.map((d) => h('tr', {}, h('td', { text: d.name }), h('td', { text: fmtNum(d.maxAbsDiff) }), h('td', { text: fmtNum(d.maxRelDiff) }), h('td', { text: fmtNum(d.cosine) }), h('td', { text: d.shapeMatches ? String(d.mismatched) : 'shapes differ' })))))
        : h('p', { class: 'run-note run-unavailable', text: `Only ${r.reference.provider} could run here: ${r.unavailable ?? 'no other provider'}` })));
  }
}

function clampInt(s: string, min: number, max: number, fallback: number): number {
  const v = Number(s);
  return Number.isInteger(v) ? Math.min(max, Math.max(min, v)) : fallback;
}

/** Auto's choice, the first (compiling) GPU run and where the nodes ran, one line each. */
function gpuNotes(r: InferResult): HTMLElement[] {
  const notes: HTMLElement[] = [];
  if (r.autoReason) notes.push(h('div', { class: 'run-note run-auto', text: `auto: ${r.autoReason}` }));
  if (r.firstRunMs !== undefined) notes.push(h('div', { class: 'run-note run-first', text: `First run ${fmtMs(r.firstRunMs)}: compiling GPU kernels (first run only, not in the latency)` }));
  if (r.placement) notes.push(h('div', { class: 'run-note run-placement', text: `Placement: ${r.placement}` }));
  return notes;
}
