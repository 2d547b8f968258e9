// The compare panel's request handlers without VS Code: the extension (register.ts, through
// src/vscode/compare-panel.ts) and the ui test host register these same functions. Both models come
// with the request context; the webview names only weights of the report it was sent.
import type { Model } from '../../core/ir/graph.js';
import { compareModels, weightHistograms } from '../../core/compare/index.js';
import type { DiffReport } from '../../core/compare/types.js';
import type { ProviderChoice } from '../../core/runtime/backend.js';
import { RpcError } from '../../protocol.js';
import { record, str } from '../../protocol-validate.js';
import { buildRunInputs, parseDims, parseInputs } from '../run/inputs.js';
import { COMPARE_HISTOGRAM_BINS, type CompareHistogramsResult } from './protocol.js';

/** What a compare handler gets besides its params: the two models of the panel. */
export interface CompareRequestContext {
  a: Model;
  b: Model;
  signal: AbortSignal;
  trusted: boolean;
  /** The modelLens.runtime.provider setting (both sides run on it). */
  provider: ProviderChoice;
}

export type CompareHandler = (params: unknown, ctx: CompareRequestContext) => Promise<unknown>;

const name = (m: Model) => m.path.split(/[\\/]/).pop() ?? m.path;

/** The handlers by method: compare.report, compare.run, compare.histograms. */
export function createCompareHandlers(): Record<string, CompareHandler> {
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

  return {
    'compare.report': async (_params, ctx) => reportOf(ctx),

    'compare.histograms': async (params, ctx) => {
      const p = record(params);
      const weight = str(p, 'weight', 1000);
      const weightB = p.weightB === undefined ? weight : str(p, 'weightB', 1000);
      const h = await weightHistograms(ctx.a, ctx.b, weight, COMPARE_HISTOGRAM_BINS, weightB);
      if (!h) throw new RpcError(`no numeric weight '${weight}' in ${name(ctx.a)} with a partner '${weightB}' in ${name(ctx.b)}`, 'bad-request');
      const step = (h.max - h.min) / COMPARE_HISTOGRAM_BINS;
      const out: CompareHistogramsResult = { weight, weightB, edges: Array.from({ length: COMPARE_HISTOGRAM_BINS + 1 }, (_, i) => h.min + i * step), a: h.a, b: h.b };
      return out;
    },

    'compare.run': async (params, ctx) => {
      if (!ctx.trusted) throw new RpcError('Running a model executes native code on its graph; trust this workspace to run it.', 'untrusted');
      const p = record(params);
      const specs = parseInputs(p.inputs);
      if (specs.some((s) => s.source !== 'fill')) throw new RpcError('the compare panel feeds generated inputs only', 'unsupported');
      const dims = parseDims(p.dims ?? {});
      // The engine runs both sides on A's inputs (B gets the same tensors by input name), built
      // here as the Run panel builds them; a side that fails comes back as the report's runError.
      const report = await compareModels(ctx.a, ctx.b, {
        signal: ctx.signal,
        run: { provider: ctx.provider, buildInputs: async (infos) => buildRunInputs({ inputs: infos }, specs, dims, ctx.a) },
      });
      return report;
    },
  };
}
