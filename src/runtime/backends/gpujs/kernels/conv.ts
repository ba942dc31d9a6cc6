/**
 * 2-D convolutions (NHWC images, HWIO filters) and their gradients, regular and depthwise.
 *
 * Every kernel is written gather-style: each output cell loops over the cells that contribute to
 * it, with padding handled by bounds checks. The gradient with respect to the input finds the
 * output rows a cell feeds by testing `(h + padTop - fh * dilation)` for divisibility by the stride.
 */
import type { KernelTable } from "../../../backend.js";
import type { Conv2DAttrs } from "../../../kernels.js";
import { coords, dot, grid, gridSource, int } from "../codegen.js";
import { launch, type KernelContext } from "../context.js";
import { blockable, launchBlocked } from "./blocked.js";

// Computing 4 output columns per thread pays for its reordering pass only with enough
// multiply-adds per output (measured: a 3x3 window over 1 channel is faster unblocked).
const MIN_BLOCKED_WINDOW = 64;

const attrKey = (a: Conv2DAttrs) =>
  `${a.strides}:${a.dilations}:${a.pad.top},${a.pad.bottom},${a.pad.left},${a.pad.right}`;

/** Image geometry shared by the six kernels. */
interface Geometry {
  n: number;
  h: number;
  w: number;
  c: number;
  oh: number;
  ow: number;
  fh: number;
  fw: number;
}

/**
 * Loops over the filter window of output cell (`oh`, `ow`), declaring in-range input coordinates
 * `ih`, `iw` for `inner`.
 */
function forwardWindow(g: Geometry, a: Conv2DAttrs, inner: string): string {
  const [sh, sw] = a.strides;
  const [dh, dw] = a.dilations;
  return `for (let fh = 0; fh < ${g.fh}; fh++) {
  ${int("ih", dot([["oh", sh], ["fh", dh]], -a.pad.top))}  if (ih >= 0 && ih < ${g.h}) {
    for (let fw = 0; fw < ${g.fw}; fw++) {
      ${int("iw", dot([["ow", sw], ["fw", dw]], -a.pad.left))}      if (iw >= 0 && iw < ${g.w}) {
${inner}      }
    }
  }
}
`;
}

/** Statements declaring `name` = `t / s` and a condition that holds when `t` is a multiple of `s`. */
function strideStep(t: string, s: number, name: string, limit: number): { decl: string; ok: string } {
  if (s === 1) return { decl: int(name, t), ok: `${name} < ${limit}` };
  return { decl: int(name, `(${t} / ${s}) | 0`), ok: `${name} * ${s} == ${t} && ${name} < ${limit}` };
}

/**
 * Loops over the output cells (`oh`, `ow`) whose windows read input cell (`h`, `w`), declaring
 * the filter taps `fh`, `fw` that connect them, for `inner`.
 */
function backwardWindow(g: Geometry, a: Conv2DAttrs, inner: string): string {
  const [sh, sw] = a.strides;
  const [dh, dw] = a.dilations;
  const rows = strideStep("th", sh, "oh", g.oh);
  const cols = strideStep("tw", sw, "ow", g.ow);
  return `for (let fh = 0; fh < ${g.fh}; fh++) {
  ${int("th", dot([["h", 1], ["fh", -dh]], a.pad.top))}
  if (th >= 0) {
    ${rows.decl}    if (${rows.ok}) {
      for (let fw = 0; fw < ${g.fw}; fw++) {
        ${int("tw", dot([["w", 1], ["fw", -dw]], a.pad.left))}
        if (tw >= 0) {
          ${cols.decl}          if (${cols.ok}) {
${inner}          }
        }
      }
    }
  }
}
`;
}

/** Loops over all output cells (`b`, `oh`, `ow`) with the in-range input cell (`ih`, `iw`) tap (`fh`, `fw`) reads. */
function filterWindow(g: Geometry, a: Conv2DAttrs, inner: string): string {
  const [sh, sw] = a.strides;
  const [dh, dw] = a.dilations;
  return `for (let b = 0; b < ${g.n}; b++) {
  for (let oh = 0; oh < ${g.oh}; oh++) {
    ${int("ih", dot([["oh", sh], ["fh", dh]], -a.pad.top))}    if (ih >= 0 && ih < ${g.h}) {
      for (let ow = 0; ow < ${g.ow}; ow++) {
        ${int("iw", dot([["ow", sw], ["fw", dw]], -a.pad.left))}        if (iw >= 0 && iw < ${g.w}) {
${inner}        }
      }
    }
  }
}
`;
}

