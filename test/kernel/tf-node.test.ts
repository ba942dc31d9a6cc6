/**
 * A tfjs-node program's image code in a notebook cell, through the real kernel over ZeroMQ:
 * `require("@tensorflow/tfjs-node")` gives deepts's `tf`, whose `tf.node` reads an image file.
 */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { TestKernel } from "./client.js";

let k: TestKernel;
beforeAll(async () => {
  k = await TestKernel.start();
});
afterAll(async () => {
  await k?.shutdown();
});

test("tf.node.decodeImage(fs.readFileSync(f)) works in a cell, typed, and a bad file is a clear error", async () => {
  const png = join(import.meta.dirname, "../runtime/fixtures/images/rgb8.png");
  const { reply, outputs } = await k.execute(
    `const fs = require("fs");
const tfn = require("@tensorflow/tfjs-node");
const img = tfn.node.decodeImage(fs.readFileSync(${JSON.stringify(png)}), 3);
const back = tfn.node.decodePng(await tfn.node.encodePng(img as tf.Tensor3D));
console.log(JSON.stringify(img.shape), img.dtype, back.equal(img).all().dataSync()[0]);`,
  );
  expect(reply.content.evalue ?? "").toBe("");
  expect(reply.content.status).toBe("ok");
  expect(TestKernel.streamText(outputs, "stdout").trim()).toBe("[9,13,3] int32 1");

  const bad = await k.execute("tf.node.decodeImage(new Uint8Array([1, 2, 3, 4, 5]))");
  expect(bad.reply.content.status).toBe("error");
  expect(String(bad.reply.content.evalue)).toMatch(/Expected image \(BMP, JPEG, PNG, or GIF\)/);
  const after = await k.execute("img.shape");
  expect(after.reply.content.status).toBe("ok");
});

test("a fit with tf.node.tensorBoard in a cell writes event files to train/ and val/", async () => {
  const logdir = mkdtempSync(join(tmpdir(), "deepts-kernel-tb-"));
  try {
    const { reply } = await k.execute(
      `const m = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
m.compile({ optimizer: "sgd", loss: "meanSquaredError" });
await m.fit(tf.ones([8, 1]), tf.ones([8, 1]), { epochs: 2, validationSplit: 0.25, verbose: 0,
  callbacks: tf.node.tensorBoard(${JSON.stringify(logdir)}) });`,
    );
    expect(reply.content.evalue ?? "").toBe("");
    for (const run of ["train", "val"]) {
      expect(readdirSync(join(logdir, run))).toEqual([expect.stringMatching(/^events\.out\.tfevents\.\d+\..+\.v2$/)]);
    }
  } finally {
    rmSync(logdir, { recursive: true, force: true });
  }
});
