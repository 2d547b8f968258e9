// Groups the nodes of a model into a tree: name scopes (/model/layers.3/attn/…, TF.js `layer/…`),
// subgraph bodies (If/Loop/Scan) next to the node that owns them, and model-local functions.
// Pure and DOM-free: built in the layout worker, tested in Node.

/** What the hierarchy needs to know about one leaf (a node, or a graph input/output). */
export interface LeafInfo {
  names: string[];
  /** Graph id of each leaf; -1 for graph inputs/outputs, which stay at the top. */
  graphOf: Int32Array;
  graphs: { kind: 'main' | 'subgraph' | 'function'; ownerNode: number; label: string }[];
  /** 1 for leaves that are not drawn (constants folded into their consumers): they join no group. */
  hidden?: Uint8Array;
}

/** What a group stands for: a name scope, a control-flow node with its bodies, one body, a function. */
export const GroupKind = { scope: 0, control: 1, body: 2, function: 3 } as const;

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
  /** GroupKind of each group. */
  groupKind: Uint8Array;
  /** For a control group: the node (leaf) that owns the bodies, else -1. */
  groupOwner: Int32Array;
  /** For a control group: how many bodies its node holds (If: 2 branches), else 0. */
  groupBodies: Int32Array;
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
  const kind: number[] = [];
  const owner: number[] = [];
  const leafParent = new Int32Array(n).fill(-1);
  const hidden = info.hidden;

  /** The group at `path` under `base`; the last segment gets `lastKind` (and `lastOwner`) when new. */
  const groupFor = (path: string[], base: number, baseKey: string, lastKind: number = GroupKind.scope, lastOwner = -1): number => {
    let g = base;
    let k = baseKey;
    for (let i = 0; i < path.length; i++) {
      const seg = path[i];
      k = `${k}/${seg}`;
      let id = keyToGroup.get(k);
      if (id === undefined) {
        id = parent.length;
        keyToGroup.set(k, id);
        parent.push(g);
        label.push(seg);
        key.push(k);
        const last = i === path.length - 1;
        kind.push(last ? lastKind : GroupKind.scope);
        owner.push(last ? lastOwner : -1);
      }
      g = id;
    }
    return g;
  };
  // A control-flow node and its bodies (If: then/else; Loop, Scan: body) become one group, so it
  // closes into one box in the flow; each body is a group inside it. Owners are resolved before
  // their bodies by walking the graph chain iteratively.
  const graphGroup = new Int32Array(info.graphs.length).fill(-2);
  const controlGroup = new Map<number, number>();
  const bodies = new Map<number, number>();
  for (const gi of info.graphs) if (gi.kind === 'subgraph' && gi.ownerNode >= 0) bodies.set(gi.ownerNode, (bodies.get(gi.ownerNode) ?? 0) + 1);
  const controlOf = (ownerNode: number): number => {
    let id = controlGroup.get(ownerNode);
    if (id !== undefined) return id;
    const ownerGraph = info.graphOf[ownerNode];
    const outer = ownerGraph >= 0 ? graphGroup[ownerGraph] : -1;
    const ownerScope = groupFor(scopeOf(info.names[ownerNode]), outer, outer < 0 ? '' : key[outer]);
    const ownerName = info.names[ownerNode].split('/').pop() || `node ${ownerNode}`;
    id = groupFor([ownerName], ownerScope, `${ownerScope < 0 ? '' : key[ownerScope]}#n${ownerNode}`, GroupKind.control, ownerNode);
    controlGroup.set(ownerNode, id);
    return id;
  };
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
      else if (gi.kind === 'function') graphGroup[id] = groupFor([`ƒ ${gi.label}`], -1, `#f${id}`, GroupKind.function);
      else {
        const ctl = controlOf(gi.ownerNode);
        const ownerName = info.names[gi.ownerNode].split('/').pop() || `node ${gi.ownerNode}`;
        graphGroup[id] = groupFor([`${ownerName}.${gi.label}`], ctl, `${key[ctl]}#g${id}`, GroupKind.body);
      }
    }
    return graphGroup[gid];
  };
  for (let i = 0; i < n; i++) {
    const g = info.graphOf[i];
    if (g < 0 || hidden?.[i]) continue;
    const base = resolveGraph(g);
    leafParent[i] = bodies.has(i) ? controlOf(i) : groupFor(scopeOf(info.names[i]), base, base < 0 ? '' : key[base]);
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
    // A body whose one child is a scope hands that scope its role: it is what the body shows.
    if (p >= 0 && !alive[p] && kind[p] === GroupKind.body && kind[g] === GroupKind.scope) kind[g] = GroupKind.body;
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
    groupKind: new Uint8Array(count), groupOwner: new Int32Array(count).fill(-1), groupBodies: new Int32Array(count),
  };
  for (let g = 0; g < G; g++) {
    if (!alive[g]) continue;
    const id = newId[g];
    const p = parent[g] < 0 ? -1 : newId[parent[g]];
    h.groupParent[id] = p;
    h.groupLabel.push(label[g]);
    h.groupKey.push(key[g]);
    h.groupDepth[id] = p < 0 ? 0 : h.groupDepth[p] + 1;
    h.groupKind[id] = kind[g];
    h.groupOwner[id] = owner[g];
    h.groupBodies[id] = owner[g] >= 0 ? bodies.get(owner[g]) ?? 0 : 0;
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
 * first three open and the rest closed). A lone group at the top always opens. Control-flow nodes
 * and functions start closed, as one box each whatever the budget (their bodies are a second program,
 * and open they fill the view with hairlines); their bodies are marked open, so one click on the box
 * shows the node with its bodies side by side.
 */
