// The shapes the last run made known, as the graph view draws them: edge labels and the sidebar show
// the run's numbers in place of the file's `?` and symbolic dims, marked ◆ (measured: the run produced
// the tensor) or ◇ (the shape rules on the run's input dims: fused by ONNX Runtime, or not captured),
// and ≠ with the file's shape where the two disagree.
import type { GraphPayload, ValueInfo } from '../../src/core/model-view-types.js';
import { RUN_SHAPE, unpackRunShapes, type RunShapes, type RunShapeSource } from '../../src/core/runtime/run-shapes.js';
import type { Disposable } from '../bus.js';
import { h } from '../shell/dom.js';
import type { ViewContext } from '../view.js';
import { typeLabel } from '../../src/core/layout/node-text.js';

export interface MeasuredShape {
  shape: number[];
  source: RunShapeSource;
  /** The file's (or static inference's) shape says otherwise: another rank, another number, or a dim name sized differently elsewhere. */
  differs: boolean;
}

/** Value id → what the last run made known of its shape. */
export type MeasuredIndex = Map<number, MeasuredShape>;

export const MARK = { measured: '◆', fromInputs: '◇', differs: '≠' } as const;
export const MEASURED_TITLE = 'measured in the last run';
export const FROM_INPUTS_TITLE = 'from the last run\'s input shapes (fused by ONNX Runtime or not captured)';

/** Indexes packed run shapes against the payload (null: no run yet). */
export function measuredIndex(payload: GraphPayload, s: RunShapes | null): MeasuredIndex | null {
  if (!s) return null;
  const raw = unpackRunShapes(s, payload.values.length);
  // What each dim name was in this run, from the graph inputs the run was fed.
  const sizes = new Map<string, number>();
  for (const vid of payload.graphs[0]?.inputs ?? []) {
    const v = payload.values[vid], r = raw.get(vid);
    if (!r || !v.shape || v.shape.length !== r.shape.length) continue;
    v.shape.forEach((d, j) => { if (typeof d === 'string' && /^\w+$/.test(d) && !sizes.has(d)) sizes.set(d, r.shape[j]); });
  }
  const out: MeasuredIndex = new Map();
  for (const [vid, r] of raw) out.set(vid, { ...r, differs: differsFromFile(payload.values[vid].shape, r.shape, sizes) });
  return out;
}

/** True when a declared shape cannot be the run's: rank, a fixed dim, or a named dim sized otherwise by the inputs. */
export function differsFromFile(declared: ValueInfo['shape'], real: readonly number[], sizes: ReadonlyMap<string, number> = new Map()): boolean {
  if (!declared) return false;
  if (declared.length !== real.length) return true;
  return declared.some((d, j) => (typeof d === 'number' && d > 0 && d !== real[j]) || (typeof d === 'string' && sizes.has(d) && sizes.get(d) !== real[j]));
}

/** `◆ float32 [2, 3]`, with `≠ [N, 4]` (the file's shape) when they disagree. */
export function measuredLabel(v: Pick<ValueInfo, 'dtype' | 'shape'>, m: MeasuredShape): string {
  const mark = m.source === RUN_SHAPE.measured ? MARK.measured : MARK.fromInputs;
  return `${mark} ${typeLabel(v.dtype, m.shape)}${m.differs ? ` ${MARK.differs} ${typeLabel(null, v.shape)}` : ''}`;
}

/** The label kind the renderer colours by. */
export function measuredKind(m: MeasuredShape): 'measured' | 'fromInputs' | 'differs' {
  return m.differs ? 'differs' : m.source === RUN_SHAPE.measured ? 'measured' : 'fromInputs';
}

/** The sidebar's type line for a value with a run shape: the run's type, a mark saying how it is known, and the file's when they differ. */
export function measuredTypeRow(v: Pick<ValueInfo, 'dtype' | 'shape'>, m: MeasuredShape): HTMLElement {
  const measured = m.source === RUN_SHAPE.measured;
  const type = h('span', { class: 'type', text: typeLabel(v.dtype, m.shape) });
  type.append(h('span', { class: measured ? 'run-shape measured' : 'run-shape from-inputs', text: measured ? ` ${MARK.measured} measured` : ` ${MARK.fromInputs} from the run's inputs`, attrs: { title: measured ? MEASURED_TITLE : FROM_INPUTS_TITLE } }));
  if (m.differs) type.append(h('span', { class: 'run-shape differs', text: ` ${MARK.differs} the file says ${typeLabel(v.dtype, v.shape)}`, attrs: { title: 'The shape stored in the file (or inferred from it) disagrees with the run' } }));
  return type;
}

/** The corner legend: which marks the drawn labels carry, with counts; hidden before a run. */
export function renderMeasuredLegend(el: HTMLElement, index: MeasuredIndex | null): void {
  el.hidden = !index || index.size === 0;
  if (!index || el.hidden) { el.replaceChildren(); return; }
  let measured = 0, fromInputs = 0, differs = 0;
  for (const m of index.values()) { if (m.source === RUN_SHAPE.measured) measured++; else fromInputs++; if (m.differs) differs++; }
  const row = (cls: string, mark: string, text: string, n: number) => h('div', { class: `measured-row ${cls}`, attrs: { 'data-count': String(n) } }, h('span', { class: 'measured-mark', text: mark }), ` ${text} (${n})`);
  el.replaceChildren(
    h('div', { class: 'legend-title', text: 'Shapes from the last run' }),
    row('measured', MARK.measured, MEASURED_TITLE, measured),
    ...(fromInputs ? [row('from-inputs', MARK.fromInputs, 'from the run\'s input shapes', fromInputs)] : []),
    ...(differs ? [row('differs', MARK.differs, 'differs from the file\'s shape', differs)] : []));
  el.title = `${MARK.measured} ${MEASURED_TITLE}; ${MARK.fromInputs} ${FROM_INPUTS_TITLE}`;
}

/** Follows the run panel's shapes (ViewContext.onRunShapes): keeps the index and the legend, and tells the graph view. */
export class RunShapesLayer {
  readonly legend = h('div', { class: 'graph-measured-legend', attrs: { role: 'note' } });
  index: MeasuredIndex | null = null;

  constructor(ctx: Pick<ViewContext, 'graph' | 'runShapes' | 'onRunShapes'>, subs: Disposable[], onChange: (index: MeasuredIndex | null) => void) {
    const set = (s: RunShapes | null) => {
      this.index = measuredIndex(ctx.graph, s);
      renderMeasuredLegend(this.legend, this.index);
      onChange(this.index);
    };
    subs.push(ctx.onRunShapes(set));
    set(ctx.runShapes());
  }
}
