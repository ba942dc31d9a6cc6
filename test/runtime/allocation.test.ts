/**
 * A tensor that cannot be had fails with a RangeError that says how large it was and why: beyond
 * what one array may hold, or beyond the memory available (checked before allocating, since Linux
 * would grant it and then kill the process when it is written). Free memory is set to 1 GB here.
 */
import { describe, expect, test, vi } from "vitest";

vi.mock("node:os", async (original) => ({ ...(await original<typeof import("node:os")>()), freemem: () => 1e9 }));
const tf = await import("../../src/runtime/index.js");

describe("allocation errors", () => {
  test("more elements than one array may hold", () => {
    expect(() => tf.zeros([1e5, 1e5])).toThrow(
      new RangeError(
        "Cannot allocate a float32 tensor of 10,000,000,000 elements (40.0 GB): more than the 4,294,967,296 elements one array may hold",
      ),
    );
  });

  test("more bytes than the memory available, on every backend's allocation path", async () => {
    expect(() => tf.ones([20_000, 20_000])).toThrow(
      /^Cannot allocate a float32 tensor of 400,000,000 elements \(1.60 GB\): out of memory \(1.00 GB available\)$/,
    );
    const a = tf.ones([20_000, 1]);
    const b = tf.ones([1, 20_000]);
    for (const backend of ["cpu", ...(tf.engine().registeredBackends().includes("native") ? ["native"] : [])]) {
      await tf.setBackend(backend);
      expect(() => tf.matMul(a, b), backend).toThrow(/out of memory \(1.00 GB available\)/);
    }
  });

  test("below the checked size nothing is refused", () => {
    expect(tf.ones([1000, 1000]).size).toBe(1e6);
  });
});
