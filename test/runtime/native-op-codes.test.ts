/**
 * The native addon's operation codes have one source, src/runtime/backends/native/op-codes.ts: the
 * checked-in C++ header is what the generator writes from it, the built addon reports the same
 * fingerprint, and a build of other codes (an addon left from an older version) is refused.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { opCodesFingerprint, UnaryOp } from "../../src/runtime/backends/native/op-codes.js";

const GENERATOR = "src/runtime/backends/native/csrc/gen-op-codes.mjs";

describe("native op codes", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it("op_codes.h is what `npm run gen` writes from op-codes.ts", () => {
    const check = spawnSync(process.execPath, [GENERATOR, "--check"], { encoding: "utf8" });
    expect(check.stderr).toBe("");
    expect(check.status).toBe(0);
  });

  it("numbers each enum from 0 and keeps IsNaN apart (-1, the one unary op with a bool output)", () => {
    expect(UnaryOp.Neg).toBe(0);
    expect(UnaryOp.IsNaN).toBe(-1);
  });

  it("the built addon was compiled from these codes", async () => {
    const { loadAddon } = await import("../../src/runtime/backends/native/addon.js");
    const load = loadAddon();
    if (!load.addon) {
      // native-backend.test.ts fails on CI when the addon is missing; here there is nothing to compare
      expect(load.reason).toMatch(/not built|disabled|failed to load/);
      return;
    }
    expect(load.addon.opCodesFingerprint?.()).toBe(opCodesFingerprint());
  });

  it("refuses an addon built from other codes, saying how to rebuild it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "deepts-addon-"));
    try {
      const fake = join(dir, "stale.cjs");
      writeFileSync(
        fake,
        `module.exports = { opCodesFingerprint: () => ${(opCodesFingerprint() + 1) >>> 0}, setThreads: () => 1, blasInfo: () => "" };`,
      );
      vi.stubEnv("DEEPTS_NATIVE_ADDON", fake);
      vi.stubEnv("DEEPTS_NATIVE", "1");
      vi.resetModules();
      const { loadAddon } = await import("../../src/runtime/backends/native/addon.js");
      const load = loadAddon();
      expect(load.addon).toBeUndefined();
      expect(load.addon ? "" : load.reason).toMatch(/built from other operation codes.*build\.mjs/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
