// The Function tab's entry point for the shell (registered in webview/views.ts).
import type { View, ViewContext } from '../view.js';
import { FunctionView } from './function-view.js';
import functionCss from './function.css';

let cssAdopted = false;

/** Adds the Function tab's stylesheet to the page once. */
function adoptCss(): void {
  if (cssAdopted) return;
  cssAdopted = true;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(functionCss);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}

/** Builds the Function tab for one model: formulas, by-hand values, sweep, what-if, cost. */
export function createFunctionView(ctx: ViewContext): View {
  adoptCss();
  return new FunctionView(ctx);
}
