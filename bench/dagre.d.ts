// The part of dagre 0.8.5 (devDependency of bench/layout-bench.ts only) that the layout bench uses.
declare module 'dagre' {
  interface GraphOptions { compound?: boolean; multigraph?: boolean; directed?: boolean }
  interface GraphLabel { rankdir?: 'TB' | 'LR'; nodesep?: number; ranksep?: number; edgesep?: number; ranker?: 'network-simplex' | 'tight-tree' | 'longest-path'; width?: number; height?: number }
  interface NodeLabel { width: number; height: number; x: number; y: number }
  interface EdgeLabel { points: { x: number; y: number }[] }
  class Graph {
    constructor(options?: GraphOptions);
    setGraph(label: GraphLabel): this;
    graph(): GraphLabel;
    setDefaultEdgeLabel(f: () => object): this;
    setNode(v: string, label: Partial<NodeLabel>): this;
    setParent(v: string, parent: string): this;
    setEdge(v: string, w: string, label?: object): this;
    node(v: string): NodeLabel;
    edge(v: string, w: string): EdgeLabel;
  }
  const dagre: { graphlib: { Graph: typeof Graph }; layout(g: Graph): void };
  export default dagre;
}
