import type * as vscode from 'vscode';

/**
 * Base for objects that own listeners and resources: everything passed to `_register` is
 * disposed with the owner, so nothing outlives the document or panel it belongs to.
 */
export abstract class Disposable implements vscode.Disposable {
  private readonly owned: vscode.Disposable[] = [];
  private disposedFlag = false;

  protected get isDisposed(): boolean {
    return this.disposedFlag;
  }

  protected _register<T extends vscode.Disposable>(d: T): T {
    if (this.disposedFlag) d.dispose();
    else this.owned.push(d);
    return d;
  }

  dispose(): void {
    if (this.disposedFlag) return;
    this.disposedFlag = true;
    while (this.owned.length) {
      try {
        this.owned.pop()!.dispose();
      } catch {
        // one failing disposer must not keep the others alive
      }
    }
  }
}
