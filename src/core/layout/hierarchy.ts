// Groups the nodes of a model into a tree: name scopes (/model/layers.3/attn/…, TF.js `layer/…`),
// subgraph bodies (If/Loop/Scan) next to the node that owns them, and model-local functions.
// Pure and DOM-free: built in the layout worker, tested in Node.

/** What the hierarchy needs to know about one leaf (a node, or a graph input/output). */
export interface LeafInfo {
  names: string[];
  /** Graph id of each leaf; -1 for graph inputs/outputs, which stay at the top. */
  graphOf: Int32Array;
  graphs: { kind: 'main' | 'subgraph' | 'function'; ownerNode: number; label: string }[];
}

/** The group tree. Groups are numbered parents first; -1 is the (implicit) top level. */
export interface Hierarchy {
  groupCount: number;
  groupParent: Int32Array;
  groupLabel: string[];
  /** Full path of the group, for find and for state that survives reloads. */
  groupKey: string[];
  groupDepth: Int32Array;
  /** Leaves under the group, at any depth. */
  groupLeaves: Int32Array;
  leafParent: Int32Array;
}

/** Scopes of a node name: `/model/layers.3/attn/q_proj/MatMul` → model, layers.3, attn, q_proj. */
export function scopeOf(name: string): string[] {
  const parts = name.split('/');
  parts.pop();
  return parts.filter((p) => p.length > 0);
}

/** Builds the group tree; groups holding a single child are dissolved (they add a click, not clarity). */
export function buildHierarchy(info: LeafInfo): Hierarchy {
  const n = info.names.length;
  const keyToGroup = new Map<string, number>();
  const parent: number[] = [];
  const label: string[] = [];
  const key: string[] = [];
  const leafParent = new Int32Array(n).fill(-1);

  const groupFor = (path: string[], base: number, baseKey: string): number => {
    let g = base;
    let k = baseKey;
    for (const seg of path) {
      k = `${k}/${seg}`;
      let id = keyToGroup.get(k);
      if (id === undefined) {
        id = parent.length;
        keyToGroup.set(k, id);
        parent.push(g);
        label.push(seg);
        key.push(k);
      }
      g = id;
    }
    return g;
  };
  // A subgraph or function body becomes one group; owners are resolved before their bodies by
  // walking the graph chain iteratively.
  const graphGroup = new Int32Array(info.graphs.length).fill(-2);
  const resolveGraph = (gid: number): number => {
    const chain: number[] = [];
    let g = gid;
    while (g >= 0 && graphGroup[g] === -2) {
      chain.push(g);
      const gi = info.graphs[g];
      if (gi.kind !== 'subgraph' || gi.ownerNode < 0) break;
      g = info.graphOf[gi.ownerNode];
    }
    for (let i = chain.length - 1; i >= 0; i--) {
      const id = chain[i];
      const gi = info.graphs[id];
      if (gi.kind === 'main') graphGroup[id] = -1;
      else if (gi.kind === 'function') graphGroup[id] = groupFor([`ƒ ${gi.label}`], -1, `#f${id}`);
      else {
        const owner = gi.ownerNode;
        const ownerGraph = info.graphOf[owner];
        const outer = ownerGraph >= 0 ? graphGroup[ownerGraph] : -1;
        const ownerScope = groupFor(scopeOf(info.names[owner]), outer, outer < 0 ? '' : key[outer]);
        const ownerName = info.names[owner].split('/').pop() || `node ${owner}`;
        graphGroup[id] = groupFor([`${ownerName}.${gi.label}`], ownerScope, `${ownerScope < 0 ? '' : key[ownerScope]}#g${id}`);
      }
    }
    return graphGroup[gid];
  };
  for (let i = 0; i < n; i++) {
    const g = info.graphOf[i];
    if (g < 0) continue;
    const base = resolveGraph(g);
    leafParent[i] = groupFor(scopeOf(info.names[i]), base, base < 0 ? '' : key[base]);
  }

  // Dissolve single-child groups, top-down (parents were created before their children).
  const G = parent.length;
  const childCount = new Int32Array(G);
  for (let g = 0; g < G; g++) if (parent[g] >= 0) childCount[parent[g]]++;
  for (let i = 0; i < n; i++) if (leafParent[i] >= 0) childCount[leafParent[i]]++;
  const alive = new Uint8Array(G).fill(1);
  const up = (g: number) => { while (g >= 0 && !alive[g]) g = parent[g]; return g; };
  for (let g = 0; g < G; g++) if (childCount[g] === 1) alive[g] = 0;
  // A chain of dissolved groups hands its labels down: model/layers.0 instead of two clicks.
  const prefix = new Array<string>(G).fill('');
  for (let g = 0; g < G; g++) {
    const p = parent[g];
    const inherited = p >= 0 && !alive[p] ? prefix[p] : '';
    if (!alive[g]) prefix[g] = `${inherited}${label[g]}/`;
    else label[g] = `${inherited}${label[g]}`;
    parent[g] = up(p);
  }
  for (let i = 0; i < n; i++) leafParent[i] = up(leafParent[i]);
  const newId = new Int32Array(G).fill(-1);
  let count = 0;
  for (let g = 0; g < G; g++) if (alive[g]) newId[g] = count++;
  const h: Hierarchy = {
    groupCount: count, groupParent: new Int32Array(count), groupLabel: [], groupKey: [],
    groupDepth: new Int32Array(count), groupLeaves: new Int32Array(count), leafParent,
  };
  for (let g = 0; g < G; g++) {
    if (!alive[g]) continue;
    const id = newId[g];
    const p = parent[g] < 0 ? -1 : newId[parent[g]];
    h.groupParent[id] = p;
    h.groupLabel.push(label[g]);
    h.groupKey.push(key[g]);
    h.groupDepth[id] = p < 0 ? 0 : h.groupDepth[p] + 1;
  }
  for (let i = 0; i < n; i++) {
    const g = leafParent[i] < 0 ? -1 : newId[leafParent[i]];
    leafParent[i] = g;
    for (let a = g; a >= 0; a = h.groupParent[a]) h.groupLeaves[a]++;
  }
  return h;
}

