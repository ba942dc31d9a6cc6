/** tf.io's buffer helpers against TF.js: CompositeArrayBuffer, getModelArtifactsForJSONSync, decodeWeightsStream. */
import { beforeAll, describe, expect, test } from "vitest";
import * as tf from "../../src/tf.js";
import { tfc, oracleReady } from "./tfjs-oracle.js";

beforeAll(oracleReady);

const bytes = (b: ArrayBuffer) => Array.from(new Uint8Array(b));

describe("tf.io buffers", () => {
  const a = Uint8Array.from([1, 2, 3, 4, 5]).buffer;
  const b = Uint8Array.from([6, 7]).buffer;
  const c = Uint8Array.from([8, 9, 10]).buffer;

  test("CompositeArrayBuffer slices across its pieces as TF.js's does", () => {
    const ours = new tf.io.CompositeArrayBuffer([a, b, c]);
    const theirs = new tfc.io.CompositeArrayBuffer([a, b, c]);
    expect(ours.byteLength).toBe(theirs.byteLength);
    for (const [s, e] of [
      [0, 10],
      [3, 8],
      [5, 7],
      [4, 5],
      [9, 10],
      [2, 2],
    ]) {
      expect(bytes(ours.slice(s, e)), `slice(${s}, ${e})`).toEqual(bytes(theirs.slice(s, e)));
    }
    expect(bytes(tf.io.CompositeArrayBuffer.join([a, b]))).toEqual(bytes(tfc.io.CompositeArrayBuffer.join([a, b])));
    expect(tf.io.CompositeArrayBuffer.join(a)).toBe(a);
    expect(bytes(new tf.io.CompositeArrayBuffer(new Uint8Array([1, 2, 3]).subarray(1)).slice())).toEqual([2, 3]);
  });

  test("getModelArtifactsForJSONSync and decodeWeightsStream give what TF.js gives", async () => {
    const tensors = { w: tf.tensor([1.5, -2, 3], [3]), k: tf.tensor([[1, 2]], [1, 2], "int32") };
    const { data, specs } = await tf.io.encodeWeights(tensors);
    const json = { modelTopology: { class_name: "Sequential" }, format: "layers-model", weightsManifest: [] };
    const ours = tf.io.getModelArtifactsForJSONSync(json, specs, data);
    const theirs = tfc.io.getModelArtifactsForJSONSync(json, specs, data);
    expect(ours.modelTopology).toEqual(theirs.modelTopology);
    expect(ours.weightSpecs).toEqual(theirs.weightSpecs);
    expect(bytes(ours.weightData!)).toEqual(bytes(theirs.weightData as ArrayBuffer));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        const all = new Uint8Array(data);
        controller.enqueue(all.slice(0, 5));
        controller.enqueue(all.slice(5));
        controller.close();
      },
    });
    const decoded = await tf.io.decodeWeightsStream(stream, specs);
    expect(Array.from(decoded.w.dataSync())).toEqual([1.5, -2, 3]);
    expect(decoded.k.dtype).toBe("int32");
    expect(Array.from(decoded.k.dataSync())).toEqual([1, 2]);
  });
});
