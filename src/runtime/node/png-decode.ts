/**
 * PNG decoder on node:zlib: every colour type (grey, RGB, palette, grey+alpha, RGBA), bit depths
 * 1–16, the five row filters and Adam7 interlacing. 16-bit samples keep their high byte and
 * sub-byte grey is scaled to 0..255, as libpng does for TensorFlow's 8-bit output.
 */
import { inflateSync } from "node:zlib";
import { crc32 } from "./png-encode.js";
import type { RawImage } from "./raw-image.js";

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Samples per pixel of each colour type, and the bit depths PNG allows for it. */
const COLOUR_TYPES: Record<number, { samples: number; depths: number[] }> = {
  0: { samples: 1, depths: [1, 2, 4, 8, 16] },
  2: { samples: 3, depths: [8, 16] },
  3: { samples: 1, depths: [1, 2, 4, 8] },
  4: { samples: 2, depths: [8, 16] },
  6: { samples: 4, depths: [8, 16] },
};

/** Adam7 passes: first column, first row, column step, row step. */
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

interface Header {
  width: number;
  height: number;
  depth: number;
  colourType: number;
  interlaced: boolean;
}

interface Chunks {
  header: Header;
  palette?: Uint8Array;
  transparency?: Uint8Array;
  data: Uint8Array;
}

function fail(message: string): never {
  throw new Error(`decodePng: ${message}`);
}

