/** Option parsing and shape arithmetic shared by layers. */
import type { Shape } from "../topology.js";

export type PaddingMode = "valid" | "same";

/** A number or a tuple of `n` numbers, as a tuple. */
export function tuple(name: string, value: number | number[] | undefined, n: number, fallback: number[]): number[] {
  if (value === undefined || value === null) return fallback.slice();
  const t = typeof value === "number" ? new Array<number>(n).fill(value) : value.slice();
  if (t.length !== n || t.some((v) => !Number.isInteger(v) || v <= 0)) {
    throw new Error(`${name} must be a positive integer or ${n} of them, got ${JSON.stringify(value)}`);
  }
  return t;
}

export function padding(name: string, value: string | undefined): PaddingMode {
  const p = value ?? "valid";
  if (p !== "valid" && p !== "same") throw new Error(`${name}: padding must be 'valid' or 'same', got '${p}'`);
  return p;
}

export function checkChannelsLast(name: string, dataFormat: string | undefined): void {
  if (dataFormat !== undefined && dataFormat !== "channelsLast" && dataFormat !== "channels_last") {
    throw new Error(`${name}: only dataFormat 'channelsLast' is supported, got '${dataFormat}'`);
  }
}

/** Output length of a window sweep along one axis. */
export function convLength(
  length: number | null,
  window: number,
  pad: PaddingMode,
  stride: number,
  dilation = 1,
): number | null {
  if (length === null) return null;
  const effective = (window - 1) * dilation + 1;
  return pad === "same" ? Math.ceil(length / stride) : Math.ceil((length - effective + 1) / stride);
}

export function positiveInt(name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value <= 0) {
    throw new Error(`${name} must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return value;
}

export function lastDim(layer: string, shape: Shape): number {
  const d = shape[shape.length - 1];
  if (d === null || d === undefined)
    throw new Error(`${layer}: the last dimension of the input must be known, got shape [${shape}]`);
  return d;
}

export function expectRank(layer: string, shape: Shape, rank: number, what: string): void {
  if (shape.length !== rank)
    throw new Error(`${layer} expects ${what} (rank ${rank}), got shape [${shape.map((d) => d ?? "null")}]`);
}
