// The compare panel's request handlers without VS Code: the extension (register.ts, through
// src/vscode/compare-panel.ts) and the ui test host register these same functions. Both models come
// with the request context; the webview names only weights of the report it was sent.
import type { Model } from '../../core/ir/graph.js';
import { compareModels, compareRuns, weightHistograms, type RunValues } from '../../core/compare/index.js';
import type { DiffReport } from '../../core/compare/types.js';
import type { LoadResult, ProviderChoice } from '../../core/runtime/backend.js';
import type { RuntimeSessions } from '../../core/runtime/runtime-sessions.js';
import { toNumberArray, type RuntimeTensor } from '../../core/runtime/tensor-value.js';
import { RpcError } from '../../protocol.js';
import { record, str } from '../../protocol-validate.js';
import { buildRunInputs, parseDims, parseInputs } from '../run/handlers.js';
import { COMPARE_HISTOGRAM_BINS, DIVERGENCE_DB, type CompareHistogramsResult } from './protocol.js';

/** What a compare handler gets besides its params: the two models of the panel. */
export interface CompareRequestContext {
  a: Model;
  b: Model;
  /** Runtime-session keys of the two files (their URIs); one runtime process each. */
  keyA: string;
  keyB: string;
  signal: AbortSignal;
  trusted: boolean;
  provider: ProviderChoice;
}

export type CompareHandler = (params: unknown, ctx: CompareRequestContext) => Promise<unknown>;

export interface CompareHandlerDeps {
  sessions: RuntimeSessions;
}

const name = (m: Model) => m.path.split(/[\\/]/).pop() ?? m.path;

/** The handlers by method: compare.report, compare.run, compare.histograms. */
export function createCompareHandlers(deps: CompareHandlerDeps): Record<string, CompareHandler> {
  // One report per pair of opened models (a reload gives new Model objects, so a new report).
  const reports = new WeakMap<Model, WeakMap<Model, Promise<DiffReport>>>();
  const reportOf = (ctx: CompareRequestContext): Promise<DiffReport> => {
    let byB = reports.get(ctx.a);
    if (!byB) reports.set(ctx.a, (byB = new WeakMap()));
    let r = byB.get(ctx.b);
    if (!r) {
      r = compareModels(ctx.a, ctx.b, { signal: ctx.signal });
      byB.set(ctx.b, r);
      r.catch(() => byB!.delete(ctx.b));
    }
    return r;
  };

  /** Runs one side on `inputs` capturing `values`; a failure is that side's, with its file named. */
  const runSide = async (ctx: CompareRequestContext, side: 'a' | 'b', inputs: (load: LoadResult) => RuntimeTensor[], values: string[]) => {
    const model = ctx[side];
    const { host, load } = await deps.sessions.runtimeFor(side === 'a' ? ctx.keyA : ctx.keyB, model, ctx.provider);
    const r = await host.run(inputs(load), { runs: 1, warmup: 0, signal: ctx.signal, captureValues: values });
    const pack = (ts: RuntimeTensor[]): RunValues => new Map(ts.filter((t) => t.dtype !== 'string').map((t) => [t.name, { shape: t.shape, values: toNumberArray(t) }]));
    return { captured: pack(r.captured), outputs: pack(r.outputs) };
  };

  return {
    'compare.report': async (_params, ctx) => reportOf(ctx),

    'compare.histograms': async (params, ctx) => {
      const p = record(params);
      const weight = str(p, 'weight', 1000);
      const weightB = p.weightB === undefined ? weight : str(p, 'weightB', 1000);
      try {
        const h = await weightHistograms(ctx.a, ctx.b, weight, weightB, COMPARE_HISTOGRAM_BINS);
        const out: CompareHistogramsResult = { weight, weightB, edges: h.edges, a: h.a, b: h.b };
        return out;
      } catch (e) {
        throw new RpcError(`${(e as Error).message} (comparing ${name(ctx.a)} with ${name(ctx.b)})`, 'bad-request');
      }
    },

    'compare.run': async (params, ctx) => {
      if (!ctx.trusted) throw new RpcError('Running a model executes native code on its graph; trust this workspace to run it.', 'untrusted');
      const p = record(params);
      const specs = parseInputs(p.inputs);
      if (specs.some((s) => s.source !== 'fill')) throw new RpcError('the compare panel feeds generated inputs only', 'unsupported');
      const dims = parseDims(p.dims ?? {});
      const report = await reportOf(ctx);
      const pairs = new Map(report.matches.map((m) => [m.a, m.b]));
      const firstOut = (m: Model, names: Iterable<string>) => {
        const nodes = new Map(m.graph.nodes.map((n) => [n.name, n]));
        return [...names].flatMap((n) => nodes.get(n)?.outputs[0]?.name ?? []);
      };
      // A's inputs are generated once; B gets the same tensors by input name.
      let fed: RuntimeTensor[] = [];
      let a: Awaited<ReturnType<typeof runSide>>;
      try {
        a = await runSide(ctx, 'a', (load) => (fed = buildRunInputs(load, specs, dims, ctx.a.path)), firstOut(ctx.a, pairs.keys()));
      } catch (e) {
        return { ...report, runError: { side: 'a', message: `${name(ctx.a)}: ${(e as Error).message}` } } satisfies DiffReport;
      }
      try {
        const b = await runSide(ctx, 'b', (load) => load.inputs.map((info) => {
          const t = fed.find((x) => x.name === info.name);
          if (!t) throw new RpcError(`input '${info.name}' of ${name(ctx.b)} has no counterpart in ${name(ctx.a)}`, 'bad-request');
          return t;
        }), firstOut(ctx.b, pairs.values()));
        return compareRuns(report, ctx.a, ctx.b, { a: a.captured, b: b.captured }, { a: a.outputs, b: b.outputs }, DIVERGENCE_DB);
      } catch (e) {
        return { ...report, runError: { side: 'b', message: `${name(ctx.b)}: ${(e as Error).message}` } } satisfies DiffReport;
      }
    },
  };
}
