// The input builder: one row per model input (dtype, shape with the dynamic dims asked for), how to
// fill it (the model's default, seeded random normal/uniform, zeros, ones, range, constant) or a
// file the host reads after its open dialog. run.defaults' sizes and fills show with their reasons
// before the first run. The settings persist per model.
import type { IoInfo } from '../../src/core/model-view-types.js';
import { defaultDimSize } from '../../src/core/runtime/inputs.js';
import { dimNames } from '../../src/core/shapes/dims.js';
import { FILL_KINDS, type InputSpec, type PickedFile, type RunDefaultsResult, type RunFillKind } from '../../src/features/run/protocol.js';
import type { Persisted } from '../state.js';
import { h } from '../shell/dom.js';

export interface SavedInput { kind: RunFillKind | 'file'; seed: number; value: number; low: number; high: number }
export interface SavedInputs { inputs: Record<string, SavedInput>; dims: Record<string, number>; runs: number; warmup: number }

const KIND_LABELS: Record<RunFillKind | 'file', string> = {
  default: 'Default', random: 'Random normal', uniform: 'Random uniform', zeros: 'Zeros', ones: 'Ones', range: 'Range 0, 1, 2…', constant: 'Constant', file: 'From file…',
};

export interface ImageChoice { layout: 'auto' | 'nchw' | 'nhwc'; channelOrder: 'rgb' | 'bgr'; scale: number; mean: number[]; std: number[] }

/** Dim keys an input's shape needs values for: symbolic names, or `input:axis` for unknown dims. */
export function dimKeys(inputs: readonly IoInfo[]): { key: string; label: string; def: number }[] {
  const out = new Map<string, { key: string; label: string; def: number }>();
  for (const io of inputs) {
    io.shape?.forEach((d, axis) => {
      if (typeof d === 'number' && d >= 0) return;
      // An expression dim (`past + 1`) asks for the names it is made of.
      const keys = typeof d === 'string' && d ? dimNames(d) : [`${io.name}:${axis}`];
      for (const key of keys) {
        if (!out.has(key)) out.set(key, { key, label: typeof d === 'string' && d ? key : `${io.name} axis ${axis}`, def: defaultDimSize(typeof d === 'string' ? key : null) });
      }
    });
  }
  return [...out.values()];
}

export class InputsForm {
  readonly element: HTMLElement;
  private readonly picked = new Map<string, PickedFile>();
  private readonly image: ImageChoice = { layout: 'auto', channelOrder: 'rgb', scale: 1 / 255, mean: [0], std: [1] };
  private defaults: RunDefaultsResult | null = null;
  /** Dims the user typed a size into (kept across sessions); the others follow run.defaults. */
  private readonly userDims: Set<string>;
  private defaultsAsked = 0;

  constructor(
    private readonly inputs: readonly IoInfo[],
    private readonly saved: Persisted<SavedInputs>,
    private readonly pick: (name: string, dims: Record<string, number>, image: ImageChoice) => Promise<PickedFile | null>,
    private readonly requestDefaults: (userDims: Record<string, number>) => Promise<RunDefaultsResult>,
  ) {
    const s = saved.get();
    this.userDims = new Set(Object.keys(s.dims));
    const dimRow = h('div', { class: 'run-dims' });
    for (const d of dimKeys(inputs)) {
      const id = `run-dim-${cssId(d.key)}`;
      const input = h('input', { class: 'run-num', attrs: { id, type: 'number', min: '0', step: '1', value: String(s.dims[d.key] ?? d.def), 'data-dim': d.key } });
      // A size typed in is the user's; an emptied field goes back to the default. Either way the
      // reasons are asked again: a shared name or an expression dim may follow the new size.
      input.addEventListener('change', () => {
        if (input.value.trim() === '') this.userDims.delete(d.key); else this.userDims.add(d.key);
        this.save();
        this.refreshDefaults();
      });
      dimRow.append(h('label', { class: 'run-field', attrs: { for: id } }, h('span', { text: d.label }), input,
        h('span', { class: 'run-hint', attrs: { 'data-hint': d.key, id: `${id}-hint` } })));
      input.setAttribute('aria-describedby', `${id}-hint`);
    }
    const table = h('table', { class: 'run-table run-inputs', attrs: { 'aria-label': 'Model inputs' } },
      h('thead', {}, h('tr', {}, ...['Input', 'Type', 'Shape', 'Values', ''].map((t) => h('th', { text: t })))),
      h('tbody', {}, ...inputs.map((io) => this.row(io, s.inputs[io.name]))));
    this.element = h('section', { class: 'run-section', attrs: { 'aria-label': 'Inputs' } },
      h('h2', { text: 'Inputs' }), table,
      dimRow.childElementCount ? h('div', {}, h('h3', { text: 'Dynamic dimensions' }), dimRow) : null,
      this.imageOptions());
  }

