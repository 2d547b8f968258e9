// The graph view's entry point for the shell (registered in webview/views.ts).
import type { View, ViewContext } from '../view.js';
import { GraphView } from './graph-view.js';

export type { GraphView };

/** Builds the Graph tab for one model. The returned view also offers setOverlay, svg() and png(). */
export function createGraphView(ctx: ViewContext): View & Pick<GraphView, 'setOverlay' | 'svg' | 'png' | 'reveal' | 'onCamera' | 'scene' | 'setCamera'> {
  return new GraphView(ctx);
}
