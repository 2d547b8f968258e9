import * as path from 'node:path';
import { stat } from 'node:fs/promises';
import * as vscode from 'vscode';
import { openModelInWorker } from '../core/formats/open-in-worker.js';
import { isModelError, ModelError } from '../core/ir/errors.js';
import { withParseBudget, type BudgetAnswer } from '../core/limits.js';
import type { Model } from '../core/ir/graph.js';
import { describeModelForView } from '../core/model-view.js';
import type { HostOpenPhases } from './open-phases.js';
import type { ErrorInfo } from '../protocol.js';
import type { GraphPayload, ModelSummary } from '../core/model-view-types.js';
import { Disposable } from './disposable.js';
import { output } from './output.js';
import { readSettings } from './settings.js';
import { toErrorInfo } from './error-info.js';

/** Files at least this big get a cancellable progress notification; smaller ones the status bar. */
const NOTIFY_ABOVE_BYTES = 4 * 1024 * 1024;
/** Editors save in bursts (write, rename, touch shards): wait for the burst to end. */
const RELOAD_DEBOUNCE_MS = 400;

/** What an editor can draw before the model itself is on the host (see openModelInWorker's onView). */
export interface EarlyView {
  summary: ModelSummary;
  graph: GraphPayload;
  /** The generation the document will have when this read finishes. */
  generation: number;
}

export type DocumentState =
  /** `view` once the graph is known and the model is still on its way from the parse worker. */
  | { kind: 'loading'; message: string; view?: EarlyView }
  | { kind: 'ready'; model: Model; summary: ModelSummary; graph: GraphPayload; phases: HostOpenPhases }
  | { kind: 'error'; error: ErrorInfo };

/**
 * One opened model file, shared by every editor showing it. Reads the model once, re-reads it
 * when the file or any file the model reads (shards, external data) changes on disk.
 */
export class ModelDocument extends Disposable implements vscode.CustomDocument {
  private _state: DocumentState = { kind: 'loading', message: '' };
  private _generation = 0;
  private loadController: AbortController | undefined;
  private watchers: vscode.Disposable[] = [];
  private reloadTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly changed = this._register(new vscode.EventEmitter<DocumentState>());
  /** Fires on every state change: loading started, model ready, error. */
  readonly onDidChangeState = this.changed.event;
  private readonly disposing = this._register(new vscode.EventEmitter<void>());
  readonly onDidDispose = this.disposing.event;

  constructor(readonly uri: vscode.Uri) {
    super();
    this._register({ dispose: () => this.teardown() });
  }

  get state(): DocumentState {
    return this._state;
  }

  /** Increases each time a read finishes; lets the webview tell a reload from a first open. */
  get generation(): number {
    return this._generation;
  }

  /** The state once the current read has finished: ready or error (now, when none is running). */
  settled(): Promise<Exclude<DocumentState, { kind: 'loading' }> | null> {
    if (this._state.kind !== 'loading') return Promise.resolve(this._state);
    return new Promise((resolve) => {
      const subs = [
        this.onDidChangeState((st) => { if (st.kind !== 'loading') { for (const d of subs) d.dispose(); resolve(st); } }),
        this.onDidDispose(() => { for (const d of subs) d.dispose(); resolve(null); }),
      ];
    });
  }

  get fileName(): string {
    return path.basename(this.uri.fsPath);
  }

