// The layout worker (bundled to dist/layout-worker.js): a thin message loop around core/layout's
// LayoutSession, which builds the group tree once, then answers layout requests for any set of open
// groups. `model-lens layout` drives the same session. Nothing here touches the DOM.
import { LayoutSession } from '../../src/core/layout/layout-session.js';
import { layoutInitOf, type FromWorker, type ToWorker } from './worker-protocol.js';

let session: LayoutSession | null = null;

const post = (m: FromWorker, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(m, transfer);

self.onmessage = (ev: MessageEvent<ToWorker>) => {
  const m = ev.data;
  try {
    if (m.type === 'init') {
      session = new LayoutSession(layoutInitOf(m));
      post({ type: 'hierarchy', ...session.info });
      return;
    }
    if (m.type === 'layout') {
      if (!session) throw new Error('layout requested before init');
      const t0 = performance.now();
      const scene = session.layout(m.expanded, m.direction);
      const ms = performance.now() - t0;
      post({ type: 'scene', seq: m.seq, scene, ms }, [
        scene.items.buffer, scene.x.buffer, scene.y.buffer, scene.w.buffer, scene.h.buffer, scene.kind.buffer,
        scene.edgeA.buffer, scene.edgeB.buffer, scene.edgeFirst.buffer, scene.edgeCount.buffer, scene.edgeStart.buffer, scene.points.buffer,
      ]);
    }
  } catch (e) {
    post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
  }
};
