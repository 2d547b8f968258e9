// Sessions that also return intermediate values, cached per set of captured names. A small set
// becomes extra graph outputs; a large one is gathered in-graph (capture-pack.ts) after a first
// run has told each value's dtype and rank. The all-values overview (planSummaries) returns
// summaries reduced in the graph instead (capture-reduce.ts), per set of names and input shapes;
// a value whose summary another captured one gives (capture-alias.ts) is not reduced at all.
import type * as Ort from 'onnxruntime-node';
import { buildPackedCaptureModel, PACK_MIN_OPSET, PACK_MIN_VALUES, unpackCapture, type PackLayout } from './capture-pack.js';
import { buildReducedCaptureModel, centerOf, isReducible, needsExactSummary, readReducedSummaries, type ReduceLayout } from './capture-reduce.js';
import { derivedSummary, findSummaryAliases, type SummarySource } from './capture-alias.js';
import { readDefaultOpset, readGraphNodes, readScalarInitializers, spliceGraphOutputs } from '../model-write/index.js';
import { disposeValues, fromOrtTensor } from './ort-values.js';
import { summaryOf, type ValueSummary } from './output-stats.js';
import { isRuntimeDtype, type RuntimeTensor } from './tensor-value.js';

type Session = Ort.InferenceSession;
type Feeds = Record<string, Ort.Tensor>;
type Values = Ort.InferenceSession.OnnxValueMapType;

/** The session to run for a capture, and how to read the captured values from its results. */
export interface CapturePlan {
  session: Session;
  extract(values: Values): Promise<RuntimeTensor[]>;
}

/** A capture run that returns summaries: every value's, and the tensors when the run returned them all (no reduction). */
export interface SummaryPlan {
  session: Session;
  extract(values: Values): Promise<{ summaries: ValueSummary[]; tensors: RuntimeTensor[] }>;
  /** The plan to use when this session's run fails (a value's size changed): full tensors, summarized here. */
  fallback(): Promise<SummaryPlan>;
}

interface Reduced {
  session: Session;
  layout: ReduceLayout;
  /** Values returned whole (integers, bools, empty, NaN/Inf, constant): by name, or gathered (`pack`). */
  whole: string[];
  pack: PackLayout | null;
  /** Planned names → index into layout.values, or -1 for the whole ones and the aliases. */
  at: number[];
  /** Planned names → the value whose summary theirs follows from (capture-alias.ts), with their own dtype and shape; null: their own. */
  alias: ((SummarySource & { dtype: RuntimeTensor['dtype']; shape: number[] }) | null)[];
}

interface Entry {
  spliced: Session;
  /** undefined: not tried yet; null: not possible or not worth it. */
  packed?: { session: Session; layout: PackLayout } | null;
}

const MAX_ENTRIES = 3;

export class CaptureSessions {
  private readonly cache = new Map<string, Entry>();
  private readonly reduced = new Map<string, Reduced | null>();

  constructor(
    private readonly createSession: (bytes: Uint8Array) => Promise<Session>,
    private readonly modelBytes: () => Promise<Uint8Array>,
    private readonly file: string,
  ) {}

  /** Plans a run that returns `names` (node outputs, graph order) besides the model's outputs. */
  async plan(main: Session, names: string[], feeds: Feeds): Promise<CapturePlan> {
    const read = (values: Values) => names.map((n) => fromOrtTensor(n, values[n] as Ort.Tensor));
    const extra = names.filter((n) => !main.outputNames.includes(n));
    if (!extra.length) return { session: main, extract: async (v) => read(v) };
    const key = names.join('\u0000');
    let entry = this.cache.get(key);
    if (!entry) {
      entry = { spliced: await this.createSession(spliceGraphOutputs(await this.modelBytes(), extra, this.file)) };
      await this.remember(key, entry);
    }
    if (entry.packed === undefined) entry.packed = await this.tryPack(entry.spliced, names, feeds);
    const { spliced, packed } = entry;
    if (!packed) return { session: spliced, extract: async (v) => read(v) };
    return {
      session: packed.session,
      extract: async (v) => {
        const got = unpackCapture(packed.layout, (n) => (v[n] ? fromOrtTensor(n, v[n] as Ort.Tensor) : undefined));
        if (got) return got;
        // A value's rank differs from the first run's: read this run's values the plain way.
        const again = await spliced.run(feeds);
        return read(again);
      },
    };
  }

