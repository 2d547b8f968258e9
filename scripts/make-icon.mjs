// Draws media/icon.png (128×128): a small layered network seen through a lens. Shapes are
// signed-distance functions sampled 4×4 per pixel for anti-aliasing. `node scripts/make-icon.mjs`.
import { writeFileSync, mkdirSync } from 'node:fs';
import { PNG } from 'pngjs';

const S = 128, SS = 4;
const rgb = (hex) => [parseInt(hex.slice(1, 3), 16), parseInt(hex.slice(3, 5), 16), parseInt(hex.slice(5, 7), 16)];
const mix = (a, b, t) => a.map((v, i) => v + (b[i] - v) * t);

const roundRect = (x, y, cx, cy, hw, hh, r) => {
  const qx = Math.abs(x - cx) - hw + r, qy = Math.abs(y - cy) - hh + r;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
};
const circle = (x, y, cx, cy, r) => Math.hypot(x - cx, y - cy) - r;
const segment = (x, y, ax, ay, bx, by, r) => {
  const px = x - ax, py = y - ay, dx = bx - ax, dy = by - ay;
  const t = Math.max(0, Math.min(1, (px * dx + py * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - dx * t, py - dy * t) - r;
};

// The network: three layers, fully connected between neighbours.
const layers = [[26, [34, 58, 82]], [56, [28, 50, 72, 94]], [86, [46, 76]]];
const nodes = layers.flatMap(([x, ys]) => ys.map((y) => [x, y]));
const edges = [];
for (let l = 0; l + 1 < layers.length; l++) {
  for (const y0 of layers[l][1]) for (const y1 of layers[l + 1][1]) edges.push([layers[l][0], y0, layers[l + 1][0], y1]);
}
const lens = { cx: 80, cy: 74, r: 24, ring: 5 };

const bgTop = rgb('#2b2f77'), bgBottom = rgb('#12143a');
const edgeCol = rgb('#8fa7ff'), nodeCol = rgb('#f4f6ff'), glass = rgb('#5ee0d0'), ringCol = rgb('#ffd166');

function shade(x, y) {
  // Returns [r,g,b,a] for one sample point.
  if (roundRect(x, y, 64, 64, 62, 62, 22) > 0) return [0, 0, 0, 0];
  let c = mix(bgTop, bgBottom, y / S);
  const inLens = circle(x, y, lens.cx, lens.cy, lens.r) < 0;
  if (inLens) c = mix(c, glass, 0.28);
  for (const [ax, ay, bx, by] of edges) {
    if (segment(x, y, ax, ay, bx, by, inLens ? 1.6 : 1.1) < 0) { c = mix(c, inLens ? nodeCol : edgeCol, inLens ? 0.9 : 0.55); break; }
  }
  for (const [nx, ny] of nodes) {
    if (circle(x, y, nx, ny, inLens ? 7.5 : 6) < 0) { c = inLens ? rgb('#ffffff') : nodeCol; break; }
  }
  const d = Math.abs(circle(x, y, lens.cx, lens.cy, lens.r)) - lens.ring / 2;
  if (d < 0) c = ringCol;
  if (segment(x, y, lens.cx + 19, lens.cy + 19, 116, 114, 6) < 0) c = ringCol;
  return [...c, 255];
}

const png = new PNG({ width: S, height: S });
for (let py = 0; py < S; py++) {
  for (let px = 0; px < S; px++) {
    const acc = [0, 0, 0, 0];
    for (let sy = 0; sy < SS; sy++) {
      for (let sx = 0; sx < SS; sx++) {
        const [r, g, b, a] = shade(px + (sx + 0.5) / SS, py + (sy + 0.5) / SS);
        acc[0] += r * a; acc[1] += g * a; acc[2] += b * a; acc[3] += a;
      }
    }
    const i = (py * S + px) * 4;
    const a = acc[3] / (SS * SS);
    png.data[i] = a ? Math.round(acc[0] / acc[3]) : 0;
    png.data[i + 1] = a ? Math.round(acc[1] / acc[3]) : 0;
    png.data[i + 2] = a ? Math.round(acc[2] / acc[3]) : 0;
    png.data[i + 3] = Math.round(a);
  }
}
mkdirSync('media', { recursive: true });
writeFileSync('media/icon.png', PNG.sync.write(png));
console.log('media/icon.png written (128×128)');
