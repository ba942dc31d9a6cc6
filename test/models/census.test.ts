/**
 * The API census (bench/census.js) against this tree's `tf`: every TF.js 4.22 public name outside the
 * README's exclusions is either present or listed in census-expected-missing.txt, and that list
 * holds nothing deepts already has (so it only shrinks as names land).
 */
import { readFileSync } from "node:fs";
import { expect, test } from "vitest";
// @ts-expect-error: a plain ES module script without declarations
import * as censusModule from "../../bench/census.js";
import * as tf from "../../src/tf.js";

interface CensusRow {
  name: string;
  status: "present" | "missing" | "excluded";
  group?: string;
}
interface CensusResult {
  rows: CensusRow[];
  total: number;
  excluded: number;
  present: number;
  missing: string[];
}
const census = censusModule as {
  census(tf: unknown): CensusResult;
  readExpectedMissing(): string[];
  exclusionsMarkdown(): string;
  README_BEGIN: string;
  README_END: string;
};

const result = census.census(tf);
const expected = census.readExpectedMissing();

test("every TF.js name deepts lacks is either excluded with a reason or on the expected-missing list", () => {
  const listed = new Set(expected);
  const unlisted = result.missing.filter((n) => !listed.has(n));
  expect(unlisted, "names missing from deepts that census-expected-missing.txt does not list").toEqual([]);
});

test("the expected-missing list names nothing deepts already has (run `node bench/census.js --update`)", () => {
  const missing = new Set(result.missing);
  const stale = expected.filter((n) => !missing.has(n));
  expect(stale, "names on census-expected-missing.txt that deepts now has").toEqual([]);
});

test("the census reads TF.js's API: its names, namespaces and class members are all there", () => {
  const names = new Set(result.rows.map((r) => r.name));
  for (const n of [
    "matMul",
    "image.resizeBilinear",
    "losses.softmaxCrossEntropy",
    "layers.dense",
    "Tensor#matMul",
    "LayersModel#fit",
    "data.Dataset#batch",
    "Abs",
  ]) {
    expect(names.has(n), n).toBe(true);
  }
  expect(result.rows.find((r) => r.name === "Abs")?.status).toBe("excluded");
  expect(result.rows.find((r) => r.name === "matMul")?.status).toBe("present");
  expect(result.total).toBeGreaterThan(1000);
});

test("README.md shows the census exclusions exactly as bench/census.js holds them", () => {
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  const a = readme.indexOf(census.README_BEGIN);
  const b = readme.indexOf(census.README_END);
  expect(a, "README.md has the census section markers").toBeGreaterThanOrEqual(0);
  expect(readme.slice(a + census.README_BEGIN.length, b).trim()).toBe(census.exclusionsMarkdown());
});
