/**
 * TypeScript written against TF.js's own declarations type-checks unchanged against deepts's `tf`.
 * Each program below is first checked against `@tensorflow/tfjs-core` + `tfjs-layers` 4.22 (the
 * oracle: a program TF.js's types refuse is a mistake in this file), then against deepts's
 * `dist/tf.d.ts`, both as the kernel checks a cell: with TypeScript's default options and strict.
 *
 * A program that needs an API another part of issue 12 is still adding lists it under `pending`
 * (text its diagnostics must contain); once it passes, the test says so, so the mark goes.
 */
import { afterAll, describe, expect, test } from "vitest";
import path from "node:path";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { CellChecker, readableMessage, type CheckedMode } from "../../src/eval/checker.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const deeptsTypes = path.join(root, "dist", "tf.d.ts");
const oracleTypes = path.join(here, "fixtures", "tfjs", "index.d.ts");

interface Program {
  name: string;
  code: string;
  /** Texts of the diagnostics expected until the API arrives. */
  pending?: string[];
}

const programs: Program[] = [
  {
    name: "rank generics: buffer<Rank.R3>, tensor2d, Scalar.arraySync(): number, Tensor1D.array()",
    code: `
const buf = tf.buffer<tf.Rank.R3>([2, 3, 4], "float32");
buf.set(1, 0, 1, 2);
const t3: tf.Tensor3D = buf.toTensor();
const first: number = buf.get(0, 1, 2);
const m: tf.Tensor2D = tf.tensor2d([[1, 2], [3, 4]]);
const rows: number[][] = m.arraySync();
const s: tf.Scalar = tf.scalar(3);
const n: number = s.arraySync();
const v: tf.Tensor1D = tf.tensor1d([1, 2, 3]);
async function read(): Promise<number> {
  const values: number[] = await v.array();
  const flat = await m.data();
  return values[0] + flat[0] + (await s.array());
}
const r: tf.Tensor<tf.Rank.R2> = tf.tensor([[1], [2]]);
const t4: tf.Tensor4D = tf.zeros([1, 2, 2, 1]);
const big: tf.Tensor<tf.Rank.R4> = t4;
`,
  },
  {
    name: "ops return the rank the program asks for",
    code: `
const a: tf.Tensor2D = tf.tensor2d([[1, 2], [3, 4]]);
const prod: tf.Tensor2D = tf.matMul(a, a);
const sum: tf.Tensor2D = a.add(a);
const total: tf.Scalar = a.sum();
const col: tf.Tensor2D = a.reshape([4, 1]);
const col2 = a.reshape<tf.Tensor2D>([4, 1]);
const zeros2 = tf.zeros<tf.Rank.R2>([2, 2]);
const rows2: number[][] = zeros2.arraySync();
const rowSums: tf.Tensor1D = tf.sum(a, 1);
const squeezed: tf.Tensor1D = a.slice([0, 0], [1, 2]).squeeze();
const mean: number = a.mean().dataSync()[0];
const parts: tf.Tensor[] = tf.split(a, 2, 0);
const stacked: tf.Tensor3D = tf.stack([a, a]) as tf.Tensor3D;
const kept: tf.Tensor2D = tf.tidy(() => a.square());
const asD: tf.Tensor1D = a.as1D();
const ints = a.toInt().dataSync();
`,
  },
  {
    name: "variables, gradients and optimizers: minimize returns Scalar | null",
    code: `
const w = tf.variable(tf.scalar(0.5));
const b: tf.Variable = tf.variable(tf.zeros([1]));
const xs = tf.tensor1d([1, 2, 3]);
const ys = tf.tensor1d([2, 4, 6]);
const predict = (x: tf.Tensor): tf.Tensor => x.mul(w).add(b);
const loss = (pred: tf.Tensor, label: tf.Tensor): tf.Scalar => pred.sub(label).square().mean();
const optimizer = tf.train.sgd(0.1);
for (let i = 0; i < 3; i++) optimizer.minimize(() => loss(predict(xs), ys));
const cost: tf.Scalar | null = optimizer.minimize(() => loss(predict(xs), ys), true);
const dfdx = tf.grad((x: tf.Tensor) => x.square().sum());
const g: tf.Tensor = dfdx(xs);
const { value, grads } = tf.variableGrads(() => loss(predict(xs), ys));
const first: tf.Tensor = grads[w.name];
const adam: tf.Optimizer = tf.train.adam(0.01);
w.assign(tf.scalar(1));
`,
  },
  {
    name: "a sequential model: compile, fit (History), predict and evaluate cast as TF.js users do",
    code: `
const model = tf.sequential();
model.add(tf.layers.dense({ units: 8, activation: "relu", inputShape: [4] }));
model.add(tf.layers.dense({ units: 3, activation: "softmax" }));
model.compile({ optimizer: tf.train.adam(0.01), loss: "categoricalCrossentropy", metrics: ["accuracy"] });
const xs = tf.randomNormal([16, 4]);
const ys = tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0], "int32"), 3);
async function train(): Promise<number> {
  const history: tf.History = await model.fit(xs, ys, {
    epochs: 2,
    batchSize: 8,
    validationSplit: 0.25,
    callbacks: { onEpochEnd: async (epoch: number, logs?: tf.Logs) => console.log(epoch, logs?.loss) },
  });
  const probs = model.predict(xs) as tf.Tensor;
  const both = model.predict([xs]) as tf.Tensor[];
  const [lossT, acc] = model.evaluate(xs, ys) as tf.Scalar[];
  return (history.history.loss[0] as number) + probs.shape[0] + both.length + lossT.dataSync()[0] + acc.dataSync()[0];
}
const weights: tf.Tensor[] = model.getWeights();
model.summary();
`,
  },
  {
    name: "the functional API: apply(...) as tf.SymbolicTensor, tf.model, tf.input",
    code: `
const input = tf.input({ shape: [4] });
const dense1 = tf.layers.dense({ units: 8, activation: "relu" });
const dense2 = tf.layers.dense({ units: 2, activation: "softmax" });
const hidden = dense1.apply(input) as tf.SymbolicTensor;
const output = dense2.apply(hidden) as tf.SymbolicTensor;
const model: tf.LayersModel = tf.model({ inputs: input, outputs: output });
const shape: (number | null)[] = output.shape;
const eager = dense1.apply(tf.zeros([2, 4])) as tf.Tensor;
const many = dense1.apply([tf.zeros([2, 4])]) as tf.Tensor[];
const out2 = model.predict(tf.zeros([3, 4])) as tf.Tensor2D;
`,
  },
  {
    name: "a custom layer extending tf.layers.Layer, registered for serialization",
    code: `
class Scale extends tf.layers.Layer {
  static className = "Scale";
  private factor: number;
  constructor(config: { factor: number }) {
    super({});
    this.factor = config.factor;
  }
  computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }
  call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor | tf.Tensor[] {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      return x.mul(this.factor);
    });
  }
  getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), factor: this.factor };
  }
}
tf.serialization.registerClass(Scale);
const scaled = new Scale({ factor: 2 }).apply(tf.ones([1, 3])) as tf.Tensor;
const layer: tf.layers.Layer = tf.sequential({ layers: [new Scale({ factor: 3 })] }).layers[0];
`,
  },
  {
    name: "memory: tidy, keep, dispose, memory()",
    code: `
const kept = tf.tidy(() => {
  const a = tf.ones([2, 2]);
  const b = tf.keep(a.add(1));
  return b.mul(2);
});
const info = tf.memory();
const count: number = info.numTensors + info.numBytes;
tf.dispose([kept]);
kept.dispose();
const back: string = tf.getBackend();
`,
  },
];

