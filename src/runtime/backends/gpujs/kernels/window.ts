/**
 * Source text shared by the sliding-window kernels (convolutions and pooling over NHWC data): the
 * loops over a window's taps in either direction, element indexes, and the gridded launch.
 */
import type { DataId } from "../../../backend.js";
import type { Padding2D } from "../../../kernels.js";
import { stridesOf } from "../../broadcast.js";
import { dot, grid, gridSource, int } from "../codegen.js";
import { launch, type KernelContext, type Launch } from "../context.js";

/** Where a window sits on the input: output cell `o` tap `f` reads input `o * stride + f * dilation - pad`. */
export interface WindowSpec {
  filter: readonly [number, number];
  strides: readonly [number, number];
  dilations: readonly [number, number];
  pad: Padding2D;
}

/** Cache-key text of everything in `w` the generated source depends on. */
export const windowKey = (w: WindowSpec) =>
  `${w.filter}:${w.strides}:${w.dilations}:${w.pad.top},${w.pad.bottom},${w.pad.left},${w.pad.right}`;

/** Index expression of the element at coordinates `names` (leading axes; the rest 0) in a row-major array of `shape`. */
export function at(shape: readonly number[], names: readonly string[]): string {
  const st = stridesOf(shape);
  return dot(names.map((n, k) => [n, st[k]!] as const));
}

/**
 * Loops over the taps (`fh`, `fw`) of output cell (`oh`, `ow`)'s window that land inside the
 * `h`×`w` input, declaring the input coordinates `ih`, `iw` for `inner`.
 */
export function tapsInside(win: WindowSpec, h: number, w: number, inner: string): string {
  const [sh, sw] = win.strides;
  const [dh, dw] = win.dilations;
  return `for (let fh = 0; fh < ${win.filter[0]}; fh++) {
  ${int(
    "ih",
    dot(
      [
        ["oh", sh],
        ["fh", dh],
      ],
      -win.pad.top,
    ),
  )}  if (ih >= 0 && ih < ${h}) {
    for (let fw = 0; fw < ${win.filter[1]}; fw++) {
      ${int(
        "iw",
        dot(
          [
            ["ow", sw],
            ["fw", dw],
          ],
          -win.pad.left,
        ),
      )}      if (iw >= 0 && iw < ${w}) {
${inner}      }
    }
  }
}
`;
}

/** Statements declaring `name` = `t / s` and a condition that holds when `t` is a multiple of `s`. */
export function strideStep(t: string, s: number, name: string, limit: number): { decl: string; ok: string } {
  if (s === 1) return { decl: int(name, t), ok: `${name} < ${limit}` };
  return { decl: int(name, `(${t} / ${s}) | 0`), ok: `${name} * ${s} == ${t} && ${name} < ${limit}` };
}

/**
 * Loops over the output cells (`oh`, `ow`) of an `oh`×`ow` output whose windows read input cell
 * (`h`, `w`), declaring the taps `fh`, `fw` that connect them, for `inner`. A cell is found by
 * testing `h + padTop - fh * dilation` for divisibility by the stride.
 */
export function windowsReading(win: WindowSpec, oh: number, ow: number, inner: string): string {
  const [sh, sw] = win.strides;
  const [dh, dw] = win.dilations;
  const rows = strideStep("th", sh, "oh", oh);
  const cols = strideStep("tw", sw, "ow", ow);
  return `for (let fh = 0; fh < ${win.filter[0]}; fh++) {
  ${int(
    "th",
    dot(
      [
        ["h", 1],
        ["fh", -dh],
      ],
      win.pad.top,
    ),
  )}
  if (th >= 0) {
    ${rows.decl}    if (${rows.ok}) {
      for (let fw = 0; fw < ${win.filter[1]}; fw++) {
        ${int(
          "tw",
          dot(
            [
              ["w", 1],
              ["fw", -dw],
            ],
            win.pad.left,
          ),
        )}
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

/** A body that returns the sum `acc` that `loops` adds up. */
export const sumOf = (loops: string) => `let acc = 0.0;\n${loops}return acc;\n`;

export interface GridLaunch extends Omit<Launch, "source"> {
  /** The kernel's argument names, one per input. */
  args: string[];
  /** The row-major output, and the coordinate declared for each of its axes. */
  dims: number[];
  names: string[];
  /** The statements computing and returning one output cell, with its coordinates declared. */
  body: () => string;
}

/** Launches a kernel over the row-major output `dims`, one thread per cell (see codegen `grid`). */
export function launchGrid(ctx: KernelContext, l: GridLaunch): DataId {
  return launch(ctx, {
    key: l.key,
    inputs: l.inputs,
    out: l.out,
    source: () => {
      const g = grid(l.dims, l.names);
      return { source: gridSource(l.args, g, l.body()), output: g.output };
    },
  });
}
