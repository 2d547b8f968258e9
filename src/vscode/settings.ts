import * as vscode from 'vscode';
import type { ModelLensSettings, RuntimeProvider } from '../protocol.js';

const PROVIDERS: readonly RuntimeProvider[] = ['auto', 'cpu', 'webgpu', 'cuda', 'dml', 'coreml'];

function clampInt(v: unknown, min: number, max: number, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? Math.min(max, Math.max(min, Math.round(v))) : fallback;
}

/** Reads `modelLens.*`, falling back to defaults for values a user mistyped in settings.json. */
export function readSettings(scope?: vscode.Uri): ModelLensSettings {
  const c = vscode.workspace.getConfiguration('modelLens', scope);
  const direction = c.get<string>('graph.direction');
  const provider = c.get<string>('runtime.provider');
  return {
    graph: {
      direction: direction === 'LR' ? 'LR' : 'TB',
      collapseAbove: clampInt(c.get('graph.collapseAbove'), 0, 1_000_000, 400),
    },
    runtime: { provider: PROVIDERS.includes(provider as RuntimeProvider) ? (provider as RuntimeProvider) : 'auto' },
    stats: { histogramBins: clampInt(c.get('stats.histogramBins'), 4, 4096, 64) },
    parse: { timeBudgetSeconds: clampInt(c.get('parse.timeBudgetSeconds'), 1, 3600, 60) },
  };
}
