import { describe, expect, it } from "vitest";
import * as tf from "../../src/runtime/index.js";
import { gradientGraphSvg, plot, toMimeBundle } from "../../src/display/index.js";
import { checkMarkup, checkSvg } from "./helpers.js";

describe("with the deepts runtime's own tensors", () => {
  it("shows a small tensor as its text and a table", () => {
    const t = tf.tensor([
      [1, 2],
      [3, 4],
    ]);
    const b = toMimeBundle(t);
    expect(b["text/plain"]).toBe(t.toString());
    checkMarkup(b["text/html"] as string, { html: true });
    expect(b["text/html"]).toContain(">4<");
  });

  it("plots tensors and draws a tf.trace", () => {
    expect(plot.line(tf.tensor([3, 1, 2])).data[0]).toMatchObject({ y: [3, 1, 2] });
    const w = tf.variable(tf.ones([2, 1]));
    const x = tf.tensor([
      [1, 2],
      [3, 4],
    ]);
    const traced = tf.trace(() => tf.sum(tf.matMul(x, w)), { sources: [w] });
    const svg = toMimeBundle(traced)["image/svg+xml"] as string;
    checkSvg(svg);
    expect(svg).toMatch(/gradient path: \d+ of \d+ ops/);
    expect(gradientGraphSvg(traced, { variables: [w] }).svg).toContain("1 variable");
  });
});