  /**
   * Plans a run that returns a summary of each of `names` (graph order): reduced in the graph when
   * there are enough values to be worth it, else computed here from the captured tensors.
   */
  async planSummaries(main: Session, names: string[], feeds: Feeds): Promise<SummaryPlan> {
    const full = async (): Promise<SummaryPlan> => {
      const plan = await this.plan(main, names, feeds);
      const self: SummaryPlan = { session: plan.session, extract: async (v) => { const tensors = await plan.extract(v); return { summaries: tensors.map(summaryOf), tensors }; }, fallback: async () => self };
      return self;
    };
    const key = `${names.join('\u0000')}\u0001${Object.entries(feeds).map(([n, t]) => `${n}:${t.dims.join('x')}`).join(',')}`;
    let r = this.reduced.get(key);
    if (r === undefined) {
      r = names.length >= PACK_MIN_VALUES ? await this.buildReduced(main, names, feeds) : null;
      await this.rememberReduced(key, r);
    }
    if (!r) return full();
    const { session, layout, whole, pack, at, alias } = r;
    return {
      session,
      extract: async (v) => {
        const got = readReducedSummaries(layout, (n) => (v[n] as Ort.Tensor | undefined)?.data as Float32Array | undefined);
        if (!got) { const f = await full(); return f.extract(await f.session.run(feeds)); }
        const read = (n: string) => (v[n] ? fromOrtTensor(n, v[n] as Ort.Tensor) : undefined);
        const packed = pack ? unpackCapture(pack, read) : [];
        if (!packed) { const f = await full(); return f.extract(await f.session.run(feeds)); }
        const tensors = [...packed, ...whole.map((n) => read(n)!)];
        const wholeAt = new Map(tensors.map((t) => [t.name, t]));
        // NaN, Inf or a variance float32 sums cannot give: those values are fetched whole, once, untimed.
        const exact = names.filter((n, i) => at[i] >= 0 && got[at[i]].exact);
        if (exact.length) for (const t of await this.fetch(main, exact, feeds)) { tensors.push(t); wholeAt.set(t.name, t); }
        const own = new Map(names.flatMap((n, i) => (alias[i] ? [] : [[n, (at[i] >= 0 && got[at[i]].summary) || summaryOf(wholeAt.get(n)!)] as const])));
        const summaries = names.map((n, i) => { const a = alias[i]; return a ? derivedSummary(own.get(a.of)!, { name: n, dtype: a.dtype, shape: a.shape }, a) : own.get(n)!; });
        // A derived value whose source had NaN or Inf (or that overflows) is fetched whole too.
        const underived = names.filter((_, i) => !summaries[i]);
        if (underived.length) for (const t of await this.fetch(main, underived, feeds)) summaries[names.indexOf(t.name)] = summaryOf(t);
        // Summarized here, not sent: the overview's reply stays small; a value opened is fetched alone.
        return { summaries: summaries as ValueSummary[], tensors: [] };
      },
      fallback: async () => {
        this.reduced.set(key, null);
        await session.release();
        return full();
      },
    };
  }

  /** One run of the plan for `names`, and its values. */
  async fetch(main: Session, names: string[], feeds: Feeds): Promise<RuntimeTensor[]> {
    const plan = await this.plan(main, names, feeds);
    return plan.extract(await plan.session.run(feeds));
  }

  async dispose(): Promise<void> {
    for (const e of this.cache.values()) await release(e);
    this.cache.clear();
    for (const r of this.reduced.values()) await r?.session.release();
    this.reduced.clear();
  }

