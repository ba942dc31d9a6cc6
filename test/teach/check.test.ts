/**
 * The notebooks' `check`: every exercise's own solution passes its check, a stub reports "not done
 * yet" without throwing, and typical mistakes get the message that names them.
 */
import { describe, expect, test } from "vitest";
import * as tf from "../../src/tf.js";
import { allExercises, check, type CheckResult } from "../../src/teach/index.js";
import { defineAnswer } from "./solutions.js";

/** A minimal scalar autograd value, shaped like notebook 02's, for the valueRelu exercise. */
class Value {
  grad = 0;
  backwardStep: () => void = () => {};
  constructor(
    public data: number,
    readonly children: Value[] = [],
    readonly op = "",
  ) {}
  add(other: Value): Value {
    const out = new Value(this.data + other.data, [this, other], "+");
    out.backwardStep = () => {
      this.grad += out.grad;
      other.grad += out.grad;
    };
    return out;
  }
  backward(): void {
    const order: Value[] = [];
    const seen = new Set<Value>();
    const visit = (v: Value) => {
      if (seen.has(v)) return;
      seen.add(v);
      for (const c of v.children) visit(c);
      order.push(v);
    };
    visit(this);
    this.grad = 1;
    for (const v of order.reverse()) v.backwardStep();
  }
}

/** Runs `check[name]` on an answer given as TypeScript source. */
function grade(name: string, source: string): CheckResult {
  const answer = defineAnswer(source, { Value });
  const run = check[name as keyof typeof check] as (...args: unknown[]) => CheckResult;
  return name === "valueRelu" ? run(answer, Value) : run(answer);
}

describe("exercises", () => {
  const exercises = allExercises();

  test("there are 4 to 6 per notebook, for notebooks 01 to 06, each with hints and a solution", () => {
    const perNotebook = new Map<string, number>();
    for (const e of exercises) perNotebook.set(e.notebook, (perNotebook.get(e.notebook) ?? 0) + 1);
    expect([...perNotebook.keys()].sort()).toEqual(["01", "02", "03", "04", "05", "06"]);
    for (const n of perNotebook.values()) expect(n).toBeGreaterThanOrEqual(4), expect(n).toBeLessThanOrEqual(6);
    for (const e of exercises) {
      expect(e.hints.length, e.name).toBeGreaterThanOrEqual(2);
      expect(typeof (check as Record<string, unknown>)[e.name], e.name).toBe("function");
    }
  });

  for (const e of exercises) {
    test(`${e.name}: the solution passes, a stub is "not done yet"`, () => {
      const passed = grade(e.name, e.solution);
      expect(passed.status, passed.toString()).toBe("passed");
      expect(passed.toString()).toMatch(new RegExp(`^✓ ${e.name}: passed — correct on `));
      const stubSource = `${e.solution.split("\n")[0]}\n  return check.todo();\n}`;
      const stub = grade(e.name, stubSource);
      expect(stub.status, stub.toString()).toBe("todo");
      expect(stub.toString()).toContain("not done yet");
    });
  }
});

