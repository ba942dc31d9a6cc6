/** Low-level recurrent cells as functions of tensors: basicLSTMCell and a stack of them (multiRNNCell). */
import type { Tensor, TensorLike } from "../tensor.js";
import { add, mul } from "./arithmetic.js";
import { convert } from "./convert.js";
import { matMul } from "./linalg.js";
import { concat, slice } from "./shape.js";
import { sigmoid, tanh } from "./unary.js";

/** One LSTM cell: `(data, c, h) → [newC, newH]`. */
export type LSTMCellFunc = (data: Tensor, c: Tensor, h: Tensor) => [Tensor, Tensor];

/**
 * One step of a basic LSTM cell: `[data, h]·lstmKernel + lstmBias` split into the input, candidate,
 * forget and output gates (in that order); `forgetBias` is added to the forget gate. Returns `[newC, newH]`.
 * Example: `const [c1, h1] = tf.basicLSTMCell(1, kernel, bias, x, c0, h0)`.
 */
export function basicLSTMCell(
  forgetBias: TensorLike,
  lstmKernel: TensorLike,
  lstmBias: TensorLike,
  data: TensorLike,
  c: TensorLike,
  h: TensorLike,
): [Tensor, Tensor] {
  const op = "basicLSTMCell";
  const x = convert(data, "data", op);
  const hPrev = convert(h, "h", op);
  const z = add(
    matMul(concat([x, hPrev], 1), convert(lstmKernel, "lstmKernel", op)),
    convert(lstmBias, "lstmBias", op),
  );
  const [batch, width] = z.shape;
  if (width % 4 !== 0) throw new Error(`${op}: the kernel's output width ${width} is not a multiple of 4 gates`);
  const units = width / 4;
  const gate = (k: number) => slice(z, [0, k * units], [batch, units]);
  const newC = add(
    mul(sigmoid(gate(0)), tanh(gate(1))),
    mul(convert(c, "c", op), sigmoid(add(convert(forgetBias, "forgetBias", op), gate(2)))),
  );
  const newH = mul(tanh(newC), sigmoid(gate(3)));
  return [newC, newH];
}

/**
 * Runs LSTM cells one after another, each feeding its new `h` to the next. Returns the new `c`s
 * and `h`s. Example: `const [cs, hs] = tf.multiRNNCell([cell1, cell2], x, [c1, c2], [h1, h2])`.
 */
export function multiRNNCell(
  lstmCells: LSTMCellFunc[],
  data: TensorLike,
  c: TensorLike[],
  h: TensorLike[],
): [Tensor[], Tensor[]] {
  if (!Array.isArray(lstmCells) || c.length !== lstmCells.length || h.length !== lstmCells.length) {
    throw new Error("multiRNNCell: lstmCells, c and h must be arrays of one length");
  }
  let input = convert(data, "data", "multiRNNCell");
  const cs: Tensor[] = [];
  const hs: Tensor[] = [];
  lstmCells.forEach((cell, i) => {
    const [ci, hi] = cell(input, convert(c[i], `c[${i}]`, "multiRNNCell"), convert(h[i], `h[${i}]`, "multiRNNCell"));
    cs.push(ci);
    hs.push(hi);
    input = hi;
  });
  return [cs, hs];
}
