// The Function tab: the model as a function — node formulas with real tensors, one value by hand,
// the model as one formula, a sweep f(x), what-if edits of weights, and the cost card.
import { h } from '../shell/dom.js';
import type { Disposable, View, ViewContext } from '../view.js';
import { CostCard } from './cost-card.js';
import { FormulaCard } from './formula-card.js';
import { SweepCard } from './sweep-card.js';
import { WhatIfCard } from './whatif-card.js';

export class FunctionView implements View {
  readonly element: HTMLElement;
  private readonly formula: FormulaCard;
  private readonly sweep: SweepCard;
  private readonly whatIf: WhatIfCard;
  private readonly cost: CostCard;
  private readonly subs: Disposable[] = [];
  private visible = false;
  private pendingNode: number | null = null;
  private readonly banner: HTMLElement;

  constructor(private readonly ctx: ViewContext) {
    this.formula = new FormulaCard(ctx);
    this.sweep = new SweepCard(ctx);
    this.whatIf = new WhatIfCard(ctx, () => { if (this.sweep.hasRun) void this.sweep.run(); });
    this.cost = new CostCard(ctx);
    this.banner = h('div', { class: 'fn-banner', attrs: { role: 'status' } },
      h('span', { text: 'Formulas and cost work here; the sweep, by-hand values and what-if edits run the model, which needs a trusted workspace.' }));
    const trust = h('button', { class: 'ml-button', text: 'Trust…', attrs: { type: 'button' } });
    trust.addEventListener('click', () => void ctx.bus.request('trust.request', {}));
    this.banner.append(trust);
    this.banner.hidden = ctx.trusted;
    this.element = h('div', { class: 'function-view', attrs: { id: 'function', 'aria-label': 'Function', 'data-trusted': String(ctx.trusted) } },
      this.banner,
      h('p', { class: 'fn-intro', text: 'A trained model is a function: the graph is the formula, the weights are its constants, and running it evaluates the formula once.' }),
      h('div', { class: 'fn-columns' },
        h('div', { class: 'fn-column' }, this.formula.element),
        h('div', { class: 'fn-column' }, this.sweep.element, this.whatIf.element)),
      this.cost.element);
    this.subs.push(
      ctx.onSelectNode((id) => { if (this.visible) void this.formula.showNode(id); else this.pendingNode = id; }),
      ctx.onTrustChanged((t) => { this.banner.hidden = t; this.element.setAttribute('data-trusted', String(t)); }),
      // Which nodes a what-if edit coloured on the graph, for readers of the DOM and automation.
      ctx.onNodeOverlay((o) => {
        const ids = o?.legend.title.startsWith('What-if') ? [...o.values.keys()].filter((i) => Number.isFinite(o.values[i])) : [];
        this.element.setAttribute('data-overlay-nodes', ids.join(','));
      }),
    );
    this.pendingNode = ctx.selectedNode();
  }

  show(): void {
    this.visible = true;
    void this.formula.showNode(this.pendingNode);
    this.pendingNode = null;
    void this.formula.loadModelFormula();
    this.cost.loadOnce();
    this.sweep.draw();
  }

  hide(): void {
    this.visible = false;
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
    this.subs.length = 0;
    this.element.remove();
  }
}
