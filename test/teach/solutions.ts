/**
 * Runs an exercise's TypeScript solution (or any answer written as TypeScript source) the way a
 * notebook cell would: types stripped, `tf` and `check` in scope; returns the function it defines.
 */
import ts from "typescript";
import * as tf from "../../src/tf.js";
import { check } from "../../src/teach/index.js";

/** The function named in `source`'s first `function name(` (the answer a check receives). */
export function defineAnswer(source: string, scope: Record<string, unknown> = {}): (...args: never[]) => unknown {
  const name = /function\s+(\w+)\s*\(/.exec(source)?.[1];
  if (!name) throw new Error(`no function declaration in:\n${source}`);
  const js = ts.transpileModule(source, { compilerOptions: { target: ts.ScriptTarget.ES2022 } }).outputText;
  const names = ["tf", "check", ...Object.keys(scope)];
  return new Function(...names, `${js}\nreturn ${name};`)(tf, check, ...Object.values(scope));
}