describe("messages for typical mistakes", () => {
  const cases: [string, string, RegExp][] = [
    [
      "neuron",
      "function f(x: number[], w: number[], b: number) { return x.reduce((s, v, i) => s + v * w[i], b); }",
      /weighted sum z itself/,
    ],
    [
      "layer",
      "function f(X: tf.Tensor, W: tf.Tensor, b: tf.Tensor) { return tf.sigmoid(X.matMul(W)); }",
      /leaves out the bias/,
    ],
    [
      "binaryCrossEntropy",
      "function f(t: tf.Tensor, p: tf.Tensor) { return t.mul(p.log()).add(tf.sub(1, t).mul(tf.sub(1, p).log())).mean(); }",
      /minus sign/,
    ],
    ["gradientStep", "function f(w: tf.Variable, g: tf.Tensor, lr: number) { w.add(g.mul(lr)); }", /did not change/],
    ["gradientStep", "function f(w: tf.Variable, g: tf.Tensor, lr: number) { w.assign(w.add(g.mul(lr))); }", /uphill/],
    [
      "confusionMatrix",
      "function f(t: number[], p: number[], k: number) { const m = Array.from({ length: k }, () => new Array(k).fill(0)); t.forEach((v, i) => m[p[i]][v]++); return m; }",
      /transposed/,
    ],
    ["softmax", "function f(z: tf.Tensor) { const e = z.exp(); return e.div(e.sum(1, true)); }", /NaN.*maximum/],
    [
      "softmax",
      "function f(z: tf.Tensor) { const e = z.sub(z.max()).exp(); return e.div(e.sum(0, true)); }",
      /columns sum to 1/,
    ],
    [
      "softmax",
      "function f(z: tf.Tensor) { const e = z.sub(z.max(1, true)).exp(); return e.div(e.sum()); }",
      /row 1 of your output sums to/,
    ],
    [
      "crossEntropy",
      "function f(Y: tf.Tensor, T: tf.Tensor) { return T.mul(Y.log()).mean().neg(); }",
      /averaged over all n·k entries/,
    ],
    ["outputGradient", "function f(Y: tf.Tensor, T: tf.Tensor) { return Y.sub(T); }", /1\/n of the mean is missing/],
    [
      "reluBackward",
      "function f(dA: tf.Tensor, Z: tf.Tensor) { return dA.mul(dA.greater(0).cast('float32')); }",
      /sign of dA/,
    ],
    [
      "numericalGradient",
      "function f(g: (x: number[]) => number, x: number[], eps: number) { return x.map((_, i) => { const u = x.slice(); u[i] += eps; return (g(u) - g(x)) / eps; }); }",
      /one-sided difference/,
    ],
    [
      "numericalGradient",
      "function f(g: (x: number[]) => number, x: number[], eps: number) { return x.map((_, i) => { x[i] += eps; const a = g(x); x[i] -= 2 * eps; const b = g(x); return (a - b) / (2 * eps); }); }",
      /changed x itself/,
    ],
    [
      "valueRelu",
      "function f(a: Value) { const out = new Value(Math.max(0, a.data), [a], 'relu'); out.backwardStep = () => { a.grad = (a.data > 0 ? 1 : 0) * out.grad; }; return out; }",
      /accumulate/,
    ],
    [
      "momentumStep",
      "function f(t: number[], g: number[], v: number[], eta: number, mu: number) { const vn = v.map((x, i) => mu * x + g[i]); return { theta: t.map((x, i) => x - eta * v[i]), v: vn }; }",
      /old velocity/,
    ],
    [
      "adamStep",
      "function f(th: number[], g: number[], m: number[], v: number[], t: number, eta: number) { const mn = m.map((x, i) => 0.9 * x + 0.1 * g[i]); const vn = v.map((x, i) => 0.999 * x + 0.001 * g[i] ** 2); return { theta: th.map((x, i) => x - eta * mn[i] / (Math.sqrt(vn[i]) + 1e-7)), m: mn, v: vn }; }",
      /bias correction/,
    ],
    [
      "l2Penalty",
      "function f(ws: tf.Tensor[], l: number) { return tf.addN(ws.map((w) => w.abs().sum())).mul(l); }",
      /L1 penalty/,
    ],
    [
      "dropout",
      "function f(x: tf.Tensor, rate: number) { return x.mul(tf.randomUniform(x.shape).greaterEqual(rate).cast('float32')); }",
      /not scaled/,
    ],
    [
      "earlyStop",
      "function f(l: number[], p: number) { let best = 0, wait = 0; for (let i = 0; i < l.length; i++) { if (i === 0 || l[i] < l[best - 1]) { best = i + 1; wait = 0; } else if (++wait > p) return { stopAfter: i + 1, best }; } return { stopAfter: l.length, best }; }",
      /reaches\* patience/,
    ],
    [
      "softTargets",
      "function f(z: number[], T: number) { const e = z.map((v) => Math.exp(v * T)); const s = e.reduce((a, b) => a + b); return e.map((v) => v / s); }",
      /multiplied the logits by T/,
    ],
    [
      "linearGradients",
      "function f(x: number[], y: number[], a: number, b: number): [number, number] { return [2 * (b * x[0] + a - y[0]), 2 * (b * x[1] + a - y[1])]; }",
      /article's bug/,
    ],
    [
      "logisticGradient",
      "function f(X: tf.Tensor, y: tf.Tensor, t: tf.Tensor) { return X.transpose().matMul(X.matMul(t).sub(y)).div(X.shape[0]); }",
      /sigmoid is missing/,
    ],
    [
      "convOutputSize",
      "function f(n: number, k: number, s: number, p: string) { return p === 'same' ? Math.ceil(n / s) : Math.floor((n - k) / s); }",
      /one short/,
    ],
    [
      "conv2dValid",
      "function f(im: number[][], k: number[][]) { const n = k.length; return Array.from({ length: im.length - n + 1 }, (_, i) => Array.from({ length: im[0].length - k[0].length + 1 }, (_, j) => { let s = 0; for (let u = 0; u < n; u++) for (let v = 0; v < k[0].length; v++) s += im[i + u][j + v] * k[n - 1 - u][k[0].length - 1 - v]; return s; })); }",
      /flipped the kernel/,
    ],
    [
      "rnnStep",
      "function f(x: tf.Tensor, h: tf.Tensor, W: tf.Tensor, U: tf.Tensor, b: tf.Tensor) { return tf.tanh(x.matMul(W).add(b)); }",
      /previous state/,
    ],
    ["xorFeatures", "function f(X: tf.Tensor) { return X; }", /straight line/],
    [
      "leakyRelu",
      "function f(z: tf.Tensor, a: number) { const v = Array.from(z.dataSync()).map((x) => (x > 0 ? x : a * x)); return tf.tensor(v); }",
      /tf\.grad/,
    ],
    [
      "klDivergence",
      "function f(p: number[], q: number[]) { return q.reduce((s, qi, i) => s + qi * Math.log(qi / p[i]), 0); }",
      /KL\(Q‖P\)/,
    ],
    ["initStd", "function f(n: number, a: string) { return (a === 'relu' ? 2 : 1) / n; }", /variance/],
    [
      "maxPool",
      "function f(x: number[][], s: number) { return Array.from({ length: Math.floor(x.length / s) }, (_, i) => Array.from({ length: Math.floor(x[0].length / s) }, (_, j) => { let t = 0; for (let u = 0; u < s; u++) for (let v = 0; v < s; v++) t += x[s * i + u][s * j + v]; return t / (s * s); })); }",
      /average pooling/,
    ],
    [
      "clipByGlobalNorm",
      "function f(gs: tf.Tensor[], m: number) { return gs.map((g) => { const n = g.norm().dataSync()[0]; return g.mul(Math.min(1, m / n)); }); }",
      /own norm/,
    ],
    [
      "layerBackward",
      "function f(W: tf.Tensor, d: tf.Tensor, a: tf.Tensor, z: tf.Tensor) { return { dW: a.matMul(d.transpose()), db: d, deltaPrev: W.matMul(d) }; }",
      /σ'\(z_prev\)/,
    ],
    [
      "bigramCounts",
      "function f(ws: string[]) { const abc = '.abcdefghijklmnopqrstuvwxyz'; const N = Array.from({ length: 27 }, () => new Array(27).fill(0)); for (const w of ws) for (let i = 0; i + 1 < w.length; i++) N[abc.indexOf(w[i])][abc.indexOf(w[i + 1])]++; return N; }",
      /surround each word with dots/,
    ],
    [
      "smoothProbabilities",
      "function f(N: number[][], k: number) { return N.map((r) => { const s = r.reduce((a, b) => a + b, 0); return r.map((c) => (c + k) / s); }); }",
      /sums to/,
    ],
    [
      "sampleIndex",
      "function f(p: number[], u: number) { let t = 0; for (let i = 0; i < p.length; i++) { t += p[i]; if (u <= t) return i; } return p.length - 1; }",
      /u < total/,
    ],
    [
      "wordNll",
      "function f(w: string, P: number[][]) { const abc = '.abcdefghijklmnopqrstuvwxyz'; const s = '.' + w; let t = 0; for (let i = 0; i + 1 < s.length; i++) t -= Math.log(P[abc.indexOf(s[i])][abc.indexOf(s[i + 1])]); return t / (s.length - 1); }",
      /final pair/,
    ],
    [
      "contexts",
      "function f(w: string, b: number): [string, string][] { const out: [string, string][] = []; let c = '.'.repeat(b); for (const ch of w) { out.push([c, ch]); c = c.slice(1) + ch; } return out; }",
      /one short/,
    ],
    [
      "causalAttention",
      "function f(Q: tf.Tensor, K: tf.Tensor, V: tf.Tensor) { return tf.softmax(Q.matMul(K.transpose()).div(2)).matMul(V); }",
      /future leaks/,
    ],
  ];
  for (const [name, source, message] of cases) {
    test(`${name}: ${message.source}`, () => {
      const r = grade(name, source);
      expect(r.status).toBe("failed");
      expect(r.message).toMatch(message);
    });
  }

  test("an answer that throws, returns a Promise or is not a function fails with a message, never throws", () => {
    const throws = grade("softmax", "function f(z: tf.Tensor) { return z.matMul(tf.ones([7, 7])); }");
    expect(throws.status).toBe("failed");
    expect(throws.message).toMatch(/your function threw Error: .*for a 2×3 score matrix/);
    const promise = grade("neuron", "async function f(x: number[]) { return 0.5; }");
    expect(promise.message).toMatch(/returned a Promise/);
    const notFunction = (check.softmax as (a: unknown) => CheckResult)(42);
    expect(notFunction.message).toMatch(
      /needs your function itself, e\.g\. check\.softmax\(myFunction\), but got number 42/,
    );
  });

  test("a check does not change tf's global random state or leak tensors", () => {
    const solution = allExercises().find((e) => e.name === "xorFeatures")!.solution;
    tf.setSeed(123);
    const before = tf.memory().numTensors;
    grade("xorFeatures", solution);
    const afterDraw = tf.randomUniform([3], 0, 1).dataSync();
    tf.setSeed(123);
    expect(Array.from(tf.randomUniform([3], 0, 1).dataSync())).toEqual(Array.from(afterDraw));
    expect(tf.memory().numTensors).toBeLessThanOrEqual(before + 3);
  });
});

