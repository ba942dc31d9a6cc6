/**
 * Every backend the tests expect is there. Locally a missing one only skips its groups (with the
 * reason in their titles); on CI (`CI` set) it fails here, with what CI must install. A backend
 * left out by DEEPTS_TEST_BACKENDS is not expected.
 */
import { describe, expect, it } from "vitest";
import * as tf from "../../src/runtime/index.js";
import { backendsUnderTest, TEST_BACKENDS, type TestBackend, unavailable, wantedBackends } from "./backends.js";

/** What CI does to provide each backend (.ci/run). */
const PROVIDED_BY: Record<Exclude<TestBackend, "cpu">, string> = {
  wasm: "WebAssembly SIMD, shared memory and worker threads in Node (always there)",
  webasm: "WebAssembly in Node (always there)",
  native:
    "the addon built at `npm ci` (apt-get install g++ make python3 libopenblas-dev; node src/runtime/backends/native/csrc/build.mjs)",
  webgpu: "Mesa's lavapipe (mesa-vulkan-drivers from bookworm-backports), which gives Dawn a software adapter",
  headlessgl:
    "the gl package built from source at `npm ci` (libx11-dev libxi-dev libxext-dev libgl-dev pkg-config) and Xvfb",
};

describe("backends under test", () => {
  it("always include cpu, the reference", () => {
    expect(tf.engine().registeredBackends()).toContain("cpu");
    if (!wantedBackends || wantedBackends.includes("cpu")) expect(unavailable.cpu).toBeUndefined();
  });

  for (const name of TEST_BACKENDS) {
    if (name === "cpu" || (wantedBackends && !wantedBackends.includes(name))) continue;
    const reason = unavailable[name];
    it.skipIf(reason !== undefined && !process.env.CI)(
      `${name} is available (required on CI)${reason ? `: unavailable here, ${reason}` : ""}`,
      () => {
        if (reason !== undefined)
          throw new Error(`${name} is not available on CI: ${reason}. CI provides it with ${PROVIDED_BY[name]}.`);
        expect(backendsUnderTest()).toContain(name);
      },
    );
  }
});
