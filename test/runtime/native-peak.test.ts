/**
 * The addon's measured float32 peak (bench/sgemm.js divides SGEMM by it): FMA chains in the widest
 * vectors the processor has, on the threads asked for, and a clear error for arguments out of range.
 * Skipped, with the reason in the title, when the addon is not built (native-backend.test.ts fails on CI then).
 */
import { describe, expect, it } from "vitest";
import { loadAddon } from "../../src/runtime/backends/native/addon.js";

const { addon, reason } = loadAddon();

describe.skipIf(!addon)(`fmaPeak${addon ? "" : ` (addon unavailable: ${reason})`}`, () => {
  it("measures a positive peak on one and on two threads and names the vector width it used", () => {
    const one = addon!.fmaPeak(1, 200_000, 3);
    expect(one.threads).toBe(1);
    expect(["AVX-512", "AVX2+FMA", "SSE"]).toContain(one.isa);
    // Any x86-64 core does at least 1 GFLOP/s with 4-wide vectors; a broken loop or timer would not.
    expect(one.gflops).toBeGreaterThan(1);
    expect(Number.isFinite(one.gflops)).toBe(true);
    const two = addon!.fmaPeak(2, 200_000, 3);
    expect(two.threads).toBe(2);
    expect(two.isa).toBe(one.isa);
    expect(two.gflops).toBeGreaterThan(1);
  });

  it("rejects thread counts and round counts out of range", () => {
    expect(() => addon!.fmaPeak(0, 1000, 1)).toThrow(RangeError);
    expect(() => addon!.fmaPeak(1, 1000, 0)).toThrow(/rounds/);
    expect(() => addon!.fmaPeak(2000, 1000, 1)).toThrow(/threads in 1\.\.1024/);
  });
});