export function initialExpansion(h: Hierarchy, budget: number): Uint8Array {
  const expanded = new Uint8Array(h.groupCount);
  const closed = (g: number) => h.groupKind[g] === GroupKind.control || h.groupKind[g] === GroupKind.function;
  const grow = new Int32Array(h.groupCount).fill(-1);
  for (let g = 0; g < h.groupCount; g++) if (h.groupParent[g] >= 0) grow[h.groupParent[g]]++;
  for (let i = 0; i < h.leafParent.length; i++) if (h.leafParent[i] >= 0) grow[h.leafParent[i]]++;
  let visible = 0;
  for (let g = 0; g < h.groupCount; g++) if (h.groupParent[g] < 0) visible++;
  for (let i = 0; i < h.leafParent.length; i++) if (h.leafParent[i] < 0) visible++;
  let topGroups = 0;
  for (let g = 0; g < h.groupCount; g++) if (h.groupParent[g] < 0) topGroups++;
  const maxDepth = h.groupCount ? Math.max(...h.groupDepth) : -1;
  for (let d = 0; d <= maxDepth; d++) {
    const level: number[] = [];
    for (let g = 0; g < h.groupCount; g++) {
      const p = h.groupParent[g];
      if (h.groupDepth[g] === d && (p < 0 || expanded[p]) && !closed(g) && h.groupKind[g] !== GroupKind.body) level.push(g);
    }
    if (!level.length) break;
    const more = level.reduce((sum, g) => sum + grow[g], 0);
    // A lone top group opens even over budget: graph inputs and outputs beside it do not count, or a
    // big model would open as one box saying "200001 nodes".
    const lone = d === 0 && level.length === 1 && topGroups === 1;
    if (!lone && visible + more > budget) break;
    for (const g of level) expanded[g] = 1;
    visible += more;
  }
  // Inside a body that fits the budget its scopes are open too (nested control flow stays closed):
  // opening the control box then shows its bodies' nodes at once. Ids are parents first.
  const bodyOf = new Int32Array(h.groupCount).fill(-1);
  for (let g = 0; g < h.groupCount; g++) {
    const p = h.groupParent[g];
    if (h.groupKind[g] === GroupKind.body) { bodyOf[g] = g; expanded[g] = 1; }
    else if (h.groupKind[g] === GroupKind.scope && p >= 0 && bodyOf[p] >= 0 && expanded[p]) {
      bodyOf[g] = bodyOf[p];
      if (h.groupLeaves[bodyOf[g]] <= budget) expanded[g] = 1;
    }
  }
  return expanded;
}

/**
 * What a closed group's box says under its name: `If · 2 branches · 340 nodes` for a control-flow
 * node (its bodies' nodes, not counting itself), `function · 12 nodes`, or `48 nodes` for a scope.
 * `opOf` gives a leaf's op type.
 */
export function groupCaption(h: Hierarchy, g: number, opOf: (leaf: number) => string): string {
  const count = (k: number) => `${k} node${k === 1 ? '' : 's'}`;
  if (h.groupKind[g] === GroupKind.control && h.groupOwner[g] >= 0) {
    const b = h.groupBodies[g];
    const bodies = b === 1 ? 'body' : `${b} ${opOf(h.groupOwner[g]) === 'If' ? 'branches' : 'bodies'}`;
    return `${opOf(h.groupOwner[g])} · ${bodies} · ${count(h.groupLeaves[g] - 1)}`;
  }
  if (h.groupKind[g] === GroupKind.function) return `function · ${count(h.groupLeaves[g])}`;
  return count(h.groupLeaves[g]);
}
