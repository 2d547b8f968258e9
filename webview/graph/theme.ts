// Colours for canvas drawing, read from the VS Code theme variables on the graph's element, so light,
// dark and high-contrast themes all read well. Re-read when the editor switches theme.
import type { OpCategory } from './op-category.js';

export interface GraphTheme {
  background: string;
  foreground: string;
  muted: string;
  nodeFill: string;
  nodeBorder: string;
  groupFill: string;
  groupBorder: string;
  edge: string;
  focus: string;
  find: string;
  selectionFill: string;
  /** Edge labels with a shape the last run made known, and those that disagree with the file's. */
  measured: string;
  differs: string;
  category: Record<OpCategory, string>;
  highContrast: boolean;
  fontFamily: string;
}

/** Reads the theme from `el`'s computed style (its custom properties inherit from the body). */
export function readTheme(el: HTMLElement): GraphTheme {
  const cs = getComputedStyle(el);
  const v = (...names: string[]) => {
    for (const n of names) {
      const x = cs.getPropertyValue(n).trim();
      if (x) return x;
    }
    return '';
  };
  const fg = v('--vscode-editor-foreground', '--vscode-foreground') || cs.color;
  const bg = v('--vscode-editor-background') || cs.backgroundColor;
  const lines = v('--vscode-charts-lines', '--vscode-editorWidget-border', '--vscode-descriptionForeground') || fg;
  const body = document.body.classList;
  return {
    background: bg,
    foreground: fg,
    muted: v('--vscode-descriptionForeground') || fg,
    nodeFill: v('--vscode-editorWidget-background', '--vscode-sideBar-background') || bg,
    nodeBorder: v('--vscode-contrastBorder', '--vscode-editorWidget-border', '--vscode-widget-border') || lines,
    groupFill: v('--vscode-editor-inactiveSelectionBackground', '--vscode-list-hoverBackground') || bg,
    groupBorder: v('--vscode-contrastBorder', '--vscode-editorGroup-border', '--vscode-panel-border') || lines,
    edge: lines,
    focus: v('--vscode-focusBorder') || fg,
    find: v('--vscode-editor-findMatchBorder', '--vscode-charts-yellow') || fg,
    selectionFill: v('--vscode-editor-selectionBackground') || bg,
    measured: v('--vscode-textLink-foreground', '--vscode-charts-blue') || fg,
    differs: v('--vscode-errorForeground', '--vscode-charts-red') || fg,
    category: {
      conv: v('--vscode-charts-blue') || fg,
      linear: v('--vscode-charts-purple') || fg,
      activation: v('--vscode-charts-red') || fg,
      norm: v('--vscode-charts-green') || fg,
      pool: v('--vscode-charts-yellow') || fg,
      shape: v('--vscode-charts-foreground', '--vscode-descriptionForeground') || fg,
      math: v('--vscode-charts-lines', '--vscode-descriptionForeground') || fg,
      control: v('--vscode-charts-orange') || fg,
      constant: v('--vscode-disabledForeground', '--vscode-descriptionForeground') || fg,
      io: v('--vscode-textLink-foreground', '--vscode-charts-blue') || fg,
      group: v('--vscode-descriptionForeground', '--vscode-charts-foreground') || fg,
      other: v('--vscode-charts-orange') || fg,
    },
    highContrast: body.contains('vscode-high-contrast') || body.contains('vscode-high-contrast-light'),
    fontFamily: v('--vscode-editor-font-family') || 'monospace',
  };
}
