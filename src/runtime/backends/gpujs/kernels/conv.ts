/**
 * 2-D convolutions (NHWC images, HWIO filters) and their gradients, regular and depthwise.
 *
 * Every kernel is written gather-style: each output cell loops over the cells that contribute to
 * it, with padding handled by bounds checks (the window loops are in `window.ts`).
 */
import type { DataId, DType, TensorInfo } from "../../../backend.js";
import type { Conv2DAttrs } from "../../../kernels.js";
import { coords, dot, int } from "../codegen.js";
import type { GpuKernel, KernelContext } from "../context.js";
import { blockable, launchBlocked } from "./blocked.js";
import { at, launchGrid, strideStep, sumOf, tapsInside, windowKey, windowsReading, type WindowSpec } from "./window.js";

// Computing 4 output columns per thread pays for its reordering pass only with enough
// multiply-adds per output (measured: a 3x3 window over 1 channel is faster unblocked).
const MIN_BLOCKED_WINDOW = 64;

const BLOCK = [0, 1, 2, 3];

/**
 * Geometry shared by the six kernels: input `n`×`h`×`w`×`c`, output `oh`×`ow`, filter `fh`×`fw`
 * with `last` (output channels, or the depthwise multiplier) on its last axis, and the window.
 */
interface Geometry {
  n: number;
  h: number;
  w: number;
  c: number;
  oh: number;
  ow: number;
  fh: number;
  fw: number;
  last: number;
  win: WindowSpec;
}

function geometry(
  xShape: readonly number[],
  fShape: readonly number[],
  yShape: readonly number[],
  a: Conv2DAttrs,
): Geometry {
  const [n, h, w, c] = xShape as [number, number, number, number];
  const [fh, fw, , last] = fShape as [number, number, number, number];
  const [, oh, ow] = yShape as [number, number, number, number];
  return {
    n,
    h,
    w,
    c,
    oh,
    ow,
    fh,
    fw,
    last,
    win: { filter: [fh, fw], strides: a.strides, dilations: a.dilations, pad: a.pad },
  };
}

/** Loops over all output cells (`b`, `oh`, `ow`) with the in-range input cell (`ih`, `iw`) tap (`fh`, `fw`) reads. */
function filterWindow(g: Geometry, inner: string): string {
  const [sh, sw] = g.win.strides;
  const [dh, dw] = g.win.dilations;
  return `for (let b = 0; b < ${g.n}; b++) {
  for (let oh = 0; oh < ${g.oh}; oh++) {
    ${int(
      "ih",
      dot(
        [
          ["oh", sh],
          ["fh", dh],
        ],
        -g.win.pad.top,
      ),
    )}    if (ih >= 0 && ih < ${g.h}) {
      for (let ow = 0; ow < ${g.ow}; ow++) {
        ${int(
          "iw",
          dot(
            [
              ["ow", sw],
              ["fw", dw],
            ],
            -g.win.pad.left,
          ),
        )}        if (iw >= 0 && iw < ${g.w}) {
${inner}        }
      }
    }
  }
}
`;
}

/**
 * One convolution kernel over the row-major output `dims` (coordinates `names`): plain, one
 * thread per cell adding what `sum` loops over into `acc`; or, where `blocked` is given, 4 cells
 * along the second-last axis per thread (see `blocked.ts`), its loops adding into `s0`…`s3`.
 */
interface ConvLaunch {
  kernel: string;
  g: Geometry;
  inputs: TensorInfo[];
  out: { shape: readonly number[]; dtype: DType };
  args: string[];
  dims: [number, number, number, number];
  names: [string, string, string, string];
  sum: () => string;
  blocked?: { block: string; sums: () => string };
}

function launchConv(ctx: KernelContext, l: ConvLaunch): DataId {
  const key = `${l.kernel}:${windowKey(l.g.win)}`;
  const [d0, d1, axis, lanes] = l.dims;
  const [n0, n1, , lane] = l.names;
  const b = l.blocked;
  if (b === undefined) {
    return launchGrid(ctx, {
      key,
      inputs: l.inputs,
      out: l.out,
      args: l.args,
      dims: l.dims,
      names: l.names,
      body: () => sumOf(l.sum()),
    });
  }
  return launchBlocked(ctx, {
    key,
    inputs: l.inputs,
    out: l.out,
    outer: d0 * d1,
    axis,
    inner: lanes,
    source: () => `function(${l.args.join(", ")}) {
${int(lane, "this.thread.x")}${int(b.block, "this.thread.y")}${int("z", "this.thread.z")}${coords("z", [d0, d1], [n0, n1])}${BLOCK.map((j) => `let s${j} = 0.0;\n`).join("")}${b.sums()}return [s0, s1, s2, s3];
}`,
  });
}

