/**
 * Save/load round trip for every layer of the catalog, and JSON compatibility with TF.js both ways:
 * a model holding the layer, saved by deepts, reloads in deepts and in real tfjs-layers with the
 * same predictions; the same model built and saved by TF.js loads in deepts and predicts the same.
 */
import { beforeAll, describe, expect, test } from "vitest";
import type * as tf from "../../src/runtime/index.js";
import {
  layers as ours,
  input,
  model,
  loadLayersModel,
  io,
  type Layer,
  type LayersModel,
  type ModelArtifacts,
  type SymbolicTensor,
} from "../../src/models/index.js";
import { tfc, tfl, oracleReady } from "./tfjs-oracle.js";
import { values, expectSameOutputs, savedArtifacts } from "./helpers.js";
import { CASES, caseInputs, randomizeWeights, type Case, type LayersNs } from "./catalog.js";

beforeAll(oracleReady);

type Any = ReturnType<typeof JSON.parse>;

const toTheirs = (t: tf.Tensor) => tfc.tensor(values(t), t.shape);
const _list = <T>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);

/** The case's layer in a functional model `inputs → layer → outputs`. */
function oursModel(c: Case): LayersModel {
  const factory = ours[c.factory as keyof typeof ours] as unknown as (a?: unknown) => Layer;
  const layer = factory(c.args?.(ours as unknown as LayersNs));
  const shapes = (Array.isArray(c.input[0]) ? c.input : [c.input]) as number[][];
  const inputs = shapes.map((s) => input({ batchShape: [null, ...s.slice(1)] }));
  const outputs = layer.apply(inputs.length === 1 ? inputs[0] : inputs) as SymbolicTensor | SymbolicTensor[];
  return model({ inputs, outputs });
}

function theirsModel(c: Case): Any {
  const layer = tfl.layers[c.factory](c.args?.(tfl.layers) ?? {});
  const shapes = (Array.isArray(c.input[0]) ? c.input : [c.input]) as number[][];
  const inputs = shapes.map((s) => tfl.input({ batchShape: [null, ...s.slice(1)] }));
  return tfl.model({ inputs, outputs: layer.apply(inputs.length === 1 ? inputs[0] : inputs) });
}

const saveable = CASES.filter((c) => !c.outputsDiffer);

describe("every layer saves and loads", () => {
  saveable.forEach((c, k) => {
    test(`${c.label}: deepts → deepts${c.noTfjsSave ? "" : ", deepts → TF.js, TF.js → deepts"}`, async () => {
      const xs = caseInputs(c, 900 + k);
      const x = xs.length === 1 ? xs[0] : xs;
      const xt = xs.length === 1 ? toTheirs(xs[0]) : xs.map(toTheirs);
      const m = oursModel(c);
      randomizeWeights(m, 40 + k);
      const expected = m.predict(x) as tf.Tensor | tf.Tensor[];
      const artifacts = await savedArtifacts<ModelArtifacts>(m, io);
      expect(artifacts.weightSpecs!.map((w) => w.name)).toEqual(m.weights.map((w) => w.originalName));

      const again = await loadLayersModel(io.fromMemory(artifacts));
      expect(again.layers.map((l) => l.getClassName())).toEqual(m.layers.map((l) => l.getClassName()));
      expectSameOutputs(again.predict(x) as tf.Tensor | tf.Tensor[], expected, 1e-6);
      expect(again.getConfig()).toEqual(m.getConfig());

      if (c.noTfjsSave) return;
      const inTfjs = await tfl.loadLayersModel(tfc.io.fromMemory(artifacts));
      expectSameOutputs(expected, inTfjs.predict(xt), c.tol ?? 1e-5);

      const theirs = theirsModel(c);
      theirs.setWeights(m.getWeights().map(toTheirs));
      const theirArtifacts = await savedArtifacts<ModelArtifacts>(theirs, tfc.io);
      const fromTfjs = await loadLayersModel(io.fromMemory(theirArtifacts));
      expectSameOutputs(fromTfjs.predict(x) as tf.Tensor | tf.Tensor[], theirs.predict(xt), c.tol ?? 1e-5);
    });
  });
});
