// Draws the tray images and the app icon (npm run icons). Shapes are signed-distance functions sampled 4×4 per
// pixel, so edges stay smooth at 16 px. The output is committed; run this again after changing a design.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodePng } from './png.ts';

type Rgb = [number, number, number];
/** Coverage (0..1) of a shape at a point in a unit square (0..1 on both axes). */
type Shape = (x: number, y: number) => number;

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SAMPLES = 4;

const clamp = (v: number) => Math.max(0, Math.min(1, v));
const inside = (distance: number) => (distance <= 0 ? 1 : 0);

const disc = (cx: number, cy: number, r: number): Shape => (x, y) => inside(Math.hypot(x - cx, y - cy) - r);
const ring = (cx: number, cy: number, r: number, w: number): Shape => (x, y) => inside(Math.abs(Math.hypot(x - cx, y - cy) - r) - w / 2);
const segment = (ax: number, ay: number, bx: number, by: number, w: number): Shape => (x, y) => {
  const t = clamp(((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2));
  return inside(Math.hypot(x - (ax + t * (bx - ax)), y - (ay + t * (by - ay))) - w / 2);
};
const roundRect = (margin: number, radius: number): Shape => (x, y) => {
  const qx = Math.abs(x - 0.5) - (0.5 - margin - radius);
  const qy = Math.abs(y - 0.5) - (0.5 - margin - radius);
  return inside(Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - radius);
};
const union = (...shapes: Shape[]): Shape => (x, y) => Math.max(...shapes.map((s) => s(x, y)));
const minus = (a: Shape, b: Shape): Shape => (x, y) => a(x, y) * (1 - b(x, y));

interface Layer {
  shape: Shape;
  colour: Rgb | ((x: number, y: number) => Rgb);
}

function render(size: number, layers: Layer[]): Buffer {
  const rgba = new Uint8Array(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const x = (px + (sx + 0.5) / SAMPLES) / size;
          const y = (py + (sy + 0.5) / SAMPLES) / size;
          // Layers painted back to front ("over" compositing).
          let cr = 0, cg = 0, cb = 0, ca = 0;
          for (const layer of layers) {
            const cover = layer.shape(x, y);
            if (cover === 0) continue;
            const [lr, lg, lb] = typeof layer.colour === 'function' ? layer.colour(x, y) : layer.colour;
            cr = lr * cover + cr * (1 - cover);
            cg = lg * cover + cg * (1 - cover);
            cb = lb * cover + cb * (1 - cover);
            ca = cover + ca * (1 - cover);
          }
          r += cr; g += cg; b += cb; a += ca;
        }
      }
      const n = SAMPLES * SAMPLES;
      const alpha = a / n;
      const i = (py * size + px) * 4;
      // Straight (unpremultiplied) alpha, as PNG expects.
      rgba[i] = alpha ? Math.round(r / n / alpha) : 0;
      rgba[i + 1] = alpha ? Math.round(g / n / alpha) : 0;
      rgba[i + 2] = alpha ? Math.round(b / n / alpha) : 0;
      rgba[i + 3] = Math.round(alpha * 255);
    }
  }
  return encodePng(size, size, rgba);
}

// The mark: a ring (the gateway) with the state inside — a dot while running, empty when stopped, a bar when
// something is wrong.
const RING = ring(0.5, 0.5, 0.36, 0.13);
const GLYPHS: Record<'running' | 'stopped' | 'error', Shape> = {
  running: union(RING, disc(0.5, 0.5, 0.16)),
  stopped: RING,
  error: union(minus(RING, segment(0.2, 0.8, 0.8, 0.2, 0.26)), segment(0.24, 0.76, 0.76, 0.24, 0.13)),
};
const COLOURS: Record<keyof typeof GLYPHS, Rgb> = {
  running: [22, 163, 74],
  stopped: [107, 114, 128],
  error: [220, 38, 38],
};

function write(path: string, data: Buffer): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, data);
  console.log(`${path.slice(root.length + 1)} (${data.length} bytes)`);
}

for (const [state, glyph] of Object.entries(GLYPHS) as Array<[keyof typeof GLYPHS, Shape]>) {
  const title = state[0]!.toUpperCase() + state.slice(1);
  for (const [scale, suffix] of [[1, ''], [2, '@2x']] as const) {
    const size = 16 * scale;
    write(join(root, 'resources', 'tray', `tray${title}Template${suffix}.png`), render(size, [{ shape: glyph, colour: [0, 0, 0] }]));
    write(join(root, 'resources', 'tray', `tray-${state}${suffix}.png`), render(size, [{ shape: glyph, colour: COLOURS[state] }]));
  }
}

// App icon: the running mark in white on a rounded indigo tile with a soft vertical gradient.
const tile = roundRect(0.06, 0.2);
const gradient = (_x: number, y: number): Rgb => [Math.round(67 - 30 * y), Math.round(56 - 20 * y), Math.round(202 - 60 * y)];
const mark = union(ring(0.5, 0.5, 0.25, 0.085), disc(0.5, 0.5, 0.105));
const appIcon = (size: number) => render(size, [{ shape: tile, colour: gradient }, { shape: mark, colour: [255, 255, 255] }]);
write(join(root, 'build', 'icon.png'), appIcon(1024));
write(join(root, 'resources', 'icon.png'), appIcon(256));