export const conv2D: GpuKernel<"Conv2D"> =
  (ctx) =>
  ({ inputs: [x, filter], attrs, out }) => {
    const g = geometry(x.shape, filter.shape, out.shape, attrs);
    const { n, h, w, c, oh, ow, fh, fw, last: oc } = g;
    const [sh, sw] = attrs.strides;
    const [dh, dw] = attrs.dilations;
    return launchConv(ctx, {
      kernel: "Conv2D",
      g,
      inputs: [x, filter],
      out,
      args: ["x", "f"],
      dims: [n, oh, ow, oc],
      names: ["b", "oh", "ow", "oc"],
      sum: () =>
        tapsInside(
          g.win,
          h,
          w,
          `for (let ci = 0; ci < ${c}; ci++) {
  acc = acc + x[${at(x.shape, ["b", "ih", "iw", "ci"])}] * f[${at(filter.shape, ["fh", "fw", "ci", "oc"])}];
}
`,
        ),
      // 4 consecutive output columns per thread share each gathered filter value
      blocked:
        blockable(oc, ow) && fh * fw * c >= MIN_BLOCKED_WINDOW
          ? {
              block: "owb",
              sums: () => `for (let fh = 0; fh < ${fh}; fh++) {
${int(
  "ih",
  dot(
    [
      ["oh", sh],
      ["fh", dh],
    ],
    -attrs.pad.top,
  ),
)}if (ih >= 0 && ih < ${h}) {
for (let fw = 0; fw < ${fw}; fw++) {
${BLOCK.map((j) =>
  int(
    `iw${j}`,
    dot(
      [
        ["owb", 4 * sw],
        ["fw", dw],
      ],
      j * sw - attrs.pad.left,
    ),
  ),
).join("")}for (let ci = 0; ci < ${c}; ci++) {
const fv = f[${at(filter.shape, ["fh", "fw", "ci", "oc"])}];
${BLOCK.map((j) => `if (iw${j} >= 0 && iw${j} < ${w}) { s${j} = s${j} + x[${at(x.shape, ["b", "ih", `iw${j}`, "ci"])}] * fv; }\n`).join("")}}
}
}
}
`,
            }
          : undefined,
    });
  };

export const conv2DBackpropInput: GpuKernel<"Conv2DBackpropInput"> =
  (ctx) =>
  ({ inputs: [dy, filter], attrs, out }) => {
    const g = geometry(attrs.inShape, filter.shape, dy.shape, attrs);
    const { n, h, w, c, oh, ow, fh, fw, last: oc } = g;
    const [sh, sw] = attrs.strides;
    const [dh, dw] = attrs.dilations;
    return launchConv(ctx, {
      kernel: "Conv2DBackpropInput",
      g,
      inputs: [dy, filter],
      out,
      args: ["dy", "f"],
      dims: [n, h, w, c],
      names: ["b", "h", "w", "ci"],
      sum: () =>
        windowsReading(
          g.win,
          oh,
          ow,
          `for (let oc = 0; oc < ${oc}; oc++) {
  acc = acc + dy[${at(dy.shape, ["b", "oh", "ow", "oc"])}] * f[${at(filter.shape, ["fh", "fw", "ci", "oc"])}];
}
`,
        ),
      // 4 consecutive input columns per thread share each gathered filter value
      blocked:
        blockable(c, w) && fh * fw * oc >= MIN_BLOCKED_WINDOW
          ? {
              block: "wb",
              sums: () => {
                const rows = strideStep("th", sh, "oh", oh);
                return `for (let fh = 0; fh < ${fh}; fh++) {
${int(
  "th",
  dot(
    [
      ["h", 1],
      ["fh", -dh],
    ],
    attrs.pad.top,
  ),
)}if (th >= 0) {
${rows.decl}if (${rows.ok}) {
for (let fw = 0; fw < ${fw}; fw++) {
${BLOCK.map((j) => {
  const t = int(
    `tw${j}`,
    dot(
      [
        ["wb", 4],
        ["fw", -dw],
      ],
      j + attrs.pad.left,
    ),
  );
  const col = strideStep(`tw${j}`, sw, `ow${j}`, ow);
  return `${t}${col.decl}const ok${j} = tw${j} >= 0 && ${col.ok};\n`;
}).join("")}for (let o = 0; o < ${oc}; o++) {
const fv = f[${at(filter.shape, ["fh", "fw", "ci", "o"])}];
${BLOCK.map((j) => `if (ok${j}) { s${j} = s${j} + dy[${at(dy.shape, ["b", "oh", `ow${j}`, "o"])}] * fv; }\n`).join("")}}
}
}
}
}
`;
              },
            }
          : undefined,
    });
  };