const checkers: CellChecker[] = [];
function checkerFor(typesFrom: string): CellChecker {
  const c = new CellChecker(ts, { cwd: here, residents: [{ name: "tf", typesFrom }] });
  checkers.push(c);
  return c;
}
afterAll(() => checkers.splice(0));

const built = existsSync(deeptsTypes);
const modes: CheckedMode[] = ["typescript", "strict"];

describe.each(modes)("TF.js-typed programs as %s cells", (mode) => {
  const oracle = checkerFor(oracleTypes);
  const deepts = checkerFor(deeptsTypes);
  const format = (ds: { line: number; column: number; message: string }[]) =>
    ds.map((d) => `line ${d.line}:${d.column} ${d.message}`).join("\n");

  test.each(programs.map((p) => [p.name, p] as const))("%s", (_name, program) => {
    if (!built) throw new Error(`${deeptsTypes} is missing: build first (npx tsc -p tsconfig.json)`);
    const oracleErrors = oracle.check(program.code, mode);
    expect(format(oracleErrors), "the program must be valid against TF.js's own types").toBe("");
    const errors = deepts.check(program.code, mode);
    if (!program.pending) {
      expect(format(errors)).toBe("");
      return;
    }
    const unexplained = errors.filter((d) => !program.pending!.some((p) => d.message.includes(p)));
    expect(format(unexplained), "only the pending API may be missing").toBe("");
    expect(errors.length, `passes now: remove pending ${JSON.stringify(program.pending)}`).toBeGreaterThan(0);
  });
});