  // A first run (the full plan's) tells each value's dtype and shape at these input shapes.
  private async buildReduced(main: Session, names: string[], feeds: Feeds): Promise<Reduced | null> {
    const bytes = await this.modelBytes();
    const opset = readDefaultOpset(bytes, this.file) ?? 0;
    if (opset < PACK_MIN_OPSET) return null;
    let first: RuntimeTensor[];
    try { first = await this.fetch(main, names, feeds); } catch { return null; }
    const stats = first.map(summaryOf);
    const aliases = findSummaryAliases(readGraphNodes(bytes, this.file), first.map((t, i) => ({ name: t.name, dtype: t.dtype, stats: stats[i] })), readScalarInitializers(bytes, this.file));
    const center = new Map(first.map((t, i) => [t.name, centerOf(stats[i])]));
    const reducible = first.filter((t, i) => !aliases.has(t.name) && isReducible(t.dtype, t.shape, stats[i]) && (!needsExactSummary(stats[i]) || center.get(t.name) !== undefined));
    if (reducible.length < PACK_MIN_VALUES) return null;
    const index = new Map(reducible.map((t, i) => [t.name, i]));
    const at = names.map((n) => index.get(n) ?? -1);
    const alias = first.map((t) => { const source = aliases.get(t.name); return source ? { ...source, dtype: t.dtype, shape: t.shape } : null; });
    const wholeNames = names.filter((_, i) => at[i] < 0 && !alias[i]);
    const extra = wholeNames.filter((n) => !main.outputNames.includes(n));
    try {
      // Many whole values are gathered like a tensor capture (capture-pack.ts), a few are plain outputs.
      const gathered = extra.length >= PACK_MIN_VALUES ? buildPackedCaptureModel(bytes, first.filter((t) => extra.includes(t.name)).map((t) => ({ name: t.name, dtype: t.dtype, rank: t.shape.length })), this.file) : null;
      const withWhole = gathered ? gathered.bytes : extra.length ? spliceGraphOutputs(bytes, extra, this.file) : bytes;
      const { bytes: reducedBytes, layout } = buildReducedCaptureModel(withWhole, reducible.map((t) => ({ name: t.name, dtype: t.dtype, shape: t.shape, center: center.get(t.name) })), opset, this.file);
      const whole = gathered ? wholeNames.filter((n) => !extra.includes(n)) : wholeNames;
      return { session: await this.createSession(reducedBytes), layout, whole, pack: gathered?.layout ?? null, at, alias };
    } catch {
      return null; // an op the reduction cannot follow on this provider: full tensors still work
    }
  }

  private async rememberReduced(key: string, r: Reduced | null): Promise<void> {
    if (this.reduced.size >= MAX_ENTRIES) {
      const [oldKey, old] = this.reduced.entries().next().value as [string, Reduced | null];
      this.reduced.delete(oldKey);
      await old?.session.release();
    }
    this.reduced.set(key, r);
  }

  private async tryPack(spliced: Session, names: string[], feeds: Feeds): Promise<Entry['packed']> {
    if (names.length < PACK_MIN_VALUES) return null;
    const bytes = await this.modelBytes();
    if ((readDefaultOpset(bytes, this.file) ?? 0) < PACK_MIN_OPSET) return null;
    let first: Values;
    try { first = await spliced.run(feeds); } catch { return null; }
    const values = names.map((n) => {
      const t = first[n] as Ort.Tensor | undefined;
      return t && isRuntimeDtype(t.type) ? { name: n, dtype: t.type, rank: t.dims.length } : null;
    });
    disposeValues(first);
    if (values.some((v) => !v)) return null;
    try {
      const { bytes: packedBytes, layout } = buildPackedCaptureModel(bytes, values as NonNullable<(typeof values)[number]>[], this.file);
      return { session: await this.createSession(packedBytes), layout };
    } catch {
      return null; // e.g. an op the gather nodes cannot follow on this provider: plain outputs still work
    }
  }

  private async remember(key: string, entry: Entry): Promise<void> {
    if (this.cache.size >= MAX_ENTRIES) {
      const [oldKey, old] = this.cache.entries().next().value as [string, Entry];
      this.cache.delete(oldKey);
      await release(old);
    }
    this.cache.set(key, entry);
  }
}

async function release(e: Entry): Promise<void> {
  await e.spliced.release();
  if (e.packed) await e.packed.session.release();
}
