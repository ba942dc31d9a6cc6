/**
 * `fit` outside a notebook, as a Node script using deepts as a library (the built `dist/`): one
 * line per epoch when stdout is a pipe, one progress bar redrawn in place on a terminal (a pty
 * made by util-linux `script`).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, test } from "vitest";

const tfModule = pathToFileURL(resolve(import.meta.dirname, "../../dist/tf.js")).href;

function script(body: string): string {
  const dir = mkdtempSync(join(tmpdir(), "deepts-progress-"));
  const file = join(dir, "train.mjs");
  writeFileSync(
    file,
    `import * as tf from ${JSON.stringify(tfModule)};
tf.setSeed(1);
const model = tf.sequential();
model.add(tf.layers.dense({ units: 8, activation: "relu", inputShape: [4] }));
model.add(tf.layers.dense({ units: 1 }));
model.compile({ optimizer: "adam", loss: "meanSquaredError" });
const xs = tf.randomNormal([2000, 4]);
const ys = xs.sum(1, true);
${body}
`,
  );
  return file;
}

describe("fit's progress in a script", () => {
  test("piped output: one line per epoch, nothing redrawn", () => {
    const file = script("await model.fit(xs, ys, { epochs: 3, batchSize: 10 });");
    const r = spawnSync(process.execPath, [file], { encoding: "utf8", timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(3);
    lines.forEach((line, i) => expect(line).toMatch(new RegExp(`^Epoch ${i + 1}/3 · [\\d.]+s · loss=\\d`)));
    expect(r.stdout).not.toContain("\r");
  });

  test("a terminal: one bar redrawn in place with \\r, ending on the last epoch's line", () => {
    // Slow batches, so the bar is drawn several times within an epoch.
    const file =
      script(`await model.fit(xs, ys, { epochs: 2, batchSize: 10, callbacks: [{ onBatchEnd: async () => { const t = Date.now() + 2; while (Date.now() < t); } }] });
console.log("after fit");`);
    const r = spawnSync("script", ["-qec", `${process.execPath} ${file}`, "/dev/null"], {
      encoding: "utf8",
      timeout: 60_000,
      env: { ...process.env, COLUMNS: "120" },
    });
    expect(r.status, r.stderr).toBe(0);
    const screen = r.stdout.replace(/\r\n/g, "\n");
    const redraws = screen.split("\r").length - 1;
    expect(redraws).toBeGreaterThan(4);
    expect(screen).toMatch(/Epoch 1\/2 \[=*>? *\] \d+\/200 /);
    // Only the final state stays on its line; then the script's own output on the next one.
    const finalLines = screen
      .split("\n")
      .map((l) => l.slice(l.lastIndexOf("\r") + 1).trimEnd())
      .filter(Boolean);
    expect(finalLines).toHaveLength(2);
    expect(finalLines[0]).toMatch(/^Epoch 2\/2 · [\d.]+s · loss=\d/);
    expect(finalLines[1]).toBe("after fit");
  });
});
