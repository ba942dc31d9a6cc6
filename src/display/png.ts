/** Nearest-neighbour upscaling for small images; the PNG encoder itself is the runtime's (shared with `tf.node`). */
export { encodePng, type PngChannels } from "../runtime/node/png-encode.js";

/** Scales an image up by an integer factor (nearest neighbour), so small images stay crisp. */
export function upscale(
  pixels: Uint8Array,
  width: number,
  height: number,
  channels: number,
  factor: number,
): Uint8Array {
  if (factor === 1) return pixels;
  const w2 = width * factor;
  const out = new Uint8Array(w2 * height * factor * channels);
  for (let y = 0; y < height * factor; y++) {
    const sy = Math.floor(y / factor);
    for (let x = 0; x < w2; x++) {
      const s = (sy * width + Math.floor(x / factor)) * channels;
      const d = (y * w2 + x) * channels;
      for (let c = 0; c < channels; c++) out[d + c] = pixels[s + c]!;
    }
  }
  return out;
}
