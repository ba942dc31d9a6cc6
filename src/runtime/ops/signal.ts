/** `tf.signal`: window functions and framing (the complex-valued stft is not available: no complex dtype). */
import { getEngine } from "../engine.js";
import type { Tensor, TensorLike } from "../tensor.js";
import { convert } from "./convert.js";
import { gather, pad, reshape } from "./shape.js";
import { shapeStr } from "./util.js";

/**
 * A generalised cosine window of `windowLength` samples: `a − b·cos(2πi / (N − 1))`, with N the
 * length rounded up to odd (a periodic window for even lengths, as TF does).
 * Example: `tf.cosineWindow(8, 0.5, 0.5)` is a Hann window.
 */
export function cosineWindow(windowLength: number, a: number, b: number): Tensor {
  if (!Number.isInteger(windowLength) || windowLength < 1) {
    throw new Error(`cosineWindow: windowLength must be a positive integer, got ${windowLength}`);
  }
  // One sample: TF's windows are [1] (the formula would divide by zero).
  if (windowLength === 1) return getEngine().makeTensor(Float32Array.of(1), [1], "float32");
  const even = 1 - (windowLength % 2);
  const values = new Float32Array(windowLength);
  for (let i = 0; i < windowLength; i++) values[i] = a - b * Math.cos((2 * Math.PI * i) / (windowLength + even - 1));
  return getEngine().makeTensor(values, [windowLength], "float32");
}

/** A Hann window (`0.5 − 0.5·cos`). Example: `tf.signal.hannWindow(256)`. */
export function hannWindow(windowLength: number): Tensor {
  return cosineWindow(windowLength, 0.5, 0.5);
}

/** A Hamming window (`0.54 − 0.46·cos`). Example: `tf.signal.hammingWindow(256)`. */
export function hammingWindow(windowLength: number): Tensor {
  return cosineWindow(windowLength, 0.54, 0.46);
}

/**
 * Slices a 1-D signal into frames `[numFrames, frameLength]`, one every `frameStep` samples. With
 * `padEnd` the last frames run past the end and are filled with `padValue`.
 * Example: `tf.signal.frame(tf.range(0, 8), 4, 2)` → frames starting at 0, 2, 4.
 */
export function frame(
  signal: TensorLike,
  frameLength: number,
  frameStep: number,
  padEnd = false,
  padValue = 0,
): Tensor {
  const s = convert(signal, "signal", "frame");
  if (s.rank !== 1) throw new Error(`frame: signal must be 1-D, got ${shapeStr(s.shape)}`);
  if (!Number.isInteger(frameLength) || frameLength < 1 || !Number.isInteger(frameStep) || frameStep < 1) {
    throw new Error(`frame: frameLength and frameStep must be positive integers, got ${frameLength} and ${frameStep}`);
  }
  const n = s.size;
  const starts: number[] = [];
  let start = 0;
  for (; start + frameLength <= n; start += frameStep) starts.push(start);
  if (padEnd) for (; start < n; start += frameStep) starts.push(start);
  if (starts.length === 0)
    return getEngine().makeTensor(new Float32Array(0), [0, frameLength], s.dtype === "int32" ? "int32" : "float32");
  const last = starts[starts.length - 1] + frameLength;
  const source = last > n ? pad(s, [[0, last - n]], padValue) : s;
  const idx = new Int32Array(starts.length * frameLength);
  starts.forEach((st, f) => {
    for (let k = 0; k < frameLength; k++) idx[f * frameLength + k] = st + k;
  });
  return reshape(gather(source, getEngine().makeTensor(idx, [idx.length], "int32")), [starts.length, frameLength]);
}

/** `tf.signal`: `hannWindow`, `hammingWindow`, `frame`. Example: `tf.signal.frame(audio, 256, 128).mul(tf.signal.hannWindow(256))`. */
export const signal = { hannWindow, hammingWindow, frame };
