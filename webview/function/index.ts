// The Function tab's entry point for the shell (registered in webview/views.ts).
import type { View, ViewContext } from '../view.js';
import { FunctionView } from './function-view.js';
import functionCss from './function.css';
import { adoptStylesheet } from '../shell/dom.js';

/** Builds the Function tab for one model: formulas, by-hand values, sweep, what-if, cost. */
export function createFunctionView(ctx: ViewContext): View {
  adoptStylesheet(functionCss);
  return new FunctionView(ctx);
}