describe("the corpus's TypeScript programs (test/corpus/programs/*.ts)", () => {
  const corpus = path.join(root, "test", "corpus", "programs");
  // A program that needs an API another part of issue 12 is still adding: file → the error texts.
  const pendingApi: Record<string, string[]> = {};
  test.each(readdirSync(corpus).filter((f) => f.endsWith(".ts")))("%s", (file) => {
    if (!built) throw new Error(`${deeptsTypes} is missing: build first (npx tsc -p tsconfig.json)`);
    const code = readFileSync(path.join(corpus, file), "utf8");
    const aliases = ["@tensorflow/tfjs", "@tensorflow/tfjs-node"];
    const against = (typesFrom: string) =>
      new CellChecker(ts, { cwd: here, residents: [{ name: "tf", typesFrom, moduleNames: aliases }] }).check(
        code,
        "typescript",
      );
    const format = (ds: { line: number; column: number; message: string }[]) =>
      ds.map((d) => `line ${d.line}:${d.column} ${d.message}`).join("\n");
    expect(format(against(oracleTypes)), "valid against TF.js's own types").toBe("");
    const errors = against(deeptsTypes);
    const pending = pendingApi[file] ?? [];
    expect(format(errors.filter((d) => !pending.some((p) => d.message.includes(p))))).toBe("");
    if (pending.length > 0) expect(errors.length, `${file} passes now: remove its pending API`).toBeGreaterThan(0);
  });
});

describe("error messages name types as the user wrote them", () => {
  test("the resident tf, not the checker's file for it", () => {
    if (!built) throw new Error(`${deeptsTypes} is missing: build first (npx tsc -p tsconfig.json)`);
    const deepts = checkerFor(deeptsTypes);
    const messages = deepts.check(
      "const notANumber: number = tf;\nconst alsoNot: number = tf.tensor([1]);",
      "typescript",
    );
    expect(messages.map((d) => d.message)).toEqual([
      "Type 'typeof tf' is not assignable to type 'number'.",
      "Type 'Tensor' is not assignable to type 'number'.",
    ]);
  });

  test("paths of library files and the notebook's files", () => {
    const root = "/opt/deepts";
    expect(readableMessage(`Type 'typeof import("${here}/__deepts_resident_tf")' is wrong.`, here)).toBe(
      "Type 'typeof tf' is wrong.",
    );
    expect(readableMessage(`'"${here}/__deepts_resident_tf"' has no exported member named 'x'.`, here)).toBe(
      "'tf' has no exported member named 'x'.",
    );
    expect(readableMessage(`Type 'import("${root}/node_modules/pkg/dist/a").Thing' is wrong.`, here)).toBe(
      "Type 'Thing' is wrong.",
    );
    expect(readableMessage(`Type 'typeof import("${here}/local_mod")' is wrong.`, here)).toBe(
      `Type 'typeof import("./local_mod")' is wrong.`,
    );
    expect(readableMessage("Cannot redeclare 'x__deepts_old3'.", here)).toBe("Cannot redeclare 'x'.");
  });
});