/**
 * The groups to open first: level by level from the top, a whole level at a time while the drawing
 * stays under `budget` items, so a big model opens as an even overview (all layers closed, not the
 * first three open and the rest closed). A lone group at the top always opens.
 */
export function initialExpansion(h: Hierarchy, budget: number): Uint8Array {
  const expanded = new Uint8Array(h.groupCount);
  const grow = new Int32Array(h.groupCount).fill(-1);
  for (let g = 0; g < h.groupCount; g++) if (h.groupParent[g] >= 0) grow[h.groupParent[g]]++;
  for (let i = 0; i < h.leafParent.length; i++) if (h.leafParent[i] >= 0) grow[h.leafParent[i]]++;
  let visible = 0;
  for (let g = 0; g < h.groupCount; g++) if (h.groupParent[g] < 0) visible++;
  for (let i = 0; i < h.leafParent.length; i++) if (h.leafParent[i] < 0) visible++;
  const maxDepth = h.groupCount ? Math.max(...h.groupDepth) : -1;
  for (let d = 0; d <= maxDepth; d++) {
    const level: number[] = [];
    for (let g = 0; g < h.groupCount; g++) {
      const p = h.groupParent[g];
      if (h.groupDepth[g] === d && (p < 0 || expanded[p])) level.push(g);
    }
    if (!level.length) break;
    const more = level.reduce((sum, g) => sum + grow[g], 0);
    const lone = d === 0 && level.length === 1 && visible === 1;
    if (!lone && visible + more > budget) break;
    for (const g of level) expanded[g] = 1;
    visible += more;
  }
  return expanded;
}