export const conv2DBackpropFilter: GpuKernel<"Conv2DBackpropFilter"> =
  (ctx) =>
  ({ inputs: [x, dy], attrs, out }) => {
    const g = geometry(x.shape, attrs.filterShape, dy.shape, attrs);
    const { c, fh, fw, last: oc } = g;
    return launchConv(ctx, {
      kernel: "Conv2DBackpropFilter",
      g,
      inputs: [x, dy],
      out,
      args: ["x", "dy"],
      dims: [fh, fw, c, oc],
      names: ["fh", "fw", "ci", "oc"],
      sum: () =>
        filterWindow(
          g,
          `acc = acc + x[${at(x.shape, ["b", "ih", "iw", "ci"])}] * dy[${at(dy.shape, ["b", "oh", "ow", "oc"])}];\n`,
        ),
      // 4 consecutive input channels per thread share each gathered dy value
      blocked: blockable(oc, c)
        ? {
            block: "cb",
            sums: () =>
              BLOCK.map((j) => int(`c${j}`, `cb * 4 + ${j}`)).join("") +
              filterWindow(
                g,
                `const dv = dy[${at(dy.shape, ["b", "oh", "ow", "oc"])}];
${int("xb", at(x.shape, ["b", "ih", "iw"]))}${BLOCK.map((j) => `if (c${j} < ${c}) { s${j} = s${j} + x[xb + c${j}] * dv; }\n`).join("")}`,
              ),
          }
        : undefined,
    });
  };

// Depthwise: output channel ci * mult + m comes from input channel ci and filter [fh, fw, ci, m];
// dy is indexed as [b, oh, ow, ci, m].
export const depthwiseConv2D: GpuKernel<"DepthwiseConv2D"> =
  (ctx) =>
  ({ inputs: [x, filter], attrs, out }) => {
    const g = geometry(x.shape, filter.shape, out.shape, attrs);
    const { n, h, w, c, oh, ow, last: mult } = g;
    return launchGrid(ctx, {
      key: `DepthwiseConv2D:${windowKey(g.win)}`,
      inputs: [x, filter],
      out,
      args: ["x", "f"],
      dims: [n, oh, ow, c, mult],
      names: ["b", "oh", "ow", "ci", "m"],
      body: () =>
        sumOf(
          tapsInside(
            g.win,
            h,
            w,
            `acc = acc + x[${at(x.shape, ["b", "ih", "iw", "ci"])}] * f[${at(filter.shape, ["fh", "fw", "ci", "m"])}];\n`,
          ),
        ),
    });
  };

export const depthwiseConv2DBackpropInput: GpuKernel<"DepthwiseConv2DBackpropInput"> =
  (ctx) =>
  ({ inputs: [dy, filter], attrs, out }) => {
    const g = geometry(attrs.inShape, filter.shape, dy.shape, attrs);
    const { n, h, w, c, oh, ow, last: mult } = g;
    return launchConv(ctx, {
      kernel: "DepthwiseConv2DBackpropInput",
      g,
      inputs: [dy, filter],
      out,
      args: ["dy", "f"],
      dims: [n, h, w, c],
      names: ["b", "h", "w", "ci"],
      sum: () =>
        windowsReading(
          g.win,
          oh,
          ow,
          `for (let m = 0; m < ${mult}; m++) {
  acc = acc + dy[${at([n, oh, ow, c, mult], ["b", "oh", "ow", "ci", "m"])}] * f[${at(filter.shape, ["fh", "fw", "ci", "m"])}];
}
`,
        ),
    });
  };

export const depthwiseConv2DBackpropFilter: GpuKernel<"DepthwiseConv2DBackpropFilter"> =
  (ctx) =>
  ({ inputs: [x, dy], attrs, out }) => {
    const g = geometry(x.shape, attrs.filterShape, dy.shape, attrs);
    const { n, c, oh, ow, fh, fw, last: mult } = g;
    return launchConv(ctx, {
      kernel: "DepthwiseConv2DBackpropFilter",
      g,
      inputs: [x, dy],
      out,
      args: ["x", "dy"],
      dims: [fh, fw, c, mult],
      names: ["fh", "fw", "ci", "m"],
      sum: () =>
        filterWindow(
          g,
          `acc = acc + x[${at(x.shape, ["b", "ih", "iw", "ci"])}] * dy[${at([n, oh, ow, c, mult], ["b", "oh", "ow", "ci", "m"])}];\n`,
        ),
    });
  };
