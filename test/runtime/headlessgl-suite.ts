/**
 * Runs one of the gpu.js backend's comparison suites (gpujs-*.test.ts, every kernel against the
 * cpu reference) again in gpu.js `headlessgl` mode: WebGL 1 shaders through headless-gl.
 *
 * headless-gl needs the optional `gl` package built at install and an X display (the test run
 * starts Xvfb when there is none: test/setup/x-display.ts). Without them the suite is skipped
 * with the reason in its title, except on CI (`CI` set), where a missing headlessgl fails.
 */
import { describe, it, vi } from "vitest";
import { headlessGlStatus } from "../../src/runtime/backends/gpujs/headlessgl.js";

const GL_TEST_TIMEOUT_MS = 300_000;

export async function onHeadlessGl(name: string, load: () => Promise<unknown>): Promise<void> {
  const status = headlessGlStatus();
  if (status.available) {
    // the suites' harness builds its backend from this variable when it is first imported
    process.env.DEEPTS_GPUJS_MODE = "headlessgl";
    // every shader compiles on first use, slowly on a software renderer with a cold shader cache
    vi.setConfig({ testTimeout: GL_TEST_TIMEOUT_MS });
    await load();
    return;
  }
  describe(`${name} on headlessgl (unavailable: ${status.reason})`, () => {
    it.skipIf(!process.env.CI)("is required on CI", () => {
      throw new Error(
        `headlessgl is not available on CI: ${status.reason}. CI installs the gl package's build and run ` +
          "dependencies before `npm ci` (.ci/run: libx11-dev libxi-dev libxext-dev libgl-dev pkg-config xvfb).",
      );
    });
  });
}
