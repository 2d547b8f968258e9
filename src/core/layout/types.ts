// Plain data shapes shared by the layout stages. Typed arrays only, so a 200k-node graph costs a few
// megabytes and crosses the worker boundary by transfer.

/** A DAG (or nearly one: cycles are broken) to lay out in layers, top to bottom. */
export interface DagInput {
  /** Node count. */
  n: number;
  /** Node sizes in layout units; for a left-to-right layout the caller swaps them (see layoutDag). */
  w: Float32Array;
  h: Float32Array;
  /** Edges as parallel arrays of node indices. Self loops are ignored, duplicates are kept. */
  src: Int32Array;
  dst: Int32Array;
}

export interface DagOptions {
  direction: 'TB' | 'LR';
  /** Space between neighbouring nodes of one layer. */
  nodeGap: number;
  /** Space between layers. */
  layerGap: number;
  /** Crossing-reduction sweeps (down and up count as one). */
  orderIterations: number;
  /** Coordinate-refinement sweeps. */
  coordIterations: number;
}

export const defaultDagOptions: DagOptions = { direction: 'TB', nodeGap: 18, layerGap: 26, orderIterations: 4, coordIterations: 6 };

/** Node centres, the drawing's size, and one polyline per input edge (x,y pairs, source end first). */
export interface DagLayout {
  x: Float32Array;
  y: Float32Array;
  width: number;
  height: number;
  /** Points of edge i are points[2*edgeStart[i] .. 2*edgeStart[i+1]). */
  edgeStart: Int32Array;
  points: Float32Array;
  /** 1 when edge i's route starts where it leaves a dummy chain shared with a longer edge from the same node. */
  fromChain: Uint8Array;
  /** Layer of each node (for keyboard moves along a rank). */
  layer: Int32Array;
  layers: number;
  dummies: number;
}

/** The layered graph after cycle breaking, layering and dummy insertion: real nodes first, then dummies. */
export interface LayeredGraph {
  /** Real plus dummy nodes. */
  total: number;
  n: number;
  layer: Int32Array;
  layers: number;
  /** Segments between adjacent layers (upper node, lower node). */
  segUp: Int32Array;
  segDown: Int32Array;
  /**
   * For each input edge: its dummy nodes are the consecutive ids edgeDummy[i] .. edgeDummy[i]+edgeDummies[i]-1
   * (edges leaving one node share one chain, so a value read by 300 layers adds one column, not 300).
   */
  edgeDummy: Int32Array;
  edgeDummies: Int32Array;
  /** 1 when the edge points upward because it closed a cycle; -1 for self loops (not drawn by layout). */
  reversed: Int8Array;
}