describe("hints, solutions, progress", () => {
  test("each call shows the next hint; the last one points to the solution", () => {
    const first = check.hint("crossEntropy").toString();
    expect(first).toMatch(/^Hint 1 of 2 for crossEntropy: .*Run it again for hint 2/);
    expect(check.hint("crossEntropy").toString()).toMatch(/^Hint 2 of 2 .*check\.solution\("crossEntropy"\)/);
    expect(check.hint("crossEntropy").toString()).toMatch(/^Hint 2 of 2/);
    expect(check.hint("crossEntropy", 1).toString()).toMatch(/^Hint 1 of 2/);
    expect(() => check.hint("crossEntropy", 5)).toThrow(/hints 1 to 2, not 5/);
    expect(() => check.hint("sofmax" as "softmax")).toThrow(/no exercise 'sofmax'; did you mean 'softmax'/);
  });

  test("a solution displays as markdown with a TypeScript block", () => {
    const bundle = (check.solution("softmax") as unknown as Record<symbol, () => Record<string, string>>)[
      Symbol.for("Jupyter.display")
    ]!();
    expect(bundle["text/markdown"]).toContain("```ts\nfunction mySoftmax(scores: tf.Tensor): tf.Tensor {");
  });

  test("results display as a coloured box; progress lists each exercise's latest status", () => {
    const r = grade("neuron", allExercises().find((e) => e.name === "neuron")!.solution);
    const bundle = (r as unknown as Record<symbol, () => Record<string, string>>)[Symbol.for("Jupyter.display")]!();
    expect(bundle["text/html"]).toMatch(/border-left:4px solid #2e7d32.*✓ neuron<\/b>: passed/);
    grade("layer", "function f(X: tf.Tensor) { return check.todo(); }");
    const table = check.progress("01").toString();
    expect(table).toMatch(/^\d of 5 exercises passed in notebook 01\./);
    expect(table).toMatch(/01 check\.neuron\s+✓ passed/);
    expect(table).toMatch(/01 check\.layer\s+✎ not done yet/);
    expect(() => check.progress("99")).toThrow(/no exercises for notebook '99'/);
  });
});
