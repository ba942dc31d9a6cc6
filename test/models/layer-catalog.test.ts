/**
 * Every factory of TF.js 4.22's `tf.layers` against real tfjs-layers: the same options and the same
 * (random) weights give the same class name, output shapes (concrete and symbolic with a null
 * batch), output values (inference, and training where deterministic), weight gradients, and
 * configuration (`getConfig`).
 */
import { beforeAll, describe, expect, test } from "vitest";
import * as tf from "../../src/runtime/index.js";
import { layers as ours, input, type Layer } from "../../src/models/index.js";
import { tfc, tfl, oracleReady } from "./tfjs-oracle.js";
import { values, expectClose, randomTensor, checkWeightGradients } from "./helpers.js";
import { forEachBackend } from "../runtime/backends.js";
import {
  CASES,
  CATALOG_FACTORIES,
  SEPARATELY_TESTED,
  caseInputs,
  randomizeWeights,
  type Case,
  type LayersNs,
} from "./catalog.js";

beforeAll(oracleReady);

type Any = any;

const toTheirs = (t: tf.Tensor) => tfc.tensor(values(t), t.shape);
const list = <T>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);

/** The distribution an initializer config describes, whatever class name it is saved under. */
function canonicalInitializer(spec: Any): unknown {
  if (spec == null) return null;
  const presets: Record<string, [number, string, string]> = {
    GlorotUniform: [1, "fanAvg", "uniform"],
    GlorotNormal: [1, "fanAvg", "normal"],
    HeNormal: [2, "fanIn", "normal"],
    HeUniform: [2, "fanIn", "uniform"],
    LeCunNormal: [1, "fanIn", "normal"],
    LeCunUniform: [1, "fanIn", "uniform"],
  };
  const c = spec.config ?? {};
  if (spec.className === "VarianceScaling" || presets[spec.className]) {
    const [scale, mode, distribution] = presets[spec.className] ?? [c.scale, c.mode, c.distribution];
    return { variance: [scale, mode, distribution === "truncatedNormal" ? "normal" : distribution] };
  }
  const { seed: _, ...rest } = c;
  return { [spec.className]: rest };
}

/** Keys deepts writes that TF.js 4.22 omits (deliberately: each restores an option on reload). */
const EXTRA_KEYS: Record<string, string[]> = {
  SeparableConv2D: ["depthMultiplier"],
  GaussianNoise: ["seed"],
  GaussianDropout: ["seed"],
  AlphaDropout: ["seed", "noiseShape"],
  Bidirectional: ["batchInputShape", "dtype"],
};

/** Compares configs key by key; TF.js's unset (undefined) options may be any value here. */
function compareConfigs(className: string, ourConfig: Any, theirConfig: Any, path = ""): void {
  const extra = EXTRA_KEYS[className] ?? [];
  // TF.js records dtype only when the constructor was given an input shape; that varies by layer.
  const skip = (k: string) => k === "name" || k === "dtype";
  const ourKeys = Object.keys(ourConfig).filter((k) => !skip(k) && !extra.includes(k));
  const theirKeys = Object.keys(theirConfig).filter((k) => !skip(k));
  const missing = theirKeys.filter((k) => !ourKeys.includes(k));
  const added = ourKeys.filter((k) => !theirKeys.includes(k));
  expect({ missing, added }, `keys of ${className}${path}`).toEqual({ missing: [], added: [] });
  for (const k of theirKeys) {
    const a = ourConfig[k];
    const b = theirConfig[k];
    if (b === undefined || b === null) {
      if (a !== null && a !== undefined && typeof a === "object" && !Array.isArray(a))
        throw new Error(`${className}${path}.${k}: deepts has ${JSON.stringify(a)}, TF.js none`);
      continue;
    }
    if (/Initializer$/.test(k)) {
      expect(canonicalInitializer(a), `${className}${path}.${k}`).toEqual(canonicalInitializer(b));
    } else if (k === "layer" || k === "cell") {
      compareConfigs(b.className, a.config, b.config, `${path}.${k}`);
      expect(a.className).toBe(b.className);
    } else if (k === "cells") {
      expect(a.length).toBe(b.length);
      a.forEach((cell: Any, i: number) =>
        compareConfigs(cell.className, cell.config, b[i].config, `${path}.cells[${i}]`),
      );
    } else {
      expect(JSON.parse(JSON.stringify(a)), `${className}${path}.${k}`).toEqual(JSON.parse(JSON.stringify(b)));
    }
  }
}

