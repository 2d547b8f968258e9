// The compare panel's messages and requests (webview ⇄ host). Types and constants only, imported by
// the host (handlers.ts, src/vscode/compare-panel.ts) and the webview (webview/compare/).
import type { DiffReport, NodeStatus } from '../../core/compare/types.js';
import type { GraphPayload, ModelSummary } from '../../core/model-view-types.js';
import type { ModelLensSettings } from '../../protocol.js';
import type { InputSpec } from '../run/protocol.js';

export type { DiffReport, NodeStatus };

/** The view type of the compare panel (`vscode.window.createWebviewPanel`). */
export const COMPARE_VIEW_TYPE = 'modelLens.compare';
/** The bundle the compare panel's page loads (dist/compare.js). */
export const COMPARE_BUNDLE = 'compare';
/** Bins of each side of a weight's overlaid histograms. */
export const COMPARE_HISTOGRAM_BINS = 48;

/** One side of the panel: what the editor's `init` carries for one model. */
export interface CompareSide { summary: ModelSummary; graph: GraphPayload }

/** Host → webview: both models, sent once the two files are read (and again after a reload). */
export interface CompareInit {
  type: 'compare-init';
  a: CompareSide;
  b: CompareSide;
  settings: ModelLensSettings;
  trusted: boolean;
}

/** Host → webview: one of the files could not be read. */
export interface CompareFailed { type: 'compare-error'; side: 'a' | 'b'; message: string }

/** compare.run: each input the same on both sides; only generated fills (files come later). */
export interface CompareRunParams {
  inputs?: Extract<InputSpec, { source: 'fill' }>[];
  dims?: Record<string, number>;
}

export interface CompareHistogramsParams { weight: string; weightB?: string }
export interface CompareHistogramsResult { weight: string; weightB: string; edges: number[]; a: number[]; b: number[] }

/** The requests of this feature, by method. */
export interface CompareRequests {
  /** Structure and weights: the report without a run. */
  'compare.report': { params: Record<string, never>; result: DiffReport };
  /** Runs both models on the same inputs: the report with activations, firstDivergence and outputs. */
  'compare.run': { params: CompareRunParams; result: DiffReport };
  'compare.histograms': { params: CompareHistogramsParams; result: CompareHistogramsResult };
}
