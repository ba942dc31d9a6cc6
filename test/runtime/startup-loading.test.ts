/**
 * What importing the runtime loads: not gpu.js (nor headless-gl without an X display), which only
 * the gpu.js backends use, nor the image codecs; each loads when first used and then runs as before.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const dist = fileURLToPath(new URL("../../dist/tf.js", import.meta.url));

/** Runs `body` in a fresh Node process after `tf` (the built runtime) is imported; returns what it printed as JSON. */
function inFreshProcess(body: string, env: Record<string, string> = {}): Record<string, unknown> {
  const script = `
    import { createRequire } from "node:module";
    const loaded = (name) => Object.keys(createRequire(import.meta.url).cache).some((f) => f.includes("/node_modules/" + name + "/"));
    const tf = await import(${JSON.stringify(dist)});
    ${body}`;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    env: { ...process.env, ...env },
    encoding: "utf8",
  });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout.trim().split("\n").at(-1)!) as Record<string, unknown>;
}

describe("importing the runtime", () => {
  it("does not load gpu.js; the webasm backend loads it when it starts, and computes", () => {
    const r = inFreshProcess(`
      const atImport = loaded("gpu.js");
      const registered = tf.engine().registeredBackends().includes("webasm");
      await tf.setBackend("webasm");
      const sum = Array.from(tf.add([1, 2], [3, 4]).dataSync());
      console.log(JSON.stringify({ atImport, registered, backend: tf.getBackend(), sum, afterwards: loaded("gpu.js") }));`);
    expect(r).toEqual({ atImport: false, registered: true, backend: "webasm", sum: [4, 6], afterwards: true });
  });

  it("does not load the JPEG and GIF codecs; the first encode or decode loads them", () => {
    const r = inFreshProcess(`
      const atImport = ["jpeg-js", "omggif"].filter(loaded);
      const image = tf.tensor3d([10, 20, 30, 40, 50, 60], [1, 2, 3], "int32");
      const decoded = tf.node.decodeJpeg(await tf.node.encodeJpeg(image, "rgb", 100));
      console.log(JSON.stringify({ atImport, shape: decoded.shape, afterwards: ["jpeg-js", "omggif"].filter(loaded) }));`);
    expect(r).toEqual({ atImport: [], shape: [1, 2, 3], afterwards: ["jpeg-js"] });
  });

  it("does not load headless-gl without an X display, and says why headlessgl is missing", () => {
    const r = inFreshProcess(
      `
      const { headlessGlStatus } = await import(${JSON.stringify(fileURLToPath(new URL("../../dist/runtime/backends/gpujs/headlessgl.js", import.meta.url)))});
      const atImport = loaded("gl");
      const registered = tf.engine().registeredBackends().includes("headlessgl");
      console.log(JSON.stringify({ atImport, registered, status: headlessGlStatus() }));`,
      { DISPLAY: "" },
    );
    expect(r.atImport).toBe(false);
    expect(r.registered).toBe(false);
    expect((r.status as { available: boolean }).available).toBe(false);
    expect((r.status as { reason: string }).reason).toMatch(/gl|display/i);
  });
});
