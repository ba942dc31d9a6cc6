/**
 * The corpus as a test: each real TF.js program runs as one cell, with no directive, in the real
 * kernel, and as a Node program on TF.js 4.22; their results must agree (see manifest.mjs).
 * Small sizes here; `node bench/corpus.js` runs them bigger.
 */
import { afterAll, describe, expect, test } from "vitest";
import { programs } from "./manifest.mjs";
import { programSource, runInKernel, runReference, smallVersion } from "./runner.mjs";

const rows: string[] = [];
afterAll(() => {
  if (rows.length > 0) console.log(`corpus (seconds: deepts kernel / TF.js reference)\n${rows.join("\n")}`);
});

describe("real TF.js programs run unchanged as one cell and agree with TF.js", () => {
  test.each(programs.map((p) => [p.name, p] as const))(
    "%s",
    // Training starts from random weights (and some programs play random games), so a comparison
    // can miss by chance; a program that fails twice in a row is taken as a real failure.
    { timeout: 600_000, retry: 1 },
    async (name, program) => {
      const code = smallVersion(programSource(program.file), program.small);
      // Each run ends well inside the test's own limit, so a timed-out run is killed, not orphaned.
      const deepts = await runInKernel(code, { scale: 1, timeoutMs: 280_000 });
      if (program.pending) {
        rows.push(`${name}: pending (${program.pending.api}): ${deepts.status === "ok" ? "now runs" : deepts.error}`);
        expect(deepts.status, `${name} runs now: remove its pending mark`).toBe("error");
        expect(deepts.error, `${name} fails for another reason than the pending API`).toMatch(program.pending.error);
        return;
      }
      expect(deepts.error ?? "", `deepts: ${deepts.traceback ?? ""}\n${deepts.stderr ?? ""}`).toBe("");
      if (program.slowReference) {
        rows.push(
          `${name}: ${deepts.seconds.toFixed(1)} / (bench only: ${program.slowReference})  deepts ${JSON.stringify(deepts.result)}`,
        );
        expect(deepts.result, "deepts's result line").toBeTypeOf("object");
        return;
      }
      const tfjs = await runReference(code, { scale: 1, typescript: program.typescript, timeoutMs: 280_000 });
      expect(tfjs.error ?? "", `the TF.js reference failed:\n${tfjs.stderr ?? ""}`).toBe("");
      rows.push(
        `${name}: ${deepts.seconds.toFixed(1)} / ${tfjs.seconds.toFixed(1)}  deepts ${JSON.stringify(deepts.result)}  TF.js ${JSON.stringify(tfjs.result)}`,
      );
      expect(program.agree(deepts.result, tfjs.result)).toEqual([]);
    },
  );
});