  private row(io: IoInfo, saved: SavedInput | undefined): HTMLElement {
    const s: SavedInput = { kind: 'default', seed: 0, value: 0, low: 0, high: 1, ...saved };
    if (s.kind === 'file') s.kind = 'default'; // the file itself is not kept across sessions
    const kind = h('select', { class: 'run-kind', attrs: { 'aria-label': `How to fill ${io.name}`, 'data-input': io.name } });
    for (const k of [...FILL_KINDS, 'file'] as const) kind.append(h('option', { text: KIND_LABELS[k], attrs: { value: k } }));
    kind.value = s.kind;
    const num = (field: 'seed' | 'value' | 'low' | 'high', label: string) => {
      const el = h('input', { class: 'run-num', attrs: { type: 'number', 'aria-label': `${label} for ${io.name}`, 'data-field': field, value: String(s[field]), step: field === 'seed' ? '1' : 'any' } });
      el.addEventListener('change', () => this.save());
      return h('label', { class: 'run-field small' }, h('span', { text: label }), el);
    };
    const seed = num('seed', 'seed'), value = num('value', 'value'), low = num('low', 'low'), high = num('high', 'high');
    const file = h('span', { class: 'run-file-name' });
    const hint = h('span', { class: 'run-hint', attrs: { 'data-fill-hint': io.name } });
    const choose = h('button', { class: 'ml-button', text: 'Choose file…', attrs: { type: 'button' } });
    const update = () => {
      const k = kind.value;
      seed.hidden = !(k === 'random' || k === 'uniform' || k === 'default');
      hint.hidden = k !== 'default';
      low.hidden = high.hidden = k !== 'uniform';
      value.hidden = k !== 'constant';
      choose.hidden = k !== 'file';
      const p = this.picked.get(io.name);
      file.textContent = k === 'file' ? (p ? `${p.fileName} · ${p.dtype} [${p.shape.join(', ')}]` : 'no file chosen') : '';
    };
    choose.addEventListener('click', async () => {
      try {
        const p = await this.pick(io.name, this.dims(), this.image);
        if (p) this.picked.set(io.name, p);
      } catch (e) {
        file.textContent = (e as Error).message;
        return;
      }
      update();
    });
    kind.addEventListener('change', () => { update(); this.save(); if (kind.value === 'file' && !this.picked.has(io.name)) choose.click(); });
    update();
    const shape = io.shape ? `[${io.shape.map((d) => d ?? '?').join(', ')}]` : 'unknown rank';
    return h('tr', { attrs: { 'data-input': io.name } },
      h('td', { class: 'io-name', text: io.name }),
      h('td', { text: io.dtype ?? '?' }),
      h('td', { class: 'mono', text: shape }),
      h('td', {}, h('div', { class: 'run-fill' }, kind, seed, value, low, high), hint),
      h('td', {}, h('div', { class: 'run-fill' }, choose, file)));
  }

  private imageOptions(): HTMLElement {
    const sel = (label: string, options: string[], get: () => string, set: (v: string) => void) => {
      const el = h('select', { attrs: { 'aria-label': label } }, ...options.map((o) => h('option', { text: o.toUpperCase(), attrs: { value: o } })));
      el.value = get();
      el.addEventListener('change', () => set(el.value));
      return h('label', { class: 'run-field' }, h('span', { text: label }), el);
    };
    const list = (label: string, get: () => number[], set: (v: number[]) => void) => {
      const el = h('input', { class: 'run-text', attrs: { type: 'text', 'aria-label': label, value: get().join(', ') } });
      el.addEventListener('change', () => {
        const v = el.value.split(/[,\s]+/).filter(Boolean).map(Number);
        if (v.length && v.length <= 4 && v.every(Number.isFinite)) set(v);
        else el.value = get().join(', ');
      });
      return h('label', { class: 'run-field' }, h('span', { text: label }), el);
    };
    const scale = h('input', { class: 'run-num', attrs: { type: 'number', step: 'any', 'aria-label': 'Pixel scale', value: String(this.image.scale) } });
    scale.addEventListener('change', () => { const v = Number(scale.value); if (Number.isFinite(v)) this.image.scale = v; });
    return h('details', { class: 'run-image-opts' },
      h('summary', { text: 'Image inputs: resize, layout, channels, normalization' }),
      h('div', { class: 'run-dims' },
        sel('Layout', ['auto', 'nchw', 'nhwc'], () => this.image.layout, (v) => { this.image.layout = v as ImageChoice['layout']; }),
        sel('Channels', ['rgb', 'bgr'], () => this.image.channelOrder, (v) => { this.image.channelOrder = v as ImageChoice['channelOrder']; }),
        h('label', { class: 'run-field' }, h('span', { text: 'Scale' }), scale),
        list('Mean', () => this.image.mean, (v) => { this.image.mean = v; }),
        list('Std', () => this.image.std, (v) => { this.image.std = v; })),
      h('p', { class: 'run-note', text: 'An image is resized to the input’s height and width; value = (pixel × scale − mean) / std.' }));
  }

