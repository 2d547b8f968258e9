// The Run tab's entry point for the shell (registered in webview/views.ts).
import type { View, ViewContext } from '../view.js';
import { RunView } from './run-view.js';
import runCss from './run.css';
import { adoptStylesheet } from '../shell/dom.js';

/** Builds the Run tab for one model: inputs, run/compare/activations, outputs. */
export function createRunView(ctx: ViewContext): View {
  adoptStylesheet(runCss);
  return new RunView(ctx);
}
