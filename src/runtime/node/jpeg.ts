/**
 * JPEG through `jpeg-js` (pure JavaScript; baseline and progressive decoding, baseline encoding),
 * with what it leaves out: the stored component count, scaled decoding (`ratio`) and grey output.
 */
import { createRequire } from "node:module";
import type { RawImage } from "./raw-image.js";

type JpegJs = typeof import("jpeg-js");
let loaded: JpegJs | undefined;
/** jpeg-js, required on first use rather than with the runtime (which every kernel loads at start). */
const jpegJs = (): JpegJs => (loaded ??= createRequire(import.meta.url)("jpeg-js") as JpegJs);

/** Start-of-frame markers (every coding process but DHT/JPG/DAC, which share the range). */
const SOF_MARKERS = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

/** The number of colour components the frame header declares (1 grey, 3 YCbCr, 4 CMYK). */
function storedComponents(bytes: Uint8Array): number {
  let pos = 2;
  while (pos + 4 <= bytes.length) {
    if (bytes[pos] !== 0xff) return 3;
    const marker = bytes[pos + 1]!;
    if (marker === 0xff) {
      pos++;
      continue;
    }
    if (SOF_MARKERS.has(marker)) return pos + 9 < bytes.length ? bytes[pos + 9]! : 3;
    pos += 2 + ((bytes[pos + 2]! << 8) | bytes[pos + 3]!);
  }
  return 3;
}

/** Averages `ratio`×`ratio` blocks (libjpeg's scaled output size: the size divided, rounded up). */
function downscale(image: RawImage, ratio: number): RawImage {
  const { width, height, channels, data } = image;
  const w = Math.ceil(width / ratio);
  const h = Math.ceil(height / ratio);
  const out = new Uint8Array(w * h * channels);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let c = 0; c < channels; c++) {
        let sum = 0;
        let count = 0;
        for (let yy = y * ratio; yy < Math.min(height, (y + 1) * ratio); yy++) {
          for (let xx = x * ratio; xx < Math.min(width, (x + 1) * ratio); xx++) {
            sum += data[(yy * width + xx) * channels + c]!;
            count++;
          }
        }
        out[(y * w + x) * channels + c] = Math.round(sum / count);
      }
    }
  }
  return { width: w, height: h, channels, data: out };
}

/**
 * Decodes a JPEG file to 8-bit pixels: grey (1) when the file stores one component, else RGB (3)
 * (CMYK converted); `ratio` 2, 4 or 8 shrinks it, `tolerant` decodes what a damaged file has.
 */
export function decodeJpegImage(bytes: Uint8Array, ratio: number, tolerant: boolean): RawImage {
  if (bytes.length < 3 || bytes[0] !== 0xff || bytes[1] !== 0xd8) {
    throw new Error("decodeJpeg: not a JPEG file (no SOI marker)");
  }
  let decoded: { width: number; height: number; data: Uint8Array };
  try {
    decoded = jpegJs().decode(bytes, { useTArray: true, formatAsRGBA: false, tolerantDecoding: tolerant });
  } catch (e) {
    throw new Error(`decodeJpeg: invalid JPEG data (${(e as Error).message})`);
  }
  const { width, height, data } = decoded;
  if (!width || !height) throw new Error("decodeJpeg: invalid JPEG data (no image frame)");
  let image: RawImage = { width, height, channels: 3, data };
  if (storedComponents(bytes) === 1) {
    const grey = new Uint8Array(width * height);
    for (let p = 0; p < grey.length; p++) grey[p] = data[p * 3]!;
    image = { width, height, channels: 1, data: grey };
  }
  return ratio === 1 ? image : downscale(image, ratio);
}

/** Encodes 8-bit grey or RGB pixels as a baseline JPEG (always three components) at `quality` 0–100. */
export function encodeJpegImage(image: RawImage, quality: number): Uint8Array {
  const { width, height, channels, data } = image;
  const rgba = new Uint8Array(width * height * 4);
  for (let p = 0; p < width * height; p++) {
    const s = p * channels;
    rgba[p * 4] = data[s]!;
    rgba[p * 4 + 1] = data[channels === 1 ? s : s + 1]!;
    rgba[p * 4 + 2] = data[channels === 1 ? s : s + 2]!;
    rgba[p * 4 + 3] = 255;
  }
  const { data: encoded } = jpegJs().encode({ data: rgba, width, height }, quality);
  return new Uint8Array(encoded.buffer, encoded.byteOffset, encoded.byteLength);
}
