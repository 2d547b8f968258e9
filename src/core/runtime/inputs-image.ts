// Image inputs: PNG/JPEG decoded in plain JS (pngjs, jpeg-js: no native code), resized bilinearly
// to the model's input size, laid out NCHW or NHWC, in RGB or BGR order, and normalized.
import { readFile } from 'node:fs/promises';
import jpeg from 'jpeg-js';
import pngjs from 'pngjs';
import type { DataType } from '../ir/dtype.js';
import { ModelError } from '../ir/errors.js';
import { fromNumbers, type RuntimeTensor } from './tensor-value.js';

/** An RGBA image, 8 bits a channel. */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8Array;
}

export interface ImageOptions {
  /** Channel layout; 'auto' picks NCHW when axis 1 has 1 or 3 channels, else NHWC. */
  layout?: 'auto' | 'nchw' | 'nhwc';
  channelOrder?: 'rgb' | 'bgr';
  /** value = (pixel · scale − mean[c]) / std[c]; defaults scale 1/255, mean 0, std 1. */
  scale?: number;
  mean?: number[];
  std?: number[];
}

/** Decodes PNG or JPEG bytes (chosen by content) to RGBA. */
export function decodeImage(bytes: Uint8Array, file = '<image>'): RgbaImage {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    if (buf.length >= 8 && buf.readUInt32BE(0) === 0x89504e47) {
      const png = pngjs.PNG.sync.read(buf);
      return { width: png.width, height: png.height, data: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength) };
    }
    if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) {
      const img = jpeg.decode(buf, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 1024 });
      return { width: img.width, height: img.height, data: img.data };
    }
  } catch (e) {
    throw new ModelError('malformed', `cannot decode the image: ${(e as Error).message}`, { file });
  }
  throw new ModelError('unknown-format', 'not a PNG or JPEG image', { file, offset: 0 });
}

/** Bilinear resize of an RGBA image (pixel centers aligned, like most image libraries). */
export function resizeBilinear(img: RgbaImage, width: number, height: number): RgbaImage {
  if (img.width === width && img.height === height) return img;
  const out = new Uint8Array(width * height * 4);
  const sx = img.width / width, sy = img.height / height;
  for (let y = 0; y < height; y++) {
    const fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), img.height - 1);
    const y0 = Math.floor(fy), y1 = Math.min(y0 + 1, img.height - 1), wy = fy - y0;
    for (let x = 0; x < width; x++) {
      const fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), img.width - 1);
      const x0 = Math.floor(fx), x1 = Math.min(x0 + 1, img.width - 1), wx = fx - x0;
      for (let c = 0; c < 4; c++) {
        const a = img.data[(y0 * img.width + x0) * 4 + c], b = img.data[(y0 * img.width + x1) * 4 + c];
        const d = img.data[(y1 * img.width + x0) * 4 + c], e = img.data[(y1 * img.width + x1) * 4 + c];
        const top = a + (b - a) * wx, bottom = d + (e - d) * wx;
        out[(y * width + x) * 4 + c] = Math.round(top + (bottom - top) * wy);
      }
    }
  }
  return { width, height, data: out };
}

/**
 * Turns an image into a tensor of `shape` (rank 4 [1,C,H,W] / [1,H,W,C], or rank 3 without batch).
 * C may be 1 (grey: mean of R, G, B) or 3. Integer dtypes get the raw (unnormalized) pixel values.
 */
export function imageToTensor(name: string, img: RgbaImage, dtype: DataType, shape: number[], options: ImageOptions = {}, file = '<image>'): RuntimeTensor {
  const dims = shape.length === 4 ? shape.slice(1) : shape.length === 3 ? shape : null;
  if (!dims || (shape.length === 4 && shape[0] !== 1)) throw new ModelError('unsupported', `an image fills a [1, C, H, W] or [1, H, W, C] input; this input is [${shape.join(', ')}]`, { file, tensor: name });
  const layout = options.layout && options.layout !== 'auto' ? options.layout : dims[0] === 1 || dims[0] === 3 ? 'nchw' : 'nhwc';
  const [c, h, w] = layout === 'nchw' ? [dims[0], dims[1], dims[2]] : [dims[2], dims[0], dims[1]];
  if (c !== 1 && c !== 3) throw new ModelError('unsupported', `an image has 1 or 3 channels; this input wants ${c} (layout ${layout.toUpperCase()})`, { file, tensor: name });
  const resized = resizeBilinear(img, w, h);
  const integer = !dtype.startsWith('float');
  const scale = integer ? 1 : options.scale ?? 1 / 255;
  const mean = integer ? [0, 0, 0] : options.mean ?? [0, 0, 0];
  const std = integer ? [1, 1, 1] : options.std ?? [1, 1, 1];
  const order = options.channelOrder === 'bgr' ? [2, 1, 0] : [0, 1, 2];
  const values = new Float64Array(c * h * w);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const p = (y * w + x) * 4;
      for (let k = 0; k < c; k++) {
        const raw = c === 1 ? (resized.data[p] + resized.data[p + 1] + resized.data[p + 2]) / 3 : resized.data[p + order[k]];
        const m = mean[k % mean.length] ?? 0, s = std[k % std.length] ?? 1;
        const v = (raw * scale - m) / s;
        const at = layout === 'nchw' ? k * h * w + y * w + x : (y * w + x) * c + k;
        values[at] = v;
      }
    }
  }
  return { name, dtype, shape: [...shape], data: fromNumbers(dtype, values) };
}

/** Reads an image file into a tensor for an input of `shape`. */
export async function readImageInput(file: string, name: string, dtype: DataType, shape: number[], options: ImageOptions = {}): Promise<RuntimeTensor> {
  let bytes: Uint8Array;
  try { bytes = await readFile(file); } catch (e) {
    throw new ModelError('not-found', `cannot read: ${(e as Error).message}`, { file });
  }
  return imageToTensor(name, decodeImage(bytes, file), dtype, shape, options, file);
}

/** True for file names the image loader reads. */
export function isImageFile(file: string): boolean {
  return /\.(png|jpe?g)$/i.test(file);
}
