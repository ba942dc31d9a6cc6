/**
 * A minimal PNG encoder (8-bit grey, grey+alpha, RGB or RGBA, no interlace) built on node:zlib;
 * `tf.node.encodePng` and the display layer's images both use it.
 */
import { deflateSync } from "node:zlib";

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (ISO 3309), the checksum of every PNG chunk. */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, "ascii");
  Buffer.from(data.buffer, data.byteOffset, data.byteLength).copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** Channels per pixel: 1 = grey, 2 = grey + alpha, 3 = RGB, 4 = RGBA. */
export type PngChannels = 1 | 2 | 3 | 4;

const COLOUR_TYPE: Record<PngChannels, number> = { 1: 0, 2: 4, 3: 2, 4: 6 };

/**
 * Encodes 8-bit pixels (row-major, `channels` bytes per pixel) as a PNG file.
 * `level` is zlib's compression level (-1 = zlib's default, 0 = none … 9 = smallest).
 * @example encodePng(new Uint8Array([0, 255, 255, 0]), 2, 2, 1) // a 2×2 checkerboard
 */
export function encodePng(
  pixels: Uint8Array,
  width: number,
  height: number,
  channels: PngChannels,
  level = -1,
): Buffer {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new Error(`encodePng: width and height must be positive integers, got ${width}×${height}`);
  }
  if (!(channels in COLOUR_TYPE)) throw new Error(`encodePng: channels must be 1, 2, 3 or 4, got ${channels}`);
  if (!Number.isInteger(level) || level < -1 || level > 9) {
    throw new Error(`encodePng: compression must be an integer from -1 to 9, got ${level}`);
  }
  if (pixels.length !== width * height * channels) {
    throw new Error(
      `encodePng: expected ${width * height * channels} bytes for ${width}×${height}×${channels}, got ${pixels.length}`,
    );
  }
  const stride = width * channels;
  const raw = new Uint8Array((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0; // filter: none
    raw.set(pixels.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = COLOUR_TYPE[channels];
  header[10] = 0;
  header[11] = 0;
  header[12] = 0;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(raw, { level })),
    chunk("IEND", new Uint8Array(0)),
  ]);
}
