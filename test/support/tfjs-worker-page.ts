// The Run panel's TF.js worker (dist/tfjs-runner.js, built from webview/run/tfjs-runner.ts) in real
// headless Chromium, asked to run a model on a backend exactly as the panel's TfjsClient asks it:
// the artifacts the host reads (readTfjsArtifacts), the summary's inputs, fill specs and dims.
import type { Browser, Page } from 'playwright-core';
import * as path from 'node:path';
import type { Model } from '../../src/core/ir/graph.js';
import { summarizeModel } from '../../src/core/model-summary.js';
import { readTfjsArtifacts } from '../../src/core/runtime/tfjs-artifacts.js';
import type { InputSpec } from '../../src/features/run/protocol.js';
import { repoRoot } from './paths.js';
import { startStaticServer, type StaticServer } from './static-server.js';

/** One output as the worker returned it. */
export interface WorkerOutput { name: string; dtype: string; shape: number[]; data: number[] }

/** A page that can start the TF.js runner worker; close() stops page and server. */
export interface TfjsWorkerPage {
  /** Runs `model` in a fresh worker on `backend`; returns the backend that ran and the outputs. */
  run(model: Model, backend: 'cpu' | 'auto', inputs: InputSpec[], dims?: Record<string, number>): Promise<{ provider: string; outputs: WorkerOutput[] }>;
  close(): Promise<void>;
}

/** Opens a blank page on a local server that serves dist/ (so the worker starts from a same-origin URL). */
export async function openTfjsWorkerPage(browser: Browser): Promise<TfjsWorkerPage> {
  const server: StaticServer = await startStaticServer({ '/dist/': path.join(repoRoot, 'dist') });
  server.page('/tfjs.html', () => '<!doctype html><meta charset="utf-8"><title>tfjs runner</title>');
  const page: Page = await browser.newPage();
  await page.goto(`${server.origin}/tfjs.html`);
  return {
    async run(model, backend, inputs, dims = {}) {
      const a = await readTfjsArtifacts(model);
      const weights = Buffer.from(a.weightData).toString('base64');
      const req = { ...a, weightData: undefined, ios: summarizeModel(model).inputs, inputs, dims };
      return page.evaluate(async ({ req, weights, backend }) => {
        const bin = atob(weights);
        const bytes = new Uint8Array(bin.length);
        for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
        const { ios, inputs, dims, ...artifacts } = req;
        const w = new Worker('/dist/tfjs-runner.js');
        try {
          type Reply = { ok: true; result: { provider: string }; outputs: { name: string; dtype: string; shape: number[]; data: ArrayLike<number> }[] } | { ok: false; message: string };
          const reply = await new Promise<Reply>((resolve, reject) => {
            w.onmessage = (e) => resolve(e.data);
            w.onerror = (e) => reject(new Error(`worker failed: ${e.message}`));
            w.postMessage({ id: 1, artifacts: { ...artifacts, weightData: bytes.buffer }, backend, ios, inputs, dims, runs: 1, warmup: 0 }, [bytes.buffer]);
          });
          if (!reply.ok) throw new Error(reply.message);
          return {
            provider: reply.result.provider,
            outputs: reply.outputs.map((t) => ({ name: t.name, dtype: t.dtype, shape: t.shape, data: Array.from(t.data) })),
          };
        } finally {
          w.terminate();
        }
      }, { req, weights, backend });
    },
    async close() {
      await page.close();
      await server.close();
    },
  };
}
