/**
 * GIF decoder through `omggif` (pure JavaScript): every frame composited onto the one before, as
 * TensorFlow's DecodeGif does (transparent pixels and the area outside a frame keep the previous
 * frame's colour; the first frame starts from black).
 */
import { createRequire } from "node:module";
import type { GifReader } from "omggif";

/** omggif, required on the first decode rather than with the runtime (which every kernel loads at start). */
let omggif: typeof import("omggif") | undefined;

/** All frames as RGB: `data` holds `frames` images of `height`×`width`×3 bytes. */
export interface GifFrames {
  frames: number;
  width: number;
  height: number;
  data: Uint8Array;
}

export function decodeGifFrames(bytes: Uint8Array): GifFrames {
  let reader: GifReader;
  try {
    omggif ??= createRequire(import.meta.url)("omggif") as typeof import("omggif");
    reader = new omggif.GifReader(bytes);
  } catch (e) {
    throw new Error(`decodeGif: invalid GIF data (${(e as Error).message})`);
  }
  const { width, height } = reader;
  const frames = reader.numFrames();
  if (frames === 0 || width === 0 || height === 0) throw new Error("decodeGif: the GIF has no image");
  const pixels = width * height;
  const canvas = new Uint8Array(pixels * 4);
  const data = new Uint8Array(frames * pixels * 3);
  for (let f = 0; f < frames; f++) {
    try {
      reader.decodeAndBlitFrameRGBA(f, canvas);
    } catch (e) {
      throw new Error(`decodeGif: frame ${f} is damaged (${(e as Error).message})`);
    }
    const base = f * pixels * 3;
    for (let p = 0; p < pixels; p++) {
      data[base + p * 3] = canvas[p * 4]!;
      data[base + p * 3 + 1] = canvas[p * 4 + 1]!;
      data[base + p * 3 + 2] = canvas[p * 4 + 2]!;
    }
  }
  return { frames, width, height, data };
}
