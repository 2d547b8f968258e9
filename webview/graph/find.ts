// Find (Ctrl+F): match node names, op types and tensor names (values and weights), plain or regex.
// The matching is pure (unit-tested); the bar and its results list are plain DOM.
import type { GraphModel } from '../../src/core/layout/graph-model.js';

export interface FindResult {
  leaf: number;
  /** What matched: `name`, `op`, `tensor <name>`. */
  why: string;
}

/** Leaves matching `query` (case-insensitive), in graph order, at most `limit`. Throws on a bad regex. */
export function findMatches(model: GraphModel, query: string, regex: boolean, limit = 2000): FindResult[] {
  if (!query) return [];
  const re = regex ? new RegExp(query, 'i') : null;
  const q = query.toLowerCase();
  const test = (s: string) => (re ? re.test(s) : s.toLowerCase().includes(q));
  const p = model.payload;
  const out: FindResult[] = [];
  for (let leaf = 0; leaf < model.leafCount && out.length < limit; leaf++) {
    if (test(model.names[leaf])) { out.push({ leaf, why: 'name' }); continue; }
    if (leaf >= model.nodeCount) continue;
    const n = p.nodes[leaf];
    if (test(n.opType)) { out.push({ leaf, why: 'op' }); continue; }
    let hit: string | null = null;
    for (const vid of [...n.inputs, ...n.outputs]) {
      if (vid < 0) continue;
      const v = p.values[vid];
      if (test(v.name)) { hit = v.name; break; }
    }
    if (hit !== null) out.push({ leaf, why: `tensor ${hit}` });
  }
  return out;
}

export interface FindBar {
  element: HTMLElement;
  open(): void;
  close(): void;
  isOpen(): boolean;
}

/** The find bar: input, regex toggle, count, results list. `onPick` reveals a leaf; `onResults` highlights. */
export function createFindBar(model: () => GraphModel | null, label: (leaf: number) => string,
  onPick: (leaf: number) => void, onResults: (leaves: number[]) => void, onClose: () => void): FindBar {
  const el = document.createElement('div');
  el.className = 'graph-find';
  el.hidden = true;
  el.setAttribute('role', 'search');
  const input = document.createElement('input');
  input.type = 'text';
  input.placeholder = 'Find node, op type or tensor';
  input.setAttribute('aria-label', 'Find in graph');
  input.id = 'graph-find-input';
  const regex = document.createElement('input');
  regex.type = 'checkbox';
  regex.id = 'graph-find-regex';
  const regexLabel = document.createElement('label');
  regexLabel.htmlFor = regex.id;
  regexLabel.textContent = '.*';
  regexLabel.title = 'Regular expression';
  const count = document.createElement('span');
  count.className = 'graph-find-count';
  count.setAttribute('aria-live', 'polite');
  const list = document.createElement('ul');
  list.className = 'graph-find-results';
  list.setAttribute('role', 'listbox');
  const row = document.createElement('div');
  row.className = 'graph-find-row';
  row.append(input, regexLabel, regex, count);
  el.append(row, list);
  let results: FindResult[] = [];
  let current = -1;

  const pick = (k: number) => {
    if (!results.length) return;
    current = (k + results.length) % results.length;
    count.textContent = `${current + 1} of ${results.length}${results.length >= 2000 ? '+' : ''}`;
    list.querySelectorAll('[aria-selected="true"]').forEach((li) => li.setAttribute('aria-selected', 'false'));
    const li = list.children[current] as HTMLElement | undefined;
    li?.setAttribute('aria-selected', 'true');
    li?.scrollIntoView({ block: 'nearest' });
    onPick(results[current].leaf);
  };
  const run = () => {
    const m = model();
    list.replaceChildren();
    current = -1;
    input.classList.remove('invalid');
    try {
      results = m ? findMatches(m, input.value, regex.checked) : [];
    } catch (e) {
      results = [];
      input.classList.add('invalid');
      count.textContent = 'bad pattern';
      onResults([]);
      return;
    }
    count.textContent = input.value ? (results.length ? `${results.length}${results.length >= 2000 ? '+' : ''} found` : 'no results') : '';
    results.slice(0, 300).forEach((r, k) => {
      const li = document.createElement('li');
      li.setAttribute('role', 'option');
      li.dataset.leaf = String(r.leaf);
      li.textContent = label(r.leaf);
      const why = document.createElement('span');
      why.className = 'why';
      why.textContent = r.why === 'name' ? '' : r.why;
      li.append(why);
      li.addEventListener('click', () => pick(k));
      list.append(li);
    });
    onResults(results.map((r) => r.leaf));
  };
  let timer = 0;
  input.addEventListener('input', () => { clearTimeout(timer); timer = window.setTimeout(run, 120); });
  regex.addEventListener('change', run);
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') { e.preventDefault(); clearTimeout(timer); if (current < 0 || results.length === 0) run(); pick(e.shiftKey ? current - 1 : current + 1); }
    else if (e.key === 'ArrowDown') { e.preventDefault(); pick(current + 1); }
    else if (e.key === 'ArrowUp') { e.preventDefault(); pick(current - 1); }
  });
  el.addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); bar.close(); } });
  const bar: FindBar = {
    element: el,
    open: () => { el.hidden = false; input.focus(); input.select(); },
    close: () => { el.hidden = true; results = []; list.replaceChildren(); count.textContent = ''; onResults([]); onClose(); },
    isOpen: () => !el.hidden,
  };
  return bar;
}
