import * as vscode from 'vscode';
import { CUDA_INSTALL_EXPLANATION, installCudaSupport } from '../core/runtime/cuda-install.js';
import { output } from './output.js';

/**
 * "Install CUDA support": downloads onnxruntime's CUDA provider libraries on request — never
 * silently, and only after saying what will be downloaded from where.
 */
export async function installCudaCommand(): Promise<void> {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    void vscode.window.showInformationMessage(vscode.l10n.t('CUDA support can be installed on Linux x64 only (this is {0}-{1}).', process.platform, process.arch));
    return;
  }
  const install = vscode.l10n.t('Download and Install');
  const choice = await vscode.window.showInformationMessage(
    vscode.l10n.t('Install CUDA support for running models on NVIDIA GPUs?'),
    { modal: true, detail: CUDA_INSTALL_EXPLANATION },
    install,
  );
  if (choice !== install) return;
  const log = output();
  log.show(true);
  try {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Installing CUDA support…'), cancellable: true },
      async (progress, token) => {
        const ctl = new AbortController();
        token.onCancellationRequested(() => ctl.abort());
        await installCudaSupport({
          signal: ctl.signal,
          onOutput: (line) => {
            log.info(`[cuda install] ${line}`);
            progress.report({ message: line.slice(0, 120) });
          },
        });
      },
    );
    const open = vscode.l10n.t('Open Setting');
    const picked = await vscode.window.showInformationMessage(
      vscode.l10n.t('CUDA support is installed. With modelLens.runtime.provider set to "auto" or "cuda", the next run uses the GPU when the NVIDIA driver, CUDA 12 and cuDNN 9 are present.'),
      open,
    );
    if (picked === open) await vscode.commands.executeCommand('workbench.action.openSettings', 'modelLens.runtime.provider');
  } catch (e) {
    log.error('CUDA support install failed', e);
    void vscode.window.showErrorMessage(vscode.l10n.t('Could not install CUDA support: {0}', (e as Error).message));
  }
}
