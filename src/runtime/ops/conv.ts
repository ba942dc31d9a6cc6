/**
 * Convolutions and pooling on NHWC images: conv2d, conv1d, depthwiseConv2d, conv2dTranspose,
 * maxPool, avgPool. Padding 'same'/'valid'/explicit is resolved here into explicit pads.
 */
import { getEngine } from "../engine.js";
import type { Conv2DAttrs, Pool2DAttrs } from "../kernels.js";
import type { Tensor, TensorLike } from "../tensor.js";
import { convert } from "./convert.js";
import { cast, gather, reshape } from "./shape.js";
import { pair, resolvePad, type PaddingArg } from "./padding.js";
import { maxPoolArgmax } from "./pool-argmax.js";
import { shapeStr } from "./util.js";

export type { PaddingArg };

function as4D(op: string, x: Tensor): [Tensor, boolean] {
  if (x.rank === 3) return [reshape(x, [1, ...x.shape]), true];
  if (x.rank !== 4)
    throw new Error(
      `${op}: input must be rank 4 [batch, height, width, channels] (or 3), got shape ${shapeStr(x.shape)}`,
    );
  return [x, false];
}

function floatInput(op: string, v: TensorLike, name: string): Tensor {
  const t = convert(v, name, op);
  return t.dtype === "float32" ? t : cast(t, "float32");
}

type ConvKernel = (a: Tensor, b: Tensor, attrs: Conv2DAttrs, outShape: number[]) => Tensor;

/**
 * A convolution kernel and its two gradient kernels (input and filter), each wired as the others'
 * gradient: all three are bilinear, so the gradient of ⟨G, dW⟩ is ⟨conv(x, G), dy⟩'s, and so on.
 */
function bilinearConvKernels(
  forwardKernel: "Conv2D" | "DepthwiseConv2D",
  inputKernel: "Conv2DBackpropInput" | "DepthwiseConv2DBackpropInput",
  filterKernel: "Conv2DBackpropFilter" | "DepthwiseConv2DBackpropFilter",
): { forward: ConvKernel; backpropInput: ConvKernel; backpropFilter: ConvKernel } {
  const forward: ConvKernel = (x, f, attrs, outShape) =>
    getEngine().runKernel(
      forwardKernel,
      [x, f],
      attrs,
      { shape: outShape, dtype: "float32" },
      (dy, [xs, fs], _y, needed) => [
        needed[0] ? backpropInput(dy, fs, attrs, xs.shape) : null,
        needed[1] ? backpropFilter(xs, dy, attrs, fs.shape) : null,
      ],
    );
  const backpropInput: ConvKernel = (dy, f, attrs, inShape) =>
    getEngine().runKernel(
      inputKernel,
      [dy, f],
      { ...attrs, inShape },
      { shape: inShape.slice(), dtype: "float32" },
      (ddx, [dys, fs], _dx, needed) => [
        needed[0] ? forward(ddx, fs, attrs, dys.shape) : null,
        needed[1] ? backpropFilter(ddx, dys, attrs, fs.shape) : null,
      ],
    );
  const backpropFilter: ConvKernel = (x, dy, attrs, filterShape) =>
    getEngine().runKernel(
      filterKernel,
      [x, dy],
      { ...attrs, filterShape },
      { shape: filterShape.slice(), dtype: "float32" },
      (ddw, [xs, dys], _dw, needed) => [
        needed[0] ? backpropInput(dys, ddw, attrs, xs.shape) : null,
        needed[1] ? forward(xs, ddw, attrs, dys.shape) : null,
      ],
    );
  return { forward, backpropInput, backpropFilter };
}

/**
 * 2-D convolution. `x`: [batch, h, w, inC] (NHWC); `filter`: [fh, fw, inC, outC].
 * Example: `tf.conv2d(images, kernel, 1, "same")`.
 */
