import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createCpuBackend } from "../../src/runtime/backends/cpu/index.js";
import { BINARY_KERNELS, REDUCE_KERNELS, UNARY_KERNELS } from "../../src/runtime/kernels.js";

const here = dirname(fileURLToPath(import.meta.url));
const testSources = readdirSync(here)
  .filter((f) => f.startsWith("cpu-") && f.endsWith(".test.ts") && f !== "cpu-coverage.test.ts")
  .map((f) => readFileSync(join(here, f), "utf8"))
  .join("\n");

// The kernel table is typed `KernelTable`, so it holds every kernel name of the contract.
const kernelNames = Object.keys(createCpuBackend().kernels);

describe("cpu backend kernel coverage", () => {
  it("lists every unary, binary and reduce kernel of the contract", () => {
    for (const name of [...UNARY_KERNELS, ...BINARY_KERNELS, ...REDUCE_KERNELS]) expect(kernelNames).toContain(name);
    expect(kernelNames.length).toBeGreaterThan(UNARY_KERNELS.length + BINARY_KERNELS.length + REDUCE_KERNELS.length);
  });

  it.each(kernelNames)("has a test case for %s", (name) => {
    // Cases are written either as run("Name", …) or as keys of per-family case tables (Name: …).
    const called = new RegExp(`run\\(\\s*"${name}"`).test(testSources);
    const tabled = new RegExp(`^\\s*${name}: [\\[{]`, "m").test(testSources);
    expect(called || tabled, `no cpu test mentions kernel ${name}`).toBe(true);
  });
});