  /** (Re-)reads the model. Never rejects: failures become the `error` state shown in the editor. */
  async load(): Promise<void> {
    this.loadController?.abort();
    const ctl = new AbortController();
    this.loadController = ctl;
    this.setState({ kind: 'loading', message: vscode.l10n.t('Reading {0}…', this.fileName) });
    const started = Date.now();
    const file = this.uri.fsPath;
    let size = 0;
    try { size = (await stat(file)).size; } catch { /* openModel reports a missing file precisely */ }
    const budgetS = readSettings(this.uri).parse.timeBudgetSeconds;
    // Past the budget the user decides: keep reading (asked again after another budget) or cancel.
    const askToContinue = async (elapsedMs: number): Promise<BudgetAnswer> => {
      const keep = vscode.l10n.t('Keep reading');
      const cancel = vscode.l10n.t('Cancel');
      const pick = await vscode.window.showWarningMessage(
        vscode.l10n.t('Reading {0} has taken {1} s (setting modelLens.parse.timeBudgetSeconds).', this.fileName, Math.round(elapsedMs / 1000)),
        keep, cancel);
      return pick === cancel ? 'cancel' : 'continue';
    };
    const read = async (token?: vscode.CancellationToken): Promise<Exclude<DocumentState, { kind: 'loading' }>> => {
      const sub = token?.onCancellationRequested(() => ctl.abort());
      try {
        // Read, parse, shape inference and the graph payload run on a worker thread: a big model
        // does not stall the extension host. A cancel (the budget's or the user's) terminates it.
        const opened = await withParseBudget(file, (budget) => {
          budget.addEventListener('abort', () => ctl.abort(), { once: true });
          return openModelInWorker(file, {
            signal: ctl.signal,
            // The editors draw the graph while the model's tables travel and are relinked here.
            onView: (v) => {
              if (this.loadController === ctl && !this.isDisposed && !ctl.signal.aborted) {
                this.setState({ kind: 'loading', message: vscode.l10n.t('Reading {0}…', this.fileName), view: { ...v, generation: this._generation + 1 } });
              }
            },
          });
        }, askToContinue, budgetS * 1000);
        const { model } = opened;
        if (ctl.signal.aborted) {
          void model.close();
          throw new ModelError('cancelled', 'opening was cancelled', { file });
        }
        const phases: HostOpenPhases = { ...opened.phases };
        const w = opened.worker;
        if (w) {
          const ms = (x: number) => `${Math.round(x)} ms`;
          output().info(`Parse worker for ${this.fileName}: start ${ms(w.startMs)} · read + parse ${ms(w.parseMs)} · shape inference ${ms(w.shapesMs)} · payload ${ms(w.payloadMs)} · packing ${ms(w.wireMs)} · transfer to the host ${ms(w.transferMs)}`);
        }
        return { kind: 'ready', model, ...(opened.view ?? (await describeModelForView(model, phases))), phases };
      } catch (e) {
        if (ctl.signal.aborted || (isModelError(e) && e.code === 'cancelled')) {
          const error: ErrorInfo = { code: 'cancelled', file, place: {}, detail: vscode.l10n.t('opening was cancelled'), message: '' };
          error.message = `${file}: ${error.detail}`;
          return { kind: 'error', error };
        }
        const error = toErrorInfo(e, file);
        if (error.code === 'internal') output().error(`Unexpected failure reading ${file}`, e);
        return { kind: 'error', error };
      } finally {
        sub?.dispose();
      }
    };
    const next = size >= NOTIFY_ABOVE_BYTES
      ? await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Model Lens: opening {0}', this.fileName), cancellable: true },
          (_progress, token) => read(token),
        )
      : await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Opening {0}', this.fileName) }, () => read());
    if (this.loadController !== ctl || this.isDisposed) {
      // A newer load or a close superseded this one; drop what it read.
      if (next.kind === 'ready') void next.model.close();
      return;
    }
    this.loadController = undefined;
    const previous = this._state;
    this._generation++;
    if (next.kind === 'ready') {
      const s = next.summary;
      output().info(`Opened ${file} (${s.format}, ${s.nodes} nodes, ${s.parameters} parameters) in ${Date.now() - started} ms`);
      for (const w of s.warnings) output().warn(`${s.fileName}: ${w}`);
    } else {
      output().warn(`Could not open ${next.error.message} [${next.error.code}]`);
    }
    this.setState(next);
    if (previous.kind === 'ready') void previous.model.close();
    this.watch(next.kind === 'ready' ? next.model.files : [file, ...(next.error.file && next.error.file !== file ? [next.error.file] : [])]);
  }

  /** Re-reads the model soon; several calls in a burst give one read. */
  scheduleReload(): void {
    if (this.isDisposed) return;
    clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => void this.load(), RELOAD_DEBOUNCE_MS);
  }

  private setState(s: DocumentState): void {
    this._state = s;
    this.changed.fire(s);
  }

  private watch(files: string[]): void {
    for (const w of this.watchers) w.dispose();
    this.watchers = [];
    const unique = [...new Set(files.length ? files : [this.uri.fsPath])];
    for (const f of unique) {
      const pattern = new vscode.RelativePattern(vscode.Uri.file(path.dirname(f)), path.basename(f));
      const w = vscode.workspace.createFileSystemWatcher(pattern);
      w.onDidChange(() => this.scheduleReload());
      w.onDidCreate(() => this.scheduleReload());
      w.onDidDelete(() => this.scheduleReload());
      this.watchers.push(w);
    }
  }

  private teardown(): void {
    this.disposing.fire();
    clearTimeout(this.reloadTimer);
    this.loadController?.abort();
    for (const w of this.watchers) w.dispose();
    this.watchers = [];
    if (this._state.kind === 'ready') void this._state.model.close();
  }
}
