/**
 * 2-D pooling (NHWC) and its gradients. Windows skip padding cells: max pooling ignores them and
 * average pooling divides by the number of real cells in the window.
 */
import type { KernelTable } from "../../../backend.js";
import type { Pool2DAttrs } from "../../../kernels.js";
import { dot, grid, gridSource, int } from "../codegen.js";
import { launch, type KernelContext } from "../context.js";

const attrKey = (a: Pool2DAttrs) =>
  `${a.filterSize}:${a.strides}:${a.pad.top},${a.pad.bottom},${a.pad.left},${a.pad.right}`;

interface Geometry {
  h: number;
  w: number;
  c: number;
  oh: number;
  ow: number;
}

/** Loops over the in-range cells (`ih`, `iw`) at taps (`kh`, `kw`) of the window of output cell (`oh`, `ow`). */
function window(g: Geometry, a: Pool2DAttrs, inner: string): string {
  const [fh, fw] = a.filterSize;
  const [sh, sw] = a.strides;
  return `for (let kh = 0; kh < ${fh}; kh++) {
  ${int("ih", dot([["oh", sh], ["kh", 1]], -a.pad.top))}  if (ih >= 0 && ih < ${g.h}) {
    for (let kw = 0; kw < ${fw}; kw++) {
      ${int("iw", dot([["ow", sw], ["kw", 1]], -a.pad.left))}      if (iw >= 0 && iw < ${g.w}) {
${inner}      }
    }
  }
}
`;
}

/**
 * Loops over the output cells (`oh`, `ow`) whose windows contain input cell (`h`, `w`).
 */
function windowsContaining(g: Geometry, a: Pool2DAttrs, inner: string): string {
  const [fh, fw] = a.filterSize;
  const [sh, sw] = a.strides;
  const step = (t: string, s: number, name: string, limit: number) =>
    s === 1
      ? { decl: int(name, t), ok: `${name} < ${limit}` }
      : { decl: int(name, `(${t} / ${s}) | 0`), ok: `${name} * ${s} == ${t} && ${name} < ${limit}` };
  const rows = step("th", sh, "oh", g.oh);
  const cols = step("tw", sw, "ow", g.ow);
  return `for (let kh = 0; kh < ${fh}; kh++) {
  ${int("th", dot([["h", 1], ["kh", -1]], a.pad.top))}
  if (th >= 0) {
    ${rows.decl}    if (${rows.ok}) {
      for (let kw = 0; kw < ${fw}; kw++) {
        ${int("tw", dot([["w", 1], ["kw", -1]], a.pad.left))}
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

/** Source and gpu.js output grid of a kernel over the row-major output `dims` (coordinates `names`). */
function gridded(args: string[], dims: number[], names: string[], body: string): { source: string; output: number[] } {
  const g = grid(dims, names);
  return { source: gridSource(args, g, body), output: g.output };
}

export function poolKernels(ctx: KernelContext): Partial<KernelTable> {
  const table: Partial<KernelTable> = {};

  table.MaxPool = ({ inputs: [x], attrs, out }) => {
    const [n, h, w, c] = x.shape as [number, number, number, number];
    const [, oh, ow] = out.shape as [number, number, number, number];
    const g = { h, w, c, oh, ow };
    return launch(ctx, {
      key: `MaxPool:${attrKey(attrs)}`,
      inputs: [x],
      out,
      source: () =>
        gridded(
          ["x"],
          [n, oh, ow, c],
          ["b", "oh", "ow", "ci"],
          `let m = -1 / 0;
${window(g, attrs, `const v = x[${dot([["b", h * w * c], ["ih", w * c], ["iw", c], ["ci", 1]])}];\nif (v > m) { m = v; }\n`)}return m;
`,
        ),
    });
  };

  table.AvgPool = ({ inputs: [x], attrs, out }) => {
    const [n, h, w, c] = x.shape as [number, number, number, number];
    const [, oh, ow] = out.shape as [number, number, number, number];
    const g = { h, w, c, oh, ow };
    return launch(ctx, {
      key: `AvgPool:${attrKey(attrs)}`,
      inputs: [x],
      out,
      source: () =>
        gridded(
          ["x"],
          [n, oh, ow, c],
          ["b", "oh", "ow", "ci"],
          `let s = 0.0;
let count = 0.0;
${window(g, attrs, `s = s + x[${dot([["b", h * w * c], ["ih", w * c], ["iw", c], ["ci", 1]])}];\ncount = count + 1;\n`)}return s / count;
`,
        ),
    });
  };

  table.MaxPoolGrad = ({ inputs: [dy, x], attrs, out }) => {
    const [n, h, w, c] = x.shape as [number, number, number, number];
    const [, oh, ow] = dy.shape as [number, number, number, number];
    const fw = attrs.filterSize[1];
    const g = { h, w, c, oh, ow };
    // First pass: where in its window (kh * fw + kw) each window's first maximum is, -1 if none.
    const argmax = launch(ctx, {
      key: `MaxPoolArgmax:${attrKey(attrs)}`,
      inputs: [x],
      out: { shape: dy.shape, dtype: "float32" },
      source: () =>
        gridded(
          ["x"],
          [n, oh, ow, c],
          ["b", "oh", "ow", "ci"],
          `let best = 0.0;
let at = -1.0;
${window(g, attrs, `const v = x[${dot([["b", h * w * c], ["ih", w * c], ["iw", c], ["ci", 1]])}];
if (at < 0 || v > best) { best = v; at = kh * ${fw} + kw; }
`)}return at;
`,
        ),
    });
    // Second pass: each input cell collects dy from the windows whose maximum it is.
    try {
      return launch(ctx, {
        key: `MaxPoolGrad:${attrKey(attrs)}`,
        inputs: [dy, { dataId: argmax, shape: dy.shape, dtype: "float32" }],
        out,
        source: () =>
          gridded(
            ["dy", "am"],
            [n, h, w, c],
            ["b", "h", "w", "ci"],
            `let acc = 0.0;
${windowsContaining(
  g,
  attrs,
  `${int("o", dot([["b", oh * ow * c], ["oh", ow * c], ["ow", c], ["ci", 1]]))}if (am[o] == kh * ${fw} + kw) { acc = acc + dy[o]; }
`,
)}return acc;
`,
          ),
      });
    } finally {
      ctx.dispose(argmax);
    }
  };

  table.AvgPoolGrad = ({ inputs: [dy], attrs, out }) => {
    const [n, h, w, c] = attrs.inShape as [number, number, number, number];
    const [, oh, ow] = dy.shape as [number, number, number, number];
    const [fh, fw] = attrs.filterSize;
    const [sh, sw] = attrs.strides;
    const g = { h, w, c, oh, ow };
    return launch(ctx, {
      key: `AvgPoolGrad:${attrKey(attrs)}`,
      inputs: [dy],
      out,
      source: () =>
        gridded(
          ["dy"],
          [n, h, w, c],
          ["b", "h", "w", "ci"],
          `let acc = 0.0;
${windowsContaining(
  g,
  attrs,
  `${int("h0", dot([["oh", sh]], -attrs.pad.top))}${int("w0", dot([["ow", sw]], -attrs.pad.left))}
const rows = Math.min(h0 + ${fh}, ${h}) - Math.max(h0, 0);
const cols = Math.min(w0 + ${fw}, ${w}) - Math.max(w0, 0);
acc = acc + dy[${dot([["b", oh * ow * c], ["oh", ow * c], ["ow", c], ["ci", 1]])}] / (rows * cols);
`,
)}return acc;
`,
        ),
    });
  };

  return table;
}
