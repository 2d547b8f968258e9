// Tiny DOM builders. Text always goes in through textContent: model files hold arbitrary strings
// (names, doc strings, metadata) that must never be parsed as HTML.

type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: { class?: string; attrs?: Record<string, string>; text?: string } = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props.class) el.className = props.class;
  if (props.attrs) for (const [k, v] of Object.entries(props.attrs)) el.setAttribute(k, v);
  if (props.text !== undefined) el.textContent = props.text;
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return el;
}

/** A codicon glyph (decorative unless a label is given). */
export function icon(name: string, label?: string): HTMLElement {
  const el = document.createElement('span');
  el.className = `codicon codicon-${name}`;
  if (label) {
    el.setAttribute('role', 'img');
    el.setAttribute('aria-label', label);
  } else {
    el.setAttribute('aria-hidden', 'true');
  }
  return el;
}

/** A custom element from @vscode-elements with attributes set (they are registered by main.ts). */
export function vsc(tag: string, attrs: Record<string, string> = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  for (const c of children) if (c) el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return el;
}

/** A file path as text with line-break opportunities after each separator (never mid-name). */
export function pathText(path: string): DocumentFragment {
  const frag = document.createDocumentFragment();
  const parts = path.split(/(?<=[\\/])/);
  parts.forEach((part, i) => {
    frag.append(document.createTextNode(part));
    if (i < parts.length - 1) frag.append(document.createElement('wbr'));
  });
  return frag;
}

const adoptedCss = new Set<string>();

/** Adds a tab's stylesheet to the page the first time that tab is built. */
export function adoptStylesheet(css: string): void {
  if (adoptedCss.has(css)) return;
  adoptedCss.add(css);
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}
