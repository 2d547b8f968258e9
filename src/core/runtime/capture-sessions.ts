// Sessions that also return intermediate values, cached per set of captured names. A small set
// becomes extra graph outputs; a large one is gathered in-graph (capture-pack.ts) after a first
// run has told each value's dtype and rank.
import type * as Ort from 'onnxruntime-node';
import { buildPackedCaptureModel, PACK_MIN_OPSET, PACK_MIN_VALUES, unpackCapture, type PackLayout } from './capture-pack.js';
import { readDefaultOpset, spliceGraphOutputs } from '../model-write/index.js';
import { disposeValues, fromOrtTensor } from './ort-values.js';
import { isRuntimeDtype, type RuntimeTensor } from './tensor-value.js';

type Session = Ort.InferenceSession;
type Feeds = Record<string, Ort.Tensor>;
type Values = Ort.InferenceSession.OnnxValueMapType;

/** The session to run for a capture, and how to read the captured values from its results. */
export interface CapturePlan {
  session: Session;
  extract(values: Values): Promise<RuntimeTensor[]>;
}

interface Entry {
  spliced: Session;
  /** undefined: not tried yet; null: not possible or not worth it. */
  packed?: { session: Session; layout: PackLayout } | null;
}

const MAX_ENTRIES = 3;

export class CaptureSessions {
  private readonly cache = new Map<string, Entry>();

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

  async dispose(): Promise<void> {
    for (const e of this.cache.values()) await release(e);
    this.cache.clear();
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
