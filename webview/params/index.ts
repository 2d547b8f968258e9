// The Parameters view's entry point for the shell (registered in webview/views.ts).
import type { View, ViewContext } from '../view.js';
import { ParamsView } from './params-view.js';

export type { ParamsView };

/** Builds the Parameters tab for one model: summary, tensor table, histograms, values. */
export function createParamsView(ctx: ViewContext): View {
  return new ParamsView(ctx);
}
