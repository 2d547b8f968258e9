// The contract between the shell and the tab views (graph/, params/, run/): the shell builds a
// ViewContext per model and asks a ViewFactory for each tab's View the first time it is shown.
import type { ModelLensSettings, TabId, ExportFormat, ExportResult } from '../src/protocol.js';
import type { GraphPayload, ModelSummary } from '../src/core/model-view-types.js';
import type { Bus, Disposable } from './bus.js';
import type { PersistedState } from './state.js';
import type { RunShapes } from '../src/core/runtime/run-shapes.js';

export type { TabId, Disposable };

/** Who changed the selection; a view ignores echoes of its own changes and animates on `reveal`. */
export type SelectionSource = 'graph' | 'params' | 'run' | 'overview' | 'reveal' | 'restore';

/** Per-node values painted on the graph (activations, cost, sensitivity…), indexed by node id. */
export interface NodeOverlay {
  /** One value per node id (GraphPayload.nodes index); NaN where a node has no value. */
  values: Float32Array;
  legend: {
    title: string;
    unit?: string;
    min: number;
    max: number;
    /** Sequential (0..max), diverging (negative..positive around 0), or classes (values index `classes`). */
    scale: 'sequential' | 'diverging' | 'categorical';
    /** For `categorical`: a label and a theme colour variable (`--vscode-charts-green`) per class. */
    classes?: { label: string; colourVar: string; count?: number }[];
  };
}

export interface ViewContext {
  readonly bus: Bus;
  readonly summary: ModelSummary;
  readonly graph: GraphPayload;
  readonly settings: ModelLensSettings;
  onSettingsChanged(cb: (settings: ModelLensSettings) => void): Disposable;
  /** Workspace trust: viewing works untrusted; running needs trust (ask with bus.request('trust.request', {})). */
  readonly trusted: boolean;
  onTrustChanged(cb: (trusted: boolean) => void): Disposable;
  /** This view's own persisted state (keys are namespaced per tab). */
  readonly state: PersistedState;
  /** A URL a `new Worker()` can start from, for a bundle in dist/ (`layout-worker` → dist/layout-worker.js). */
  workerUrl(name: string): Promise<string>;
  /** A worker running that bundle (one the page started ahead, when there is one). */
  startWorker(name: string): Promise<Worker>;
  showTab(tab: TabId): void;
  selectNode(nodeId: number | null, source: SelectionSource): void;
  selectedNode(): number | null;
  onSelectNode(cb: (nodeId: number | null, source: SelectionSource) => void): Disposable;
  selectWeight(weightId: number | null, source: SelectionSource): void;
  selectedWeight(): number | null;
  onSelectWeight(cb: (weightId: number | null, source: SelectionSource) => void): Disposable;
  /** Paints values on the graph's nodes (null clears); the graph view listens. */
  setNodeOverlay(overlay: NodeOverlay | null): void;
  nodeOverlay(): NodeOverlay | null;
  onNodeOverlay(cb: (overlay: NodeOverlay | null) => void): Disposable;
  /** The shapes the last run made known (the run panel sets them; the graph view draws them); null clears. */
  setRunShapes(shapes: RunShapes | null): void;
  runShapes(): RunShapes | null;
  onRunShapes(cb: (shapes: RunShapes | null) => void): Disposable;
  /** The graph view calls this once, at its first painted frame, with the time of its own phases (ms). */
  reportPainted(phases: { graphModelMs: number; layoutMs: number; drawMs: number }): void;
  /** Declares an export this view can produce for the Export… command (graph SVG/PNG, stats CSV/JSON). */
  provideExport(format: ExportFormat, produce: () => Promise<ExportResult>): Disposable;
}

export interface View {
  /** The view's root; the shell puts it in the tab panel once. */
  readonly element: HTMLElement;
  /** The tab became visible (also right after creation). Start or resume rendering. */
  show(): void;
  /** The tab was hidden; stop animations and timers. */
  hide(): void;
  /** The model was replaced or the editor closed: release workers, listeners, timers. */
  dispose(): void;
}

export type ViewFactory = (ctx: ViewContext) => View;