  /** Asks run.defaults for the user's dims and shows the answer (a later ask wins over an earlier one). */
  refreshDefaults(): void {
    const asked = ++this.defaultsAsked;
    void this.requestDefaults(this.userDimValues()).then((d) => { if (asked === this.defaultsAsked) this.showDefaults(d); }, () => undefined);
  }

  /**
   * Shows run.defaults: each open dim's size (where the user has not set one) with its reason under
   * the field, and under each input set to Default how it will be filled; guesses say to check them.
   */
  showDefaults(d: RunDefaultsResult): void {
    this.defaults = d;
    for (const hint of this.element.querySelectorAll<HTMLElement>('[data-hint]')) hint.textContent = '';
    for (const input of d.inputs) {
      for (const dim of input.dims) {
        const field = this.element.querySelector<HTMLInputElement>(`input[data-dim="${CSS.escape(dim.key)}"]`);
        const hint = this.element.querySelector<HTMLElement>(`[data-hint="${CSS.escape(dim.key)}"]`);
        if (!field || !hint || hint.textContent) continue; // a name shared by inputs: its first reason
        const mine = this.userDims.has(dim.key);
        if (!mine) field.value = String(dim.value);
        hint.textContent = mine ? `set by you; empty the field for the default${dim.byDefault ? ` (${dim.byDefault.value}: ${dim.byDefault.reason})` : ''}` : dim.reason;
        hint.dataset.source = mine ? 'user' : 'default';
      }
      const fill = this.element.querySelector<HTMLElement>(`[data-fill-hint="${CSS.escape(input.name)}"]`);
      if (fill) {
        fill.textContent = `${input.fill.check ? 'Check: ' : ''}${input.fill.value !== undefined ? `${input.fill.value} — ` : ''}${input.fill.reason}`;
        fill.classList.toggle('run-check', !!input.fill.check);
      }
    }
  }

  /** Every dim's size as the fields show it (by symbolic name or input:axis): what a run uses. */
  dims(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const el of this.element.querySelectorAll<HTMLInputElement>('input[data-dim]')) {
      const v = el.value.trim() === '' ? NaN : Number(el.value);
      if (Number.isInteger(v) && v >= 0) out[el.dataset.dim!] = v;
    }
    return out;
  }

  /** The sizes the user typed in, the rest left to the defaults. */
  private userDimValues(): Record<string, number> {
    const all = this.dims();
    return Object.fromEntries(Object.entries(all).filter(([k]) => this.userDims.has(k)));
  }

  /** The inputs as the host's run.* requests take them; throws when a chosen file is missing. */
  specs(): InputSpec[] {
    return this.inputs.map((io) => {
      const row = this.rowOf(io.name);
      const kind = row.querySelector<HTMLSelectElement>('select.run-kind')!.value as RunFillKind | 'file';
      if (kind === 'file') {
        const p = this.picked.get(io.name);
        if (!p) throw new Error(`Choose a file for input '${io.name}' first.`);
        return { name: io.name, source: 'file', token: p.token };
      }
      const f = (field: string) => Number(row.querySelector<HTMLInputElement>(`input[data-field="${field}"]`)!.value);
      const seed = Math.max(0, Math.trunc(f('seed')) || 0);
      // Default resolved here as the host resolves it, so the TF.js runner in the page fills the same.
      const d = kind === 'default' ? this.defaults?.inputs.find((i) => i.name === io.name)?.fill : undefined;
      if (kind === 'default') return d ? { name: io.name, source: 'fill', kind: d.kind, seed, value: d.value, low: d.low, high: d.high } : { name: io.name, source: 'fill', kind, seed };
      return { name: io.name, source: 'fill', kind, seed, value: f('value') || 0, low: f('low') || 0, high: Number.isFinite(f('high')) ? f('high') : 1 };
    });
  }

  private rowOf(name: string): HTMLElement {
    return [...this.element.querySelectorAll<HTMLElement>('tr[data-input]')].find((r) => r.dataset.input === name)!;
  }

  save(): void {
    const cur = this.saved.get();
    const inputs: Record<string, SavedInput> = {};
    for (const io of this.inputs) {
      const row = this.rowOf(io.name);
      const f = (field: string) => Number(row.querySelector<HTMLInputElement>(`input[data-field="${field}"]`)!.value) || 0;
      inputs[io.name] = { kind: row.querySelector<HTMLSelectElement>('select.run-kind')!.value as SavedInput['kind'], seed: f('seed'), value: f('value'), low: f('low'), high: f('high') };
    }
    this.saved.set({ ...cur, inputs, dims: this.userDimValues() });
  }
}

function cssId(s: string): string {
  return s.replace(/[^\w-]/g, '_');
}