/** Source and gpu.js output grid of a kernel over the row-major output `dims` (coordinates `names`). */
function gridded(args: string[], dims: number[], names: string[], body: string): { source: string; output: number[] } {
  const g = grid(dims, names);
  return { source: gridSource(args, g, body), output: g.output };
}

export function convKernels(ctx: KernelContext): Partial<KernelTable> {
  const table: Partial<KernelTable> = {};

  table.Conv2D = ({ inputs: [x, filter], attrs, out }) => {
    const [n, h, w, c] = x.shape as [number, number, number, number];
    const [fh, fw, , oc] = filter.shape as [number, number, number, number];
    const [, oh, ow] = out.shape as [number, number, number, number];
    const g = { n, h, w, c, oh, ow, fh, fw };
    if (blockable(oc, ow) && fh * fw * c >= MIN_BLOCKED_WINDOW) {
      // 4 consecutive output columns per thread share each gathered filter value
      const [sh, sw] = attrs.strides;
      const [dh, dw] = attrs.dilations;
      return launchBlocked(ctx, {
        key: `Conv2D:${attrKey(attrs)}`,
        inputs: [x, filter],
        out,
        outer: n * oh,
        axis: ow,
        inner: oc,
        source: () => {
          const cols = [0, 1, 2, 3];
          let body = `${int("oc", "this.thread.x")}${int("owb", "this.thread.y")}${int("z", "this.thread.z")}`;
          body += coords("z", [n, oh], ["b", "oh"]);
          body += cols.map((j) => `let s${j} = 0.0;
`).join("");
          body += `for (let fh = 0; fh < ${fh}; fh++) {
${int("ih", dot([["oh", sh], ["fh", dh]], -attrs.pad.top))}if (ih >= 0 && ih < ${h}) {
for (let fw = 0; fw < ${fw}; fw++) {
${cols.map((j) => int(`iw${j}`, dot([["owb", 4 * sw], ["fw", dw]], j * sw - attrs.pad.left))).join("")}for (let ci = 0; ci < ${c}; ci++) {
const fv = f[${dot([["fh", fw * c * oc], ["fw", c * oc], ["ci", oc], ["oc", 1]])}];
${cols
  .map(
    (j) =>
      `if (iw${j} >= 0 && iw${j} < ${w}) { s${j} = s${j} + x[${dot([["b", h * w * c], ["ih", w * c], [`iw${j}`, c], ["ci", 1]])}] * fv; }
`,
  )
  .join("")}}
}
}
}
return [s0, s1, s2, s3];
`;
          return `function(x, f) {\n${body}}`;
        },
      });
    }
    return launch(ctx, {
      key: `Conv2D:${attrKey(attrs)}`,
      inputs: [x, filter],
      out,
      source: () =>
        gridded(
          ["x", "f"],
          [n, oh, ow, oc],
          ["b", "oh", "ow", "oc"],
          `let acc = 0.0;
${forwardWindow(
  g,
  attrs,
  `for (let ci = 0; ci < ${c}; ci++) {
  acc = acc + x[${dot([["b", h * w * c], ["ih", w * c], ["iw", c], ["ci", 1]])}] * f[${dot([["fh", fw * c * oc], ["fw", c * oc], ["ci", oc], ["oc", 1]])}];
}
`,
)}return acc;
`,
        ),
    });
  };

  table.Conv2DBackpropInput = ({ inputs: [dy, filter], attrs, out }) => {
    const [n, h, w, c] = attrs.inShape as [number, number, number, number];
    const [fh, fw, , oc] = filter.shape as [number, number, number, number];
    const [, oh, ow] = dy.shape as [number, number, number, number];
    const g = { n, h, w, c, oh, ow, fh, fw };
    if (blockable(c, w) && fh * fw * oc >= MIN_BLOCKED_WINDOW) {
      // 4 consecutive input columns per thread share each gathered filter value
      const [sh, sw] = attrs.strides;
      const [dh, dw] = attrs.dilations;
      return launchBlocked(ctx, {
        key: `Conv2DBackpropInput:${attrKey(attrs)}`,
        inputs: [dy, filter],
        out,
        outer: n * h,
        axis: w,
        inner: c,
        source: () => {
          const cols = [0, 1, 2, 3];
          const rows = strideStep("th", sh, "oh", oh);
          let body = `${int("ci", "this.thread.x")}${int("wb", "this.thread.y")}${int("z", "this.thread.z")}`;
          body += coords("z", [n, h], ["b", "h"]);
          body += cols.map((j) => `let s${j} = 0.0;\n`).join("");
          body += `for (let fh = 0; fh < ${fh}; fh++) {
${int("th", dot([["h", 1], ["fh", -dh]], attrs.pad.top))}if (th >= 0) {
${rows.decl}if (${rows.ok}) {
for (let fw = 0; fw < ${fw}; fw++) {
${cols
  .map((j) => {
    const t = int(`tw${j}`, dot([["wb", 4], ["fw", -dw]], j + attrs.pad.left));
    const col = sw === 1 ? int(`ow${j}`, `tw${j}`) : int(`ow${j}`, `(tw${j} / ${sw}) | 0`);
    const ok = sw === 1 ? `tw${j} >= 0 && ow${j} < ${ow}` : `tw${j} >= 0 && ow${j} * ${sw} == tw${j} && ow${j} < ${ow}`;
    return `${t}${col}const ok${j} = ${ok};\n`;
  })
  .join("")}for (let o = 0; o < ${oc}; o++) {
const fv = f[${dot([["fh", fw * c * oc], ["fw", c * oc], ["ci", oc], ["o", 1]])}];
${cols
  .map(
    (j) =>
      `if (ok${j}) { s${j} = s${j} + dy[${dot([["b", oh * ow * oc], ["oh", ow * oc], [`ow${j}`, oc], ["o", 1]])}] * fv; }\n`,
  )
  .join("")}}
}
}
}
}
return [s0, s1, s2, s3];
`;
          return `function(dy, f) {\n${body}}`;
        },
      });
    }
    return launch(ctx, {
      key: `Conv2DBackpropInput:${attrKey(attrs)}`,
      inputs: [dy, filter],
      out,
      source: () =>
        gridded(
          ["dy", "f"],
          [n, h, w, c],
          ["b", "h", "w", "ci"],
          `let acc = 0.0;
${backwardWindow(
  g,
  attrs,
  `for (let oc = 0; oc < ${oc}; oc++) {
  acc = acc + dy[${dot([["b", oh * ow * oc], ["oh", ow * oc], ["ow", oc], ["oc", 1]])}] * f[${dot([["fh", fw * c * oc], ["fw", c * oc], ["ci", oc], ["oc", 1]])}];
}
`,
)}return acc;
`,
        ),
    });
  };

  table.Conv2DBackpropFilter = ({ inputs: [x, dy], attrs, out }) => {
    const [n, h, w, c] = x.shape as [number, number, number, number];
    const [fh, fw, , oc] = attrs.filterShape as [number, number, number, number];
    const [, oh, ow] = dy.shape as [number, number, number, number];
    const g = { n, h, w, c, oh, ow, fh, fw };
    if (blockable(oc, c)) {
      // 4 consecutive input channels per thread share each gathered dy value
      return launchBlocked(ctx, {
        key: `Conv2DBackpropFilter:${attrKey(attrs)}`,
        inputs: [x, dy],
        out,
        outer: fh * fw,
        axis: c,
        inner: oc,
        source: () => {
          const chans = [0, 1, 2, 3];
          let body = `${int("oc", "this.thread.x")}${int("cb", "this.thread.y")}${int("z", "this.thread.z")}`;
          body += coords("z", [fh, fw], ["fh", "fw"]);
          body += chans.map((j) => `let s${j} = 0.0;
`).join("");
          body += chans.map((j) => int(`c${j}`, `cb * 4 + ${j}`)).join("");
          body += filterWindow(
            g,
            attrs,
            `const dv = dy[${dot([["b", oh * ow * oc], ["oh", ow * oc], ["ow", oc], ["oc", 1]])}];
${int("xb", dot([["b", h * w * c], ["ih", w * c], ["iw", c]]))}${chans
              .map((j) => `if (c${j} < ${c}) { s${j} = s${j} + x[xb + c${j}] * dv; }
`)
              .join("")}`,
          );
          body += "return [s0, s1, s2, s3];\n";
          return `function(x, dy) {\n${body}}`;
        },
      });
    }
    return launch(ctx, {
      key: `Conv2DBackpropFilter:${attrKey(attrs)}`,
      inputs: [x, dy],
      out,
      source: () =>
        gridded(
          ["x", "dy"],
          [fh, fw, c, oc],
          ["fh", "fw", "ci", "oc"],
          `let acc = 0.0;
${filterWindow(
  g,
  attrs,
  `acc = acc + x[${dot([["b", h * w * c], ["ih", w * c], ["iw", c], ["ci", 1]])}] * dy[${dot([["b", oh * ow * oc], ["oh", ow * oc], ["ow", oc], ["oc", 1]])}];
`,
)}return acc;
`,
        ),
    });
  };

  table.DepthwiseConv2D = ({ inputs: [x, filter], attrs, out }) => {
    const [n, h, w, c] = x.shape as [number, number, number, number];
    const [fh, fw, , mult] = filter.shape as [number, number, number, number];
    const [, oh, ow] = out.shape as [number, number, number, number];
    const g = { n, h, w, c, oh, ow, fh, fw };
    return launch(ctx, {
      key: `DepthwiseConv2D:${attrKey(attrs)}`,
      inputs: [x, filter],
      out,
      source: () =>
        gridded(
          ["x", "f"],
          [n, oh, ow, c, mult],
          ["b", "oh", "ow", "ci", "m"],
          `let acc = 0.0;
${forwardWindow(
  g,
  attrs,
  `acc = acc + x[${dot([["b", h * w * c], ["ih", w * c], ["iw", c], ["ci", 1]])}] * f[${dot([["fh", fw * c * mult], ["fw", c * mult], ["ci", mult], ["m", 1]])}];
`,
)}return acc;
`,
        ),
    });
  };

  table.DepthwiseConv2DBackpropInput = ({ inputs: [dy, filter], attrs, out }) => {
    const [n, h, w, c] = attrs.inShape as [number, number, number, number];
    const [fh, fw, , mult] = filter.shape as [number, number, number, number];
    const [, oh, ow] = dy.shape as [number, number, number, number];
    const g = { n, h, w, c, oh, ow, fh, fw };
    const oc = c * mult;
    return launch(ctx, {
      key: `DepthwiseConv2DBackpropInput:${attrKey(attrs)}`,
      inputs: [dy, filter],
      out,
      source: () =>
        gridded(
          ["dy", "f"],
          [n, h, w, c],
          ["b", "h", "w", "ci"],
          `let acc = 0.0;
${backwardWindow(
  g,
  attrs,
  `for (let m = 0; m < ${mult}; m++) {
  acc = acc + dy[${dot([["b", oh * ow * oc], ["oh", ow * oc], ["ow", oc], ["ci", mult], ["m", 1]])}] * f[${dot([["fh", fw * c * mult], ["fw", c * mult], ["ci", mult], ["m", 1]])}];
}
`,
)}return acc;
`,
        ),
    });
  };

  table.DepthwiseConv2DBackpropFilter = ({ inputs: [x, dy], attrs, out }) => {
    const [n, h, w, c] = x.shape as [number, number, number, number];
    const [fh, fw, , mult] = attrs.filterShape as [number, number, number, number];
    const [, oh, ow] = dy.shape as [number, number, number, number];
    const g = { n, h, w, c, oh, ow, fh, fw };
    const oc = c * mult;
    return launch(ctx, {
      key: `DepthwiseConv2DBackpropFilter:${attrKey(attrs)}`,
      inputs: [x, dy],
      out,
      source: () =>
        gridded(
          ["x", "dy"],
          [fh, fw, c, mult],
          ["fh", "fw", "ci", "m"],
          `let acc = 0.0;
${filterWindow(
  g,
  attrs,
  `acc = acc + x[${dot([["b", h * w * c], ["ih", w * c], ["iw", c], ["ci", 1]])}] * dy[${dot([["b", oh * ow * oc], ["oh", ow * oc], ["ow", oc], ["ci", mult], ["m", 1]])}];
`,
)}return acc;
`,
        ),
    });
  };

  return table;
}
