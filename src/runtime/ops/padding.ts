/** Window arguments shared by the convolution and pooling ops: strides/dilation pairs and padding. */
import type { Padding2D } from "../kernels.js";

/** 'same', 'valid', a number (the same pad on every side), or `[[0,0],[top,bottom],[left,right],[0,0]]`. */
export type PaddingArg = "same" | "valid" | number | number[][];

export function pair(op: string, name: string, v: number | [number, number] | number[]): [number, number] {
  const p = typeof v === "number" ? [v, v] : v;
  if (!Array.isArray(p) || p.length !== 2 || p.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new Error(`${op}: ${name} must be a positive integer or a pair of them, got ${JSON.stringify(v)}`);
  }
  return [p[0], p[1]];
}

export function resolvePad(
  op: string,
  pad: PaddingArg,
  inH: number,
  inW: number,
  effH: number,
  effW: number,
  strides: [number, number],
): { pad: Padding2D; outH: number; outW: number } {
  let p: Padding2D;
  if (pad === "same") {
    const outH = Math.ceil(inH / strides[0]);
    const outW = Math.ceil(inW / strides[1]);
    const padH = Math.max(0, (outH - 1) * strides[0] + effH - inH);
    const padW = Math.max(0, (outW - 1) * strides[1] + effW - inW);
    p = {
      top: Math.floor(padH / 2),
      bottom: padH - Math.floor(padH / 2),
      left: Math.floor(padW / 2),
      right: padW - Math.floor(padW / 2),
    };
  } else if (pad === "valid") {
    p = { top: 0, bottom: 0, left: 0, right: 0 };
  } else if (typeof pad === "number") {
    if (!Number.isInteger(pad) || pad < 0)
      throw new Error(`${op}: numeric padding must be a non-negative integer, got ${pad}`);
    p = { top: pad, bottom: pad, left: pad, right: pad };
  } else if (Array.isArray(pad) && pad.length === 4 && pad.every((q) => Array.isArray(q) && q.length === 2)) {
    p = { top: pad[1][0], bottom: pad[1][1], left: pad[2][0], right: pad[2][1] };
    if (pad[0][0] || pad[0][1] || pad[3][0] || pad[3][1])
      throw new Error(`${op}: explicit padding of the batch or channel axis is not supported`);
  } else {
    throw new Error(
      `${op}: padding must be 'same', 'valid', a number or [[0,0],[top,bottom],[left,right],[0,0]], got ${JSON.stringify(pad)}`,
    );
  }
  const outH = Math.floor((inH + p.top + p.bottom - effH) / strides[0]) + 1;
  const outW = Math.floor((inW + p.left + p.right - effW) / strides[1]) + 1;
  if (outH <= 0 || outW <= 0) {
    throw new Error(
      `${op}: the window (${effH}×${effW}) is larger than the padded input (${inH + p.top + p.bottom}×${inW + p.left + p.right})`,
    );
  }
  return { pad: p, outH, outW };
}