function readChunks(bytes: Uint8Array): Chunks {
  if (bytes.length < 8 || !SIGNATURE.every((b, i) => bytes[i] === b)) fail("not a PNG file (bad signature)");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let header: Header | undefined;
  let palette: Uint8Array | undefined;
  let transparency: Uint8Array | undefined;
  const idat: Uint8Array[] = [];
  let pos = 8;
  let ended = false;
  while (!ended) {
    if (pos + 12 > bytes.length) fail("the file is truncated (no IEND chunk)");
    const length = view.getUint32(pos);
    const type = String.fromCharCode(...bytes.subarray(pos + 4, pos + 8));
    if (pos + 12 + length > bytes.length) fail(`the file is truncated inside the ${type} chunk`);
    const body = bytes.subarray(pos + 8, pos + 8 + length);
    if (crc32(bytes.subarray(pos + 4, pos + 8 + length)) !== view.getUint32(pos + 8 + length)) {
      fail(`the ${type} chunk is corrupt (CRC mismatch)`);
    }
    if (type === "IHDR") {
      if (length !== 13) fail("IHDR chunk has the wrong length");
      const h = new DataView(body.buffer, body.byteOffset, 13);
      header = {
        width: h.getUint32(0),
        height: h.getUint32(4),
        depth: body[8]!,
        colourType: body[9]!,
        interlaced: body[12] === 1,
      };
      if (body[10] !== 0 || body[11] !== 0 || body[12]! > 1) fail("unknown compression, filter or interlace method");
    } else if (type === "PLTE") palette = body;
    else if (type === "tRNS") transparency = body;
    else if (type === "IDAT") idat.push(body);
    else if (type === "IEND") ended = true;
    pos += 12 + length;
  }
  if (!header) fail("no IHDR chunk");
  const kind = COLOUR_TYPES[header.colourType];
  if (!kind) fail(`unknown colour type ${header.colourType}`);
  if (!kind.depths.includes(header.depth))
    fail(`bit depth ${header.depth} is invalid for colour type ${header.colourType}`);
  if (header.width === 0 || header.height === 0) fail(`empty image (${header.width}×${header.height})`);
  if (header.colourType === 3 && !palette) fail("palette image without a PLTE chunk");
  if (idat.length === 0) fail("no IDAT chunk");
  return { header, palette, transparency, data: Buffer.concat(idat) };
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Reverses the row filters of one pass in place; returns its rows (filter bytes skipped). */
function unfilter(data: Uint8Array, offset: number, rows: number, stride: number, bpp: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  let prev: Uint8Array = new Uint8Array(stride);
  for (let y = 0; y < rows; y++) {
    const start = offset + y * (stride + 1);
    if (start + stride + 1 > data.length) fail("the image data is truncated");
    const filter = data[start]!;
    const row = data.subarray(start + 1, start + 1 + stride);
    for (let i = 0; i < stride; i++) {
      const left = i >= bpp ? row[i - bpp]! : 0;
      const up = prev[i]!;
      const upLeft = i >= bpp ? prev[i - bpp]! : 0;
      switch (filter) {
        case 0:
          break;
        case 1:
          row[i] = row[i]! + left;
          break;
        case 2:
          row[i] = row[i]! + up;
          break;
        case 3:
          row[i] = row[i]! + ((left + up) >> 1);
          break;
        case 4:
          row[i] = row[i]! + paeth(left, up, upLeft);
          break;
        default:
          fail(`unknown row filter ${filter}`);
      }
    }
    out.push(row);
    prev = row;
  }
  return out;
}

/**
 * Decodes a PNG file to 8-bit pixels: grey (1), grey+alpha (2), RGB (3) or RGBA (4) channels as
 * stored; a palette becomes RGB, or RGBA when it has transparency. A tRNS key colour of a grey or
 * RGB image is returned as `keyAlpha`.
 */
export function decodePngImage(bytes: Uint8Array): RawImage {
  const { header, palette, transparency, data: compressed } = readChunks(bytes);
  const { width, height, depth, colourType } = header;
  const samples = COLOUR_TYPES[colourType]!.samples;
  let data: Uint8Array;
  try {
    data = inflateSync(compressed);
  } catch (e) {
    fail(`the image data does not inflate (${(e as Error).message})`);
  }
  const isPalette = colourType === 3;
  const channels = isPalette ? (transparency ? 4 : 3) : samples;
  const out = new Uint8Array(width * height * channels);
  const hasKey = !isPalette && transparency !== undefined && (colourType === 0 || colourType === 2);
  const keyAlpha = hasKey ? new Uint8Array(width * height).fill(255) : undefined;
  const key = hasKey
    ? Array.from({ length: samples }, (_, s) => (transparency[2 * s]! << 8) | transparency[2 * s + 1]!)
    : [];
  const maxValue = (1 << depth) - 1;
  const bitsPerPixel = depth * samples;
  const bpp = Math.max(1, bitsPerPixel >> 3);

  const sample = (row: Uint8Array, x: number, s: number): number => {
    if (depth === 8) return row[x * samples + s]!;
    if (depth === 16) {
      const i = 2 * (x * samples + s);
      return (row[i]! << 8) | row[i + 1]!;
    }
    const bit = x * depth;
    return (row[bit >> 3]! >> (8 - depth - (bit & 7))) & maxValue;
  };
  const to8 = (v: number): number => (depth === 16 ? v >> 8 : depth < 8 ? (v * 255) / maxValue : v);

  const passes = header.interlaced ? ADAM7 : ([[0, 0, 1, 1]] as const);
  let offset = 0;
  for (const [x0, y0, dx, dy] of passes) {
    const passWidth = Math.ceil((width - x0) / dx);
    const passHeight = Math.ceil((height - y0) / dy);
    if (passWidth <= 0 || passHeight <= 0) continue;
    const stride = Math.ceil((passWidth * bitsPerPixel) / 8);
    const rows = unfilter(data, offset, passHeight, stride, bpp);
    offset += passHeight * (stride + 1);
    for (let py = 0; py < passHeight; py++) {
      const row = rows[py]!;
      const y = y0 + py * dy;
      for (let px = 0; px < passWidth; px++) {
        const p = y * width + x0 + px * dx;
        const d = p * channels;
        if (isPalette) {
          const index = sample(row, px, 0);
          if (3 * index + 2 >= palette!.length) fail(`palette index ${index} is out of range`);
          out[d] = palette![3 * index]!;
          out[d + 1] = palette![3 * index + 1]!;
          out[d + 2] = palette![3 * index + 2]!;
          if (channels === 4) out[d + 3] = index < transparency!.length ? transparency![index]! : 255;
          continue;
        }
        let isKey = hasKey;
        for (let s = 0; s < samples; s++) {
          const v = sample(row, px, s);
          if (isKey && v !== key[s]) isKey = false;
          out[d + s] = to8(v);
        }
        if (isKey) keyAlpha![p] = 0;
      }
    }
  }
  return { width, height, channels, data: out, keyAlpha };
}
