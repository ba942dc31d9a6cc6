/**
 * BMP decoder: uncompressed 1/4/8-bit palette, 16-bit (5-5-5 or bit fields), 24-bit BGR and 32-bit
 * BGRA (or bit fields) images, bottom-up or top-down. RLE-compressed files are refused.
 */
import type { RawImage } from "./raw-image.js";

const BI_RGB = 0;
const BI_BITFIELDS = 3;
const BI_ALPHABITFIELDS = 6;

function fail(message: string): never {
  throw new Error(`decodeBmp: ${message}`);
}

/** Reads a channel through a bit mask, scaled to 0..255 (0 when the mask is empty). */
function maskReader(mask: number): (v: number) => number {
  if (mask === 0) return () => 0;
  let shift = 0;
  while (((mask >>> shift) & 1) === 0) shift++;
  const max = mask >>> shift;
  return (v) => Math.floor((((v & mask) >>> shift) * 255) / max);
}

/**
 * Decodes a BMP file to 8-bit pixels: 24-bit and 16-bit images as RGB (3), 32-bit as RGBA (4), a
 * palette image as grey (1) when its palette is all grey, else RGB.
 */
export function decodeBmpImage(bytes: Uint8Array): RawImage {
  if (bytes.length < 26 || bytes[0] !== 0x42 || bytes[1] !== 0x4d) fail("not a BMP file (no 'BM' signature)");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dataOffset = view.getUint32(10, true);
  const infoSize = view.getUint32(14, true);
  const core = infoSize === 12;
  if (!core && infoSize < 40) fail(`unknown header size ${infoSize}`);
  if (14 + infoSize > bytes.length) fail("the file is truncated inside its header");
  const width = core ? view.getUint16(18, true) : view.getInt32(18, true);
  const rawHeight = core ? view.getInt16(22, true) : view.getInt32(22, true);
  const bitCount = view.getUint16(core ? 24 : 28, true);
  const compression = core ? BI_RGB : view.getUint32(30, true);
  const topDown = rawHeight < 0;
  const height = Math.abs(rawHeight);
  if (width <= 0 || height === 0) fail(`invalid size ${width}×${rawHeight}`);
  if (![1, 4, 8, 16, 24, 32].includes(bitCount)) fail(`${bitCount} bits per pixel is not supported`);
  if (compression !== BI_RGB && compression !== BI_BITFIELDS && compression !== BI_ALPHABITFIELDS) {
    fail(`compressed BMP (method ${compression}, e.g. RLE) is not supported`);
  }

  let masks: [number, number, number, number] | undefined;
  if (bitCount === 16 || bitCount === 32) {
    if (compression === BI_RGB) {
      masks = bitCount === 16 ? [0x7c00, 0x03e0, 0x001f, 0] : [0x00ff0000, 0x0000ff00, 0x000000ff, 0xff000000];
    } else {
      // The masks follow a 40-byte header, or sit inside a V2+ header at the same place.
      const at = 14 + 40;
      if (at + 12 > bytes.length) fail("the file is truncated inside its bit masks");
      const alpha = infoSize >= 56 || compression === BI_ALPHABITFIELDS ? view.getUint32(at + 12, true) : 0;
      masks = [view.getUint32(at, true), view.getUint32(at + 4, true), view.getUint32(at + 8, true), alpha];
    }
  }

  let palette: Uint8Array | undefined;
  let paletteGrey = false;
  if (bitCount <= 8) {
    const entrySize = core ? 3 : 4;
    const stated = core ? 0 : view.getUint32(46, true);
    const count = stated || 1 << bitCount;
    const start = 14 + infoSize;
    if (start + count * entrySize > bytes.length) fail("the file is truncated inside its palette");
    palette = new Uint8Array(count * 3);
    paletteGrey = true;
    for (let i = 0; i < count; i++) {
      const b = bytes[start + i * entrySize]!;
      const g = bytes[start + i * entrySize + 1]!;
      const r = bytes[start + i * entrySize + 2]!;
      palette.set([r, g, b], i * 3);
      if (r !== g || g !== b) paletteGrey = false;
    }
  }

  const channels = palette ? (paletteGrey ? 1 : 3) : bitCount === 32 ? 4 : 3;
  const stride = Math.ceil((width * bitCount) / 32) * 4;
  if (dataOffset + stride * height > bytes.length) fail("the file is truncated (pixel data missing)");
  const out = new Uint8Array(width * height * channels);
  const readers = masks?.map(maskReader);
  for (let y = 0; y < height; y++) {
    const row = dataOffset + (topDown ? y : height - 1 - y) * stride;
    for (let x = 0; x < width; x++) {
      const d = (y * width + x) * channels;
      if (palette) {
        const bit = x * bitCount;
        const index = (bytes[row + (bit >> 3)]! >> (8 - bitCount - (bit & 7))) & ((1 << bitCount) - 1);
        if (3 * index + 2 >= palette.length) fail(`palette index ${index} is out of range`);
        out[d] = palette[3 * index]!;
        if (channels === 3) {
          out[d + 1] = palette[3 * index + 1]!;
          out[d + 2] = palette[3 * index + 2]!;
        }
      } else if (bitCount === 24) {
        const s = row + x * 3;
        out[d] = bytes[s + 2]!;
        out[d + 1] = bytes[s + 1]!;
        out[d + 2] = bytes[s]!;
      } else {
        const v = bitCount === 16 ? view.getUint16(row + x * 2, true) : view.getUint32(row + x * 4, true);
        for (let c = 0; c < channels; c++) out[d + c] = readers![c]!(v);
      }
    }
  }
  return { width, height, channels, data: out };
}