export function conv2d(
  x: TensorLike,
  filter: TensorLike,
  strides: number | [number, number],
  pad: PaddingArg,
  dataFormat: "NHWC" = "NHWC",
  dilations: number | [number, number] = 1,
): Tensor {
  if (dataFormat !== "NHWC") throw new Error(`conv2d: only dataFormat 'NHWC' is supported, got '${dataFormat}'`);
  const [x4, squeezed] = as4D("conv2d", floatInput("conv2d", x, "x"));
  const f = floatInput("conv2d", filter, "filter");
  if (f.rank !== 4)
    throw new Error(`conv2d: filter must be rank 4 [fh, fw, inC, outC], got shape ${shapeStr(f.shape)}`);
  if (f.shape[2] !== x4.shape[3]) {
    throw new Error(
      `conv2d: input channels differ: x ${shapeStr(x4.shape)} has ${x4.shape[3]}, filter ${shapeStr(f.shape)} expects ${f.shape[2]}`,
    );
  }
  const s = pair("conv2d", "strides", strides);
  const d = pair("conv2d", "dilations", dilations);
  if ((s[0] > 1 || s[1] > 1) && (d[0] > 1 || d[1] > 1))
    throw new Error("conv2d: strides and dilations cannot both be > 1");
  const effH = (f.shape[0] - 1) * d[0] + 1;
  const effW = (f.shape[1] - 1) * d[1] + 1;
  const { pad: p, outH, outW } = resolvePad("conv2d", pad, x4.shape[1], x4.shape[2], effH, effW, s);
  const attrs: Conv2DAttrs = { strides: s, pad: p, dilations: d };
  const y = conv2dRaw(x4, f, attrs, [x4.shape[0], outH, outW, f.shape[3]]);
  return squeezed ? reshape(y, y.shape.slice(1)) : y;
}

const conv2dKernels = bilinearConvKernels("Conv2D", "Conv2DBackpropInput", "Conv2DBackpropFilter");
const conv2dRaw = conv2dKernels.forward;
const conv2dBackpropInput = conv2dKernels.backpropInput;

/**
 * Transposed convolution (the gradient of conv2d with respect to its input), used to upsample.
 * `filter`: [fh, fw, outC, inC]; `outputShape`: [batch, h, w, outC].
 */
export function conv2dTranspose(
  x: TensorLike,
  filter: TensorLike,
  outputShape: number[],
  strides: number | [number, number],
  pad: "same" | "valid" | number,
): Tensor {
  const [x4, squeezed] = as4D("conv2dTranspose", floatInput("conv2dTranspose", x, "x"));
  const f = floatInput("conv2dTranspose", filter, "filter");
  const out = outputShape.length === 3 ? [1, ...outputShape] : outputShape.slice();
  if (f.rank !== 4 || out.length !== 4)
    throw new Error(`conv2dTranspose: filter must be rank 4 and outputShape rank 4 (or 3)`);
  if (f.shape[3] !== x4.shape[3] || f.shape[2] !== out[3]) {
    throw new Error(
      `conv2dTranspose: channels differ: x ${shapeStr(x4.shape)}, filter ${shapeStr(f.shape)}, outputShape ${shapeStr(out)}`,
    );
  }
  const s = pair("conv2dTranspose", "strides", strides);
  const { pad: p, outH, outW } = resolvePad("conv2dTranspose", pad, out[1], out[2], f.shape[0], f.shape[1], s);
  if (outH !== x4.shape[1] || outW !== x4.shape[2]) {
    throw new Error(
      `conv2dTranspose: outputShape ${shapeStr(out)} does not match input ${shapeStr(x4.shape)} for these strides and padding`,
    );
  }
  const y = conv2dBackpropInput(x4, f, { strides: s, pad: p, dilations: [1, 1] }, out);
  return squeezed ? reshape(y, y.shape.slice(1)) : y;
}

/**
 * 1-D convolution. `x`: [batch, width, inC]; `filter`: [fw, inC, outC].
 * Example: `tf.conv1d(signal, kernel, 1, "same")`.
 */
