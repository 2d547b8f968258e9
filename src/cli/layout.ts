// `model-lens layout <file>`: the graph view's drawing as text — every box and edge the editor draws
// on open (or with every group closed or open), computed by the layout session the webview's worker
// runs. `--json` is the contract: nodes and groups with centre and size, edges as polylines.
import { openModel } from '../core/formats/index.js';
import { describeModelForView } from '../core/model-view.js';
import { layoutPayload, readingOrder, type LayoutDocument } from '../core/layout/layout-document.js';
import { DEFAULT_COLLAPSE_ABOVE } from '../core/layout/layout-session.js';
import { defineCommand, type Command } from './command.js';
import { choice, flag, value, wholeNumber, type CommandSpec, type OptionSpec } from './options.js';

const USAGE = `usage: model-lens layout <file> [--expand none|default|all] [--direction TB|LR] [--collapse-above N] [--json]
  --expand          default: what the editor shows on open; none: every group closed; all: every group open
  --collapse-above  the opening overview's box budget (the modelLens.graph.collapseAbove setting, ${DEFAULT_COLLAPSE_ABOVE})
  --json            {nodes: [{id, name, op, x, y, width, height}], edges: [{from, to, count, points}],
                     groups: [{id, label, caption, kind, x, y, width, height, collapsed}]}; x, y are centres`;

const spec = {
  usage: USAGE,
  positional: { name: 'model file', count: 1 },
  options: {
    expand: value(choice(['none', 'default', 'all'] as const), 'default'),
    direction: value(choice(['TB', 'LR'] as const), 'TB'),
    collapseAbove: value(wholeNumber(0), DEFAULT_COLLAPSE_ABOVE),
    json: flag(),
  },
} satisfies CommandSpec<Record<string, OptionSpec>>;

/** `model-lens layout <file> [--expand …] [--json]`. */
export const runLayoutCommand: Command = defineCommand(spec, async ({ positional, options }, io) => {
  const model = await openModel(positional[0]);
  let doc: LayoutDocument;
  try {
    const { graph } = await describeModelForView(model);
    doc = (await layoutPayload(graph, { expand: options.expand, direction: options.direction, collapseAbove: options.collapseAbove })).document;
  } finally {
    await model.close();
  }
  io.stdout(options.json ? `${JSON.stringify(doc)}\n` : layoutText(doc));
});

const num = (v: number) => String(Math.round(v));
const at = (b: { x: number; y: number; width: number; height: number }) => `(${num(b.x)}, ${num(b.y)}) ${num(b.width)}×${num(b.height)}`;

/** The readable report: counts, the drawing's size, groups with their state, nodes in reading order. */
export function layoutText(doc: LayoutDocument): string {
  const closed = doc.groups.filter((g) => g.collapsed).length;
  const lines = [
    `${doc.modelNodes} nodes in the model${doc.foldedConstants ? ` (${doc.foldedConstants} constants folded into their consumers)` : ''}; expansion ${doc.expand}, ${doc.direction}`,
    `drawn: ${doc.nodes.length} node boxes, ${closed} closed groups, ${doc.groups.length - closed} open groups, ${doc.edges.length} edges; drawing ${num(doc.width)}×${num(doc.height)}`,
  ];
  if (doc.groups.length) {
    lines.push('groups');
    for (const g of readingOrder(doc.groups, doc.direction)) lines.push(`  ${g.collapsed ? 'closed' : 'open  '}  ${g.label}  "${g.caption}"  ${at(g)}`);
  }
  lines.push('nodes');
  for (const n of readingOrder(doc.nodes, doc.direction)) lines.push(`  ${n.op.padEnd(18)} ${n.name}  ${at(n)}`);
  return `${lines.join('\n')}\n`;
}
