// Draws the kernelspec logos (a blue tile with "TS" over a small network motif) as PNGs with zlib.
// Run: node kernel/make-logos.mjs
import { writeFileSync } from "node:fs";
import { deflateSync } from "node:zlib";

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
};

function png(size, pixel) {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    for (let x = 0; x < size; x++) raw.set(pixel(x / size, y / size), y * (size * 4 + 1) + 1 + x * 4);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

// 5x7 glyphs for "T" and "S".
const GLYPHS = {
  T: ["11111", "00100", "00100", "00100", "00100", "00100", "00100"],
  S: ["01111", "10000", "10000", "01110", "00001", "00001", "11110"],
};
const BLUE = [49, 120, 198, 255];
const WHITE = [255, 255, 255, 255];
const ORANGE = [255, 145, 40, 255];
const CLEAR = [0, 0, 0, 0];
const nodes = [
  [0.2, 0.82],
  [0.5, 0.74],
  [0.8, 0.82],
];

function pixel(u, v) {
  // Rounded tile.
  const r = 0.16;
  const cx = Math.min(Math.max(u, r), 1 - r);
  const cy = Math.min(Math.max(v, r), 1 - r);
  if ((u - cx) ** 2 + (v - cy) ** 2 > r * r) return CLEAR;
  // Letters in the upper part: each glyph 5x7 cells.
  const cell = 0.058;
  const top = 0.14;
  for (const [i, ch] of ["T", "S"].entries()) {
    const left = 0.17 + i * 0.36;
    const gx = Math.floor((u - left) / cell);
    const gy = Math.floor((v - top) / cell);
    if (gx >= 0 && gx < 5 && gy >= 0 && gy < 7 && GLYPHS[ch][gy][gx] === "1") return WHITE;
  }
  // Network motif along the bottom.
  for (const [nx, ny] of nodes) if ((u - nx) ** 2 + (v - ny) ** 2 < 0.07 ** 2) return ORANGE;
  for (let i = 0; i < nodes.length - 1; i++) {
    const [x0, y0] = nodes[i];
    const [x1, y1] = nodes[i + 1];
    const t = Math.min(
      1,
      Math.max(0, ((u - x0) * (x1 - x0) + (v - y0) * (y1 - y0)) / ((x1 - x0) ** 2 + (y1 - y0) ** 2)),
    );
    if ((u - (x0 + t * (x1 - x0))) ** 2 + (v - (y0 + t * (y1 - y0))) ** 2 < 0.022 ** 2) return ORANGE;
  }
  return BLUE;
}

for (const size of [32, 64]) {
  writeFileSync(new URL(`./logo-${size}x${size}.png`, import.meta.url), png(size, pixel));
}