export function conv1d(
  x: TensorLike,
  filter: TensorLike,
  stride: number,
  pad: "same" | "valid" | number,
  dataFormat: "NWC" = "NWC",
  dilation = 1,
): Tensor {
  if (dataFormat !== "NWC") throw new Error(`conv1d: only dataFormat 'NWC' is supported, got '${dataFormat}'`);
  const t = floatInput("conv1d", x, "x");
  const f = floatInput("conv1d", filter, "filter");
  const squeezed = t.rank === 2;
  const x3 = squeezed ? reshape(t, [1, ...t.shape]) : t;
  if (x3.rank !== 3)
    throw new Error(`conv1d: input must be rank 3 [batch, width, channels] (or 2), got shape ${shapeStr(t.shape)}`);
  if (f.rank !== 3) throw new Error(`conv1d: filter must be rank 3 [fw, inC, outC], got shape ${shapeStr(f.shape)}`);
  const x4 = reshape(x3, [x3.shape[0], 1, x3.shape[1], x3.shape[2]]);
  const f4 = reshape(f, [1, ...f.shape]);
  const padArg: PaddingArg =
    typeof pad === "number"
      ? [
          [0, 0],
          [0, 0],
          [pad, pad],
          [0, 0],
        ]
      : pad;
  const y = conv2d(x4, f4, [1, stride], padArg, "NHWC", [1, dilation]);
  const y3 = reshape(y, [y.shape[0], y.shape[2], y.shape[3]]);
  return squeezed ? reshape(y3, y3.shape.slice(1)) : y3;
}

/**
 * Depthwise 2-D convolution: each input channel has its own `multiplier` filters.
 * `filter`: [fh, fw, inC, multiplier]; output channels inC·multiplier.
 */
export function depthwiseConv2d(
  x: TensorLike,
  filter: TensorLike,
  strides: number | [number, number],
  pad: PaddingArg,
  dataFormat: "NHWC" = "NHWC",
  dilations: number | [number, number] = 1,
): Tensor {
  if (dataFormat !== "NHWC") throw new Error(`depthwiseConv2d: only dataFormat 'NHWC' is supported`);
  const [x4, squeezed] = as4D("depthwiseConv2d", floatInput("depthwiseConv2d", x, "x"));
  const f = floatInput("depthwiseConv2d", filter, "filter");
  if (f.rank !== 4)
    throw new Error(`depthwiseConv2d: filter must be rank 4 [fh, fw, inC, multiplier], got ${shapeStr(f.shape)}`);
  if (f.shape[2] !== x4.shape[3]) {
    throw new Error(
      `depthwiseConv2d: input channels differ: x ${shapeStr(x4.shape)} has ${x4.shape[3]}, filter ${shapeStr(f.shape)} expects ${f.shape[2]}`,
    );
  }
  const s = pair("depthwiseConv2d", "strides", strides);
  const d = pair("depthwiseConv2d", "dilations", dilations);
  const effH = (f.shape[0] - 1) * d[0] + 1;
  const effW = (f.shape[1] - 1) * d[1] + 1;
  const { pad: p, outH, outW } = resolvePad("depthwiseConv2d", pad, x4.shape[1], x4.shape[2], effH, effW, s);
  const attrs: Conv2DAttrs = { strides: s, pad: p, dilations: d };
  const y = depthwiseRaw(x4, f, attrs, [x4.shape[0], outH, outW, f.shape[2] * f.shape[3]]);
  return squeezed ? reshape(y, y.shape.slice(1)) : y;
}

const depthwiseRaw = bilinearConvKernels(
  "DepthwiseConv2D",
  "DepthwiseConv2DBackpropInput",
  "DepthwiseConv2DBackpropFilter",
).forward;

/**
 * Depthwise convolution followed by a 1×1 (pointwise) convolution that mixes channels.
 * `depthwiseFilter`: [fh, fw, inC, multiplier]; `pointwiseFilter`: [1, 1, inC·multiplier, outC].
 */
