// The graph's toolbar: fit, zoom to selection, expand/collapse groups, constants, direction, find, export.
// Button ids are what the ui and e2e tests click.
import { h, icon } from '../shell/dom.js';

export interface ToolbarActions {
  fit(): void;
  zoomToSelection(): void;
  expandAll(open: boolean): void;
  switchDirection(): void;
  /** Show constant-only nodes as nodes again, or fold them into their consumers. */
  toggleConstants(): void;
  /** Whether constants start shown as nodes (the toggle's pressed state). */
  constantsShown: boolean;
  find(): void;
  download(kind: 'svg' | 'png'): void;
}

/** Builds the toolbar whose buttons call `actions`. */
export function graphToolbar(actions: ToolbarActions): HTMLElement {
  const btn = (name: string, label: string, run: () => void, id: string) => {
    const b = h('button', { class: 'graph-button', attrs: { title: label, 'aria-label': label, id } }, icon(name));
    b.addEventListener('click', run);
    return b;
  };
  const constants = btn('symbol-constant', 'Show constants as nodes (folded into their consumers by default)', () => actions.toggleConstants(), 'graph-show-constants');
  constants.setAttribute('aria-pressed', String(actions.constantsShown));
  return h('div', { class: 'graph-toolbar', attrs: { role: 'toolbar', 'aria-label': 'Graph' } },
    btn('screen-full', 'Fit to view (0)', () => actions.fit(), 'graph-fit'),
    btn('target', 'Zoom to selection (Enter)', () => actions.zoomToSelection(), 'graph-zoom-selection'),
    btn('expand-all', 'Expand all groups', () => actions.expandAll(true), 'graph-expand-all'),
    btn('collapse-all', 'Collapse all groups', () => actions.expandAll(false), 'graph-collapse-all'),
    constants,
    btn('arrow-swap', 'Switch direction (top-down / left-right)', () => actions.switchDirection(), 'graph-direction'),
    btn('search', 'Find (Ctrl+F)', () => actions.find(), 'graph-find-open'),
    btn('file-media', 'Export PNG', () => actions.download('png'), 'graph-export-png'),
    btn('file-code', 'Export SVG', () => actions.download('svg'), 'graph-export-svg'));
}
