// The layout worker (bundled to dist/layout-worker.js): builds the group tree once, then answers
// layout requests for any set of open groups. Nothing here touches the DOM.
import { buildHierarchy, groupCaption, initialExpansion, type Hierarchy } from '../../src/core/layout/hierarchy.js';
import { CompoundLayout } from '../../src/core/layout/compound.js';
import type { FromWorker, ToWorker } from './worker-protocol.js';
import { closedGroupSize } from './node-text.js';

let layout: CompoundLayout | null = null;

const post = (m: FromWorker, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(m, transfer);

/** Closed group boxes: each one's label and caption. */
function groupSizes(h: Hierarchy, captions: string[]): { w: Float32Array; h: Float32Array } {
  const w = new Float32Array(h.groupCount), hh = new Float32Array(h.groupCount);
  for (let g = 0; g < h.groupCount; g++) [w[g], hh[g]] = closedGroupSize(h.groupLabel[g], captions[g]);
  return { w, h: hh };
}

self.onmessage = (ev: MessageEvent<ToWorker>) => {
  const m = ev.data;
  try {
    if (m.type === 'init') {
      const t0 = performance.now();
      const hierarchy = m.grouping === 'none'
        ? buildHierarchy({ names: m.names.map(() => ''), graphOf: m.graphOf.map(() => -1), graphs: [], hidden: m.hidden })
        : buildHierarchy({ names: m.names, graphOf: m.graphOf, graphs: m.graphs, hidden: m.hidden });
      const captions = Array.from({ length: hierarchy.groupCount }, (_, g) => groupCaption(hierarchy, g, (leaf) => m.ops[leaf] ?? ''));
      const sizes = groupSizes(hierarchy, captions);
      let expanded: Uint8Array;
      if (m.expandedKeys) {
        const want = new Set(m.expandedKeys);
        expanded = Uint8Array.from(hierarchy.groupKey, (k) => (want.has(k) ? 1 : 0));
      } else expanded = initialExpansion(hierarchy, m.budget);
      layout = new CompoundLayout({ hierarchy, leafW: m.leafW, leafH: m.leafH, edgeSrc: m.edgeSrc, edgeDst: m.edgeDst, groupW: sizes.w, groupH: sizes.h, hidden: m.hidden });
      post({
        type: 'hierarchy', groupParent: hierarchy.groupParent, groupLabel: hierarchy.groupLabel, groupKey: hierarchy.groupKey,
        groupDepth: hierarchy.groupDepth, groupLeaves: hierarchy.groupLeaves, leafParent: hierarchy.leafParent,
        groupKind: hierarchy.groupKind, groupOwner: hierarchy.groupOwner, groupBodies: hierarchy.groupBodies,
        groupW: sizes.w, groupH: sizes.h, groupCaption: captions, expanded, ms: performance.now() - t0,
      });
      return;
    }
    if (m.type === 'layout') {
      if (!layout) throw new Error('layout requested before init');
      const t0 = performance.now();
      const scene = layout.layout(m.expanded, m.direction);
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