export function separableConv2d(
  x: TensorLike,
  depthwiseFilter: TensorLike,
  pointwiseFilter: TensorLike,
  strides: number | [number, number],
  pad: PaddingArg,
  dilation: number | [number, number] = 1,
  dataFormat: "NHWC" = "NHWC",
): Tensor {
  const pw = floatInput("separableConv2d", pointwiseFilter, "pointwiseFilter");
  if (pw.rank !== 4 || pw.shape[0] !== 1 || pw.shape[1] !== 1) {
    throw new Error(
      `separableConv2d: pointwiseFilter must have shape [1, 1, inC·multiplier, outC], got ${shapeStr(pw.shape)}`,
    );
  }
  const depthwise = depthwiseConv2d(x, depthwiseFilter, strides, pad, dataFormat, dilation);
  return conv2d(depthwise, pw, 1, "valid", dataFormat);
}

function poolSetup(
  op: string,
  x: TensorLike,
  filterSize: number | [number, number],
  strides: number | [number, number],
  pad: PaddingArg,
): { x4: Tensor; squeezed: boolean; attrs: Pool2DAttrs; outShape: number[] } {
  const [x4, squeezed] = as4D(op, floatInput(op, x, "x"));
  const fs = pair(op, "filterSize", filterSize);
  const s = pair(op, "strides", strides);
  const { pad: p, outH, outW } = resolvePad(op, pad, x4.shape[1], x4.shape[2], fs[0], fs[1], s);
  return {
    x4,
    squeezed,
    attrs: { filterSize: fs, strides: s, pad: p },
    outShape: [x4.shape[0], outH, outW, x4.shape[3]],
  };
}

/** Max over `filterSize` windows. Example: `tf.maxPool(x, 2, 2, "valid")`. */
export function maxPool(
  x: TensorLike,
  filterSize: number | [number, number],
  strides: number | [number, number],
  pad: PaddingArg,
): Tensor {
  const { x4, squeezed, attrs, outShape } = poolSetup("maxPool", x, filterSize, strides, pad);
  const e = getEngine();
  const y = e.runKernel("MaxPool", [x4], attrs, { shape: outShape, dtype: "float32" }, (dy, [xs]) => [
    maxPoolGrad(dy, xs, attrs),
  ]);
  return squeezed ? reshape(y, y.shape.slice(1)) : y;
}

/**
 * Routes each `dy` value to the first maximum of its window. Its own gradient: none for `x`
 * (piecewise constant), and for `dy` the values of `g` at those maxima (read from `x` on the host).
 */
function maxPoolGrad(dy: Tensor, x: Tensor, attrs: Pool2DAttrs): Tensor {
  return getEngine().runKernel(
    "MaxPoolGrad",
    [dy, x],
    attrs,
    { shape: x.shape.slice(), dtype: "float32" },
    (g, [dys, xs], _dx, needed) => {
      if (!needed[0]) return [null, null];
      const at = getEngine().makeTensor(maxPoolArgmax(xs, attrs, dys.shape), dys.shape.slice(), "int32");
      return [gather(reshape(g, [g.size]), at), null];
    },
  );
}

/** Average over `filterSize` windows (padding not counted). Example: `tf.avgPool(x, 2, 2, "same")`. */
export function avgPool(
  x: TensorLike,
  filterSize: number | [number, number],
  strides: number | [number, number],
  pad: PaddingArg,
): Tensor {
  const { x4, squeezed, attrs, outShape } = poolSetup("avgPool", x, filterSize, strides, pad);
  const y = avgPoolRaw(x4, attrs, outShape);
  return squeezed ? reshape(y, y.shape.slice(1)) : y;
}

// Average pooling is linear: its gradient is AvgPoolGrad, whose own gradient is average pooling again.
function avgPoolRaw(x: Tensor, attrs: Pool2DAttrs, outShape: number[]): Tensor {
  const e = getEngine();
  return e.runKernel("AvgPool", [x], attrs, { shape: outShape, dtype: "float32" }, (dy, [xs]) => [
    e.runKernel(
      "AvgPoolGrad",
      [dy],
      { ...attrs, inShape: xs.shape },
      { shape: xs.shape.slice(), dtype: "float32" },
      (g, [dys]) => [avgPoolRaw(g, attrs, dys.shape)],
    ),
  ]);
}
