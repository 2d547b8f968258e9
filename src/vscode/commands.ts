import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExportFormat, ExportResult, TabId } from '../protocol.js';
import { isExportFormat, RpcError } from '../protocol.js';
import type { EditorSession } from './editor-session.js';
import { ModelEditorProvider } from './editor-provider.js';
import { installCudaCommand } from './cuda-command.js';
import { output } from './output.js';

const EXPORT_LABELS: Record<ExportFormat, { label: string; detail: string; filter: Record<string, string[]> }> = {
  'graph-svg': { label: 'Graph as SVG', detail: 'The graph drawing as it is laid out now', filter: { SVG: ['svg'] } },
  'graph-png': { label: 'Graph as PNG', detail: 'The visible graph as an image', filter: { PNG: ['png'] } },
  'stats-csv': { label: 'Weight statistics as CSV', detail: 'One row per weight tensor', filter: { CSV: ['csv'] } },
  'stats-json': { label: 'Weight statistics as JSON', detail: 'Statistics and histograms of every weight', filter: { JSON: ['json'] } },
};

function asUri(arg: unknown): vscode.Uri | undefined {
  return arg instanceof vscode.Uri ? arg : undefined;
}

/** Registers every `modelLens.*` command. Commands act on the active Model Lens editor or on a file. */
export function registerCommands(context: vscode.ExtensionContext, provider: ModelEditorProvider): void {
  const openWith = async (arg?: unknown): Promise<vscode.Uri | undefined> => {
    let uri = asUri(arg) ?? vscode.window.activeTextEditor?.document.uri ?? provider.activeSession()?.document.uri;
    if (!uri || uri.scheme === 'untitled') {
      const picked = await vscode.window.showOpenDialog({
        canSelectMany: false,
        openLabel: vscode.l10n.t('Open with Model Lens'),
        filters: { [vscode.l10n.t('Models')]: ['onnx', 'json'] },
      });
      uri = picked?.[0];
    }
    if (!uri) return undefined;
    await vscode.commands.executeCommand('vscode.openWith', uri, ModelEditorProvider.viewTypeFor(uri));
    return uri;
  };

  /** The session a command acts on: the file it was invoked on (opened if needed) or the active editor. */
  const sessionFor = async (arg?: unknown): Promise<EditorSession | undefined> => {
    const uri = asUri(arg);
    if (uri) {
      const existing = provider.sessionsFor(uri).find((s) => s.panel.active) ?? provider.sessionsFor(uri)[0];
      if (existing) {
        existing.panel.reveal();
        return existing;
      }
      await openWith(uri);
      return provider.sessionsFor(uri)[0];
    }
    const active = provider.activeSession();
    if (active) return active;
    const textUri = vscode.window.activeTextEditor?.document.uri;
    if (textUri && /\.(onnx|json)$/i.test(textUri.fsPath)) {
      await openWith(textUri);
      return provider.sessionsFor(textUri)[0];
    }
    void vscode.window.showInformationMessage(vscode.l10n.t('Open a model with Model Lens first.'));
    return undefined;
  };

  const showTab = (tab: TabId) => async (arg?: unknown) => (await sessionFor(arg))?.showTab(tab);

  const revealInGraph = async (arg?: unknown) => {
    const session = await sessionFor(asUri(arg));
    if (!session) return;
    const state = session.document.state;
    if (state.kind !== 'ready') {
      void vscode.window.showInformationMessage(vscode.l10n.t('The model is not loaded yet.'));
      return;
    }
    const { nodes, graphs } = state.graph;
    let nodeId: number | undefined;
    if (typeof arg === 'number' && Number.isSafeInteger(arg) && arg >= 0 && arg < nodes.length) nodeId = arg;
    else if (typeof arg === 'string') nodeId = nodes.find((n) => n.name === arg)?.id;
    if (nodeId === undefined) {
      type Item = vscode.QuickPickItem & { id: number };
      const items: Item[] = nodes.map((n) => ({
        id: n.id,
        label: n.name || `${n.opType} #${n.id}`,
        description: n.domain ? `${n.domain}.${n.opType}` : n.opType,
        detail: graphs[n.graph]?.kind === 'main' ? undefined : vscode.l10n.t('in {0}', graphs[n.graph]?.label || graphs[n.graph]?.name || ''),
      }));
      const picked = await vscode.window.showQuickPick(items, {
        title: vscode.l10n.t('Reveal in Graph'),
        placeHolder: vscode.l10n.t('Node name or operator type'),
        matchOnDescription: true,
        matchOnDetail: true,
      });
      if (!picked) return;
      nodeId = picked.id;
    }
    session.showTab('graph');
    session.revealNode(nodeId);
  };

  const exportCommand = async (arg?: unknown) => {
    const session = await sessionFor(asUri(arg));
    if (!session) return;
    try {
      const { formats } = await session.request('export.list', {});
      // What the visible tab makes comes first: the graph's pictures on Graph, statistics on Parameters.
      const preferred = session.viewState.tab === 'params' ? 'stats-' : 'graph-';
      const available = (Array.isArray(formats) ? formats.filter(isExportFormat) : [])
        .sort((a, b) => Number(b.startsWith(preferred)) - Number(a.startsWith(preferred)));
      if (!available.length) {
        void vscode.window.showInformationMessage(vscode.l10n.t('The open views have nothing to export yet.'));
        return;
      }
      const format = isExportFormat(arg) && available.includes(arg) ? arg : (await vscode.window.showQuickPick(
        available.map((f) => ({ format: f, label: vscode.l10n.t(EXPORT_LABELS[f].label), detail: vscode.l10n.t(EXPORT_LABELS[f].detail) })),
        { title: vscode.l10n.t('Export…') },
      ))?.format;
      if (!format) return;
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Exporting…'), cancellable: true },
        (_p, token) => {
          const ctl = new AbortController();
          token.onCancellationRequested(() => ctl.abort());
          return session.request('export.produce', { format }, ctl.signal);
        },
      );
      const bytes = exportBytes(result);
      const folder = path.dirname(session.document.uri.fsPath);
      const target = await vscode.window.showSaveDialog({
        defaultUri: vscode.Uri.file(path.join(folder, safeFileName(result.fileName, format))),
        filters: EXPORT_LABELS[format].filter,
      });
      if (!target) return;
      await vscode.workspace.fs.writeFile(target, bytes);
      output().info(`Exported ${format} of ${session.document.uri.fsPath} to ${target.fsPath} (${bytes.byteLength} bytes)`);
    } catch (e) {
      if (e instanceof RpcError && e.code === 'cancelled') return;
      void vscode.window.showErrorMessage(vscode.l10n.t('Export failed: {0}', (e as Error).message));
    }
  };

  const reload = async (arg?: unknown) => {
    const session = await sessionFor(asUri(arg));
    await session?.document.load();
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('modelLens.openWith', openWith),
    vscode.commands.registerCommand('modelLens.showGraph', showTab('graph')),
    vscode.commands.registerCommand('modelLens.showParameters', showTab('params')),
    vscode.commands.registerCommand('modelLens.showRun', showTab('run')),
    vscode.commands.registerCommand('modelLens.showOverview', showTab('overview')),
    vscode.commands.registerCommand('modelLens.revealInGraph', revealInGraph),
    vscode.commands.registerCommand('modelLens.export', exportCommand),
    vscode.commands.registerCommand('modelLens.reload', reload),
    vscode.commands.registerCommand('modelLens.installCudaSupport', installCudaCommand),
  );
}

/** The webview produced the export: check it is what it claims before writing it to disk. */
function exportBytes(result: ExportResult): Uint8Array {
  const data = (result as { data?: unknown })?.data;
  if (typeof data === 'string') return new TextEncoder().encode(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  throw new Error(vscode.l10n.t('the view returned no data'));
}

/** A bare file name from the webview's suggestion (no folders, no odd characters). */
function safeFileName(suggested: unknown, format: ExportFormat): string {
  const ext = format.split('-')[1];
  const base = typeof suggested === 'string' ? path.basename(suggested).replace(/[^\w.\- ]+/g, '_').slice(0, 120) : '';
  return base && !base.startsWith('.') ? base : `model.${ext}`;
}
