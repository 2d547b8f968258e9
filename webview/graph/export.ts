// Export of the current view: SVG (every drawn box, group frame and edge, with its text) and PNG
// (the canvas renderer at a size that fits the whole scene).
import { FONT } from '../../src/core/layout/node-text.js';
import { drawScene, edgeLabel, traceEdge } from './renderer.js';
import { CATEGORIES, type SceneState } from './scene-state.js';
import type { GraphTheme } from './theme.js';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const n1 = (x: number) => Math.round(x * 10) / 10;

/** The whole current scene as a standalone SVG document. */
export function exportSvg(st: SceneState, theme: GraphTheme): string {
  const { scene, model } = st;
  const L = model.leafCount;
  const lr = st.direction === 'LR';
  const W = Math.ceil(scene.width + 40), H = Math.ceil(scene.height + 40);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="-20 -20 ${W} ${H}" font-family="${esc(theme.fontFamily)}">`);
  out.push(`<rect x="-20" y="-20" width="${W}" height="${H}" fill="${esc(theme.background)}"/>`);
  for (let i = 0; i < scene.items.length; i++) {
    if (scene.kind[i] !== 2) continue;
    const x = scene.x[i] - scene.w[i] / 2, y = scene.y[i] - scene.h[i] / 2;
    out.push(`<g class="group" data-item="${scene.items[i]}"><rect x="${n1(x)}" y="${n1(y)}" width="${n1(scene.w[i])}" height="${n1(scene.h[i])}" fill="${esc(theme.groupFill)}" fill-opacity="0.5" stroke="${esc(theme.groupBorder)}"/>`
      + `<text x="${n1(x + 6)}" y="${n1(y + 15)}" font-size="11" fill="${esc(theme.muted)}">${esc(st.hier.groupLabel[scene.items[i] - L])}</text></g>`);
  }
  const path = { d: [] as string[], moveTo(x: number, y: number) { this.d.push(`M${n1(x)} ${n1(y)}`); }, lineTo(x: number, y: number) { this.d.push(`L${n1(x)} ${n1(y)}`); },
    bezierCurveTo(a: number, b: number, c: number, d: number, e: number, f: number) { this.d.push(`C${n1(a)} ${n1(b)} ${n1(c)} ${n1(d)} ${n1(e)} ${n1(f)}`); } };
  out.push(`<g class="edges" fill="none" stroke="${esc(theme.edge)}" stroke-width="1.1">`);
  for (let e = 0; e < scene.edgeA.length; e++) {
    path.d = [];
    traceEdge(path, scene.points, scene.edgeStart[e], scene.edgeStart[e + 1], lr);
    const label = edgeLabel(st, e);
    out.push(`<path d="${path.d.join('')}">${label ? `<title>${esc(label)}</title>` : ''}</path>`);
  }
  out.push('</g>');
  for (let i = 0; i < scene.items.length; i++) {
    if (scene.kind[i] === 2) continue;
    const it = scene.items[i];
    const x = scene.x[i] - scene.w[i] / 2, y = scene.y[i] - scene.h[i] / 2;
    const colour = theme.category[CATEGORIES[st.itemCat[i]]];
    const fill = st.overlayFill?.[i] ?? theme.nodeFill;
    const title = it < L ? model.texts[it].title : `⊞ ${st.hier.groupLabel[it - L]}`;
    const lines = it < L ? model.texts[it].lines : [st.hier.groupCaption[it - L]];
    const parts = [`<g class="node" data-item="${it}"><title>${esc(it < L ? model.names[it] : st.hier.groupKey[it - L])}</title>`,
      `<rect x="${n1(x)}" y="${n1(y)}" width="${n1(scene.w[i])}" height="${n1(scene.h[i])}" fill="${esc(fill)}" stroke="${esc(theme.nodeBorder)}"/>`,
      `<rect x="${n1(x)}" y="${n1(y)}" width="${scene.kind[i] === 1 ? 4 : n1(scene.w[i])}" height="${scene.kind[i] === 1 ? n1(scene.h[i]) : FONT.titleHeight}" fill="${esc(colour)}" fill-opacity="0.35"/>`,
      `<text x="${n1(x + FONT.pad)}" y="${n1(y + 13)}" font-size="${FONT.titlePx}" font-weight="600" fill="${esc(theme.foreground)}">${esc(title)}</text>`];
    lines.forEach((l, k) => parts.push(`<text x="${n1(x + FONT.pad)}" y="${n1(y + FONT.titleHeight + 11 + k * FONT.lineHeight)}" font-size="${FONT.linePx}" fill="${esc(theme.muted)}">${esc(l)}</text>`));
    parts.push('</g>');
    out.push(parts.join(''));
  }
  out.push('</svg>');
  return out.join('\n');
}

/** The whole current scene as PNG bytes, at up to 1.5× and at most 8192 px a side. */
export async function exportPng(st: SceneState, theme: GraphTheme): Promise<ArrayBuffer> {
  const margin = 20;
  const s = Math.max(0.01, Math.min(1.5, 8192 / (st.scene.width + 2 * margin), 8192 / (st.scene.height + 2 * margin)));
  const w = Math.ceil((st.scene.width + 2 * margin) * s), h = Math.ceil((st.scene.height + 2 * margin) * s);
  const canvas = document.createElement('canvas');
  canvas.width = w; canvas.height = h;
  const ctx = canvas.getContext('2d')!;
  drawScene(ctx, { ...st, camera: { s, tx: margin * s, ty: margin * s } }, theme, w, h, 1);
  const blob = await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'));
  return blob.arrayBuffer();
}

/** Saves an export through a download link (in the editor the host saves it: the Export… command). */
export function downloadFile(data: string | ArrayBuffer, kind: 'svg' | 'png', modelFileName: string): void {
  const blob = new Blob([data], { type: kind === 'svg' ? 'image/svg+xml' : 'image/png' });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = exportFileName(modelFileName, kind);
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

/** `model.onnx` → `model.svg`. */
export function exportFileName(modelFileName: string, kind: 'svg' | 'png'): string {
  return `${modelFileName.replace(/\.[^.]*$/, '') || 'graph'}.${kind}`;
}
