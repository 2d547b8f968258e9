// Where the time of opening a model goes, written to the output channel once the graph is painted:
// the host's phases (activation, read + parse, shape inference, payload) and the webview's (transfer
// of the init message, graph model, layout, first draw). No vscode import: tested from plain Node.

/** Host-side phases of one open, in milliseconds. */
export interface HostOpenPhases {
  parseMs: number;
  shapesMs: number;
  payloadMs: number;
}

/** What the webview measured from the init message to the first painted frame of the graph. */
export interface WebviewOpenPhases {
  transferMs: number;
  graphModelMs: number;
  layoutMs: number;
  drawMs: number;
  /** From the webview receiving init to the painted graph. */
  paintedMs: number;
}

export const WEBVIEW_PHASE_KEYS = ['transferMs', 'graphModelMs', 'layoutMs', 'drawMs', 'paintedMs'] as const;

let activation: number | null = null;

/** Records how long the extension's activate() took (reported with the first open only). */
export function recordActivation(ms: number): void {
  activation = ms;
}

/** The activation time, once: later opens did not pay it. */
export function takeActivation(): number | null {
  const a = activation;
  activation = null;
  return a;
}

const ms = (x: number): string => `${x < 10 ? x.toFixed(1) : Math.round(x)} ms`;

/** One line for the output channel: total, then each phase in the order they happen. */
export function formatOpenPhases(fileName: string, nodes: number, host: HostOpenPhases, webview: WebviewOpenPhases, activationMs: number | null): string {
  const parts: [string, number][] = [
    ...(activationMs !== null ? [['activation', activationMs] as [string, number]] : []),
    ['read + parse', host.parseMs],
    ['shape inference', host.shapesMs],
    ['payload', host.payloadMs],
    ['transfer', webview.transferMs],
    ['graph model', webview.graphModelMs],
    ['layout', webview.layoutMs],
    ['first draw', webview.drawMs],
  ];
  const total = parts.reduce((s, [, v]) => s + Math.max(0, v), 0);
  return `Opened ${fileName} (${nodes} nodes) in ${ms(total)}: ${parts.map(([k, v]) => `${k} ${ms(Math.max(0, v))}`).join(' · ')}`;
}