function runCase(c: Case, seed: number, tol: number) {
  const oursLayer = ours[c.factory as keyof typeof ours] as unknown as (args?: unknown) => Layer;
  const ourLayer = oursLayer(c.args?.(ours as unknown as LayersNs));
  const theirLayer = tfl.layers[c.factory](c.args?.(tfl.layers) ?? {});
  expect(ourLayer.getClassName()).toBe(theirLayer.getClassName());
  const xs = caseInputs(c, seed);
  const x = xs.length === 1 ? xs[0] : xs;
  const xt = xs.length === 1 ? toTheirs(xs[0]) : xs.map(toTheirs);
  tf.dispose(list(ourLayer.apply(x) as tf.Tensor | tf.Tensor[]).filter((y) => !xs.includes(y)));
  randomizeWeights(ourLayer, seed * 7);
  theirLayer.apply(xt);
  theirLayer.setWeights(ourLayer.getWeights().map(toTheirs));
  expect(ourLayer.weights.map((w) => w.shape)).toEqual(theirLayer.weights.map((w: Any) => w.shape));
  // Saved weight names have the same structure: the layer's name, the inner layers' names, the weight.
  const structure = (layer: Any) => {
    const names: [string, string][] = [[layer.name, "LAYER"]];
    if (layer.forwardLayer) names.push([layer.forwardLayer.name, "FORWARD"], [layer.backwardLayer.name, "BACKWARD"]);
    return layer.weights.map((w: Any) =>
      w.originalName
        .split("/")
        .map((part: string) => names.find(([n]) => n === part)?.[1] ?? part)
        .join("/"),
    );
  };
  expect(structure(ourLayer)).toEqual(structure(theirLayer));

  for (const training of c.outputsDiffer ? [] : c.training ? [false, true] : [false]) {
    const ys = list(ourLayer.apply(x, { training }) as tf.Tensor | tf.Tensor[]);
    const yts = list(theirLayer.apply(xt, { training }) as Any);
    expect(ys.length, "outputs").toBe(yts.length);
    ys.forEach((y, i) => {
      expect(y.shape, `output ${i} shape`).toEqual(yts[i].shape);
      expectClose(values(tf.cast(y, "float32")), Array.from(yts[i].dataSync()), tol);
    });
  }

  // Symbolic shapes with an unknown batch.
  const shapes = (Array.isArray(c.input[0]) ? c.input : [c.input]) as number[][];
  const freshOurs = oursLayer(c.args?.(ours as unknown as LayersNs));
  const freshTheirs = tfl.layers[c.factory](c.args?.(tfl.layers) ?? {});
  const symOurs = shapes.map((s) => input({ batchShape: [null, ...s.slice(1)] }));
  const symTheirs = shapes.map((s) => tfl.input({ batchShape: [null, ...s.slice(1)] }));
  if (!c.outputsDiffer && !c.symbolicDiffers) {
    const so = list(freshOurs.apply(symOurs.length === 1 ? symOurs[0] : symOurs) as Any).map((t: Any) => t.shape);
    const st = list(freshTheirs.apply(symTheirs.length === 1 ? symTheirs[0] : symTheirs)).map((t: Any) => t.shape);
    expect(so).toEqual(st);
  }

  compareConfigs(ourLayer.getClassName(), ourLayer.getConfig(), theirLayer.getConfig());

  // Weight gradients of Σ output·R against TF.js's.
  const vars = ourLayer.trainableWeights.map((w) => w.read());
  if (vars.length > 0 && c.noTfjsGrad) checkWeightGradients(ourLayer, xs[0]);
  if (vars.length > 0 && !c.outputsDiffer && !c.noTfjsGrad) {
    const training = c.training ?? false;
    const outs = list(ourLayer.apply(x, { training }) as tf.Tensor | tf.Tensor[]);
    const rs = outs.map((o, i) => randomTensor(o.shape, 500 + i));
    tf.dispose(outs);
    const { value, grads } = tf.variableGrads(() => {
      const ys = list(ourLayer.apply(x, { training }) as tf.Tensor | tf.Tensor[]);
      return ys.reduce((acc: tf.Tensor, y, i) => tf.add(acc, tf.sum(tf.mul(y, rs[i]))), tf.scalar(0));
    }, vars);
    value.dispose();
    const tvars = theirLayer.trainableWeights.map((w: Any) => w.read());
    const rts = rs.map(toTheirs);
    const theirs = tfc.variableGrads(() => {
      const ys = list(theirLayer.apply(xt, { training }) as Any);
      return ys.reduce((acc: Any, y: Any, i: number) => tfc.add(acc, tfc.sum(tfc.mul(y, rts[i]))), tfc.scalar(0));
    }, tvars);
    vars.forEach((v, i) => {
      expectClose(values(grads[v.name]), Array.from(theirs.grads[tvars[i].name].dataSync()), Math.max(tol, 1e-4));
    });
    tf.dispose([...Object.values(grads), ...rs]);
  }
  tf.dispose(xs);
}

describe("every tf.layers factory against TF.js", () => {
  test("the catalog covers every factory of TF.js 4.22's tf.layers", () => {
    const missingHere = Object.keys(tfl.layers).filter((k) => !(k in ours));
    expect(missingHere).toEqual([]);
    const untested = Object.keys(tfl.layers).filter((k) => !CATALOG_FACTORIES.has(k) && !SEPARATELY_TESTED.has(k));
    expect(untested).toEqual([]);
  });
});

// Layers are composed from public ops, so each backend runs them; TF.js (cpu) is the reference.
forEachBackend(({ name }) => {
  CASES.forEach((c, i) => {
    test(`${c.label} (${name})`, () => runCase(c, 100 + i * 10, Math.max(c.tol ?? 1e-5, tf.backend().epsilon * 20)));
  });
});
