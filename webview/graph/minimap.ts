// The minimap: the whole scene in miniature with the viewport's outline; click or drag to move there.
import type { SceneState } from './scene-state.js';
import { CATEGORIES } from './scene-state.js';
import type { GraphTheme } from './theme.js';

export class Minimap {
  readonly element: HTMLCanvasElement;
  private cache: HTMLCanvasElement | null = null;
  private cacheFor: unknown = null;
  private scale = 1;
  private ox = 0;
  private oy = 0;

  constructor(private readonly onMove: (wx: number, wy: number) => void) {
    this.element = document.createElement('canvas');
    this.element.className = 'graph-minimap';
    this.element.setAttribute('aria-label', 'Minimap: click to move the view');
    let dragging = false;
    const go = (e: PointerEvent) => {
      const r = this.element.getBoundingClientRect();
      this.onMove((e.clientX - r.left - this.ox) / this.scale, (e.clientY - r.top - this.oy) / this.scale);
    };
    this.element.addEventListener('pointerdown', (e) => { dragging = true; this.element.setPointerCapture(e.pointerId); go(e); });
    this.element.addEventListener('pointermove', (e) => { if (dragging) go(e); });
    this.element.addEventListener('pointerup', () => { dragging = false; });
  }

  draw(st: SceneState, theme: GraphTheme, viewW: number, viewH: number): void {
    const dpr = window.devicePixelRatio || 1;
    const W = 180, H = 130;
    if (this.element.width !== W * dpr) { this.element.width = W * dpr; this.element.height = H * dpr; }
    const { scene } = st;
    this.scale = Math.min((W - 8) / Math.max(1, scene.width), (H - 8) / Math.max(1, scene.height));
    this.ox = (W - scene.width * this.scale) / 2;
    this.oy = (H - scene.height * this.scale) / 2;
    // The scene's picture is drawn once per scene and theme; each frame only adds the viewport box.
    const key = [scene, theme, st.overlayFill];
    if (!this.cache || (this.cacheFor as unknown[])?.some((k, i) => k !== key[i])) {
      this.cache = document.createElement('canvas');
      this.cache.width = W * dpr; this.cache.height = H * dpr;
      const c = this.cache.getContext('2d')!;
      c.setTransform(dpr * this.scale, 0, 0, dpr * this.scale, dpr * this.ox, dpr * this.oy);
      CATEGORIES.forEach((cat, k) => {
        c.beginPath();
        for (let i = 0; i < scene.items.length; i++) {
          if (scene.kind[i] === 2 || st.itemCat[i] !== k) continue;
          c.rect(scene.x[i] - scene.w[i] / 2, scene.y[i] - scene.h[i] / 2, Math.max(scene.w[i], 1 / this.scale), Math.max(scene.h[i], 1 / this.scale));
        }
        c.fillStyle = theme.category[cat];
        c.fill();
      });
      this.cacheFor = key;
    }
    const ctx = this.element.getContext('2d')!;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, this.element.width, this.element.height);
    ctx.drawImage(this.cache, 0, 0);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const cam = st.camera;
    const x = this.ox + (-cam.tx / cam.s) * this.scale, y = this.oy + (-cam.ty / cam.s) * this.scale;
    ctx.strokeStyle = theme.focus;
    ctx.lineWidth = 1.5;
    ctx.strokeRect(x, y, (viewW / cam.s) * this.scale, (viewH / cam.s) * this.scale);
  }
}
