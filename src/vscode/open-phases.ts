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

/** What one open measured; `webviewStartMs` and `wallMs` only for the first paint of a new editor. */
export interface OpenReport {
  fileName: string;
  nodes: number;
  host: HostOpenPhases;
  webview: WebviewOpenPhases;
  activationMs: number | null;
  /** From the editor being created to its webview's first `ready` (runs while the file is read). */
  webviewStartMs: number | null;
  /** From the editor being created to the painted graph, as the user waited. */
  wallMs: number | null;
}

/**
 * One line for the output channel: the wall time (or, on a reload, the sum of the phases), then
 * each phase in the order it happens.
 */
export function formatOpenPhases(r: OpenReport): string {
  const parts: [string, number][] = [
    ...(r.activationMs !== null ? [['activation', r.activationMs] as [string, number]] : []),
    ...(r.webviewStartMs !== null ? [['webview start', r.webviewStartMs] as [string, number]] : []),
    ['read + parse', r.host.parseMs],
    ['shape inference', r.host.shapesMs],
    ['payload', r.host.payloadMs],
    ['transfer', r.webview.transferMs],
    ['graph model', r.webview.graphModelMs],
    ['layout', r.webview.layoutMs],
    ['first draw', r.webview.drawMs],
  ];
  const total = r.wallMs ?? parts.reduce((s, [, v]) => s + Math.max(0, v), 0);
  return `Opened ${r.fileName} (${r.nodes} nodes) in ${ms(total)}: ${parts.map(([k, v]) => `${k} ${ms(Math.max(0, v))}`).join(' · ')}`;
}
