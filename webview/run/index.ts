// The Run tab's entry point for the shell (registered in webview/views.ts).
import type { View, ViewContext } from '../view.js';
import { RunView } from './run-view.js';
import runCss from './run.css';

let cssAdopted = false;

/** Adds the Run tab's stylesheet to the page once. */
function adoptCss(): void {
  if (cssAdopted) return;
  cssAdopted = true;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(runCss);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}

/** Builds the Run tab for one model: inputs, run/compare/activations, outputs. */
export function createRunView(ctx: ViewContext): View {
  adoptCss();
  return new RunView(ctx);
}
