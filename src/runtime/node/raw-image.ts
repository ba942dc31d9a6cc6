/** Decoded pixels before they become a tensor, and the channel conversions every decoder shares. */

/** 8-bit pixels, row-major, `channels` bytes per pixel (1 grey, 2 grey+alpha, 3 RGB, 4 RGBA). */
export interface RawImage {
  width: number;
  height: number;
  channels: number;
  data: Uint8Array;
  /**
   * Per-pixel alpha a PNG's tRNS chunk gives a grey or RGB image (0 where the pixel has the key
   * colour, else 255); used only when an alpha channel is asked for, as libpng does.
   */
  keyAlpha?: Uint8Array;
}

/**
 * Grey from RGB with libpng's fixed-point weights for Rec. 601 (0.299, 0.587, rest for blue),
 * the conversion TensorFlow's decoders use; equal components stay as they are.
 */
export function greyOf(r: number, g: number, b: number): number {
  if (r === g && g === b) return r;
  return (9798 * r + 19235 * g + 3735 * b + 16384) >> 15;
}

/** Checks a `channels` argument: one of `allowed` (0 keeps what the file stores). */
export function checkChannels(fn: string, channels: number, allowed: readonly number[]): void {
  if (!allowed.includes(channels)) {
    throw new Error(`${fn}: channels must be one of ${allowed.join(", ")} (0 = as stored), got ${channels}`);
  }
}

/**
 * Converts an image to `channels` channels (0 keeps them): grey ↔ RGB, alpha added as opaque
 * (or from the PNG key colour), alpha dropped without compositing.
 */
export function convertChannels(image: RawImage, channels: number): RawImage {
  const from = image.channels;
  if (channels === 0 || channels === from) return image;
  const { width, height, data, keyAlpha } = image;
  const n = width * height;
  const out = new Uint8Array(n * channels);
  const fromColour = from >= 3;
  const fromAlpha = from === 2 || from === 4;
  const toColour = channels >= 3;
  const toAlpha = channels === 2 || channels === 4;
  for (let p = 0; p < n; p++) {
    const s = p * from;
    const d = p * channels;
    if (toColour) {
      if (fromColour) {
        out[d] = data[s]!;
        out[d + 1] = data[s + 1]!;
        out[d + 2] = data[s + 2]!;
      } else {
        out[d] = out[d + 1] = out[d + 2] = data[s]!;
      }
    } else {
      out[d] = fromColour ? greyOf(data[s]!, data[s + 1]!, data[s + 2]!) : data[s]!;
    }
    if (toAlpha) out[d + channels - 1] = fromAlpha ? data[s + from - 1]! : (keyAlpha?.[p] ?? 255);
  }
  return { width, height, channels, data: out };
}
