/**
 * The cells' module loader tells its host before it loads a module that is neither built into Node
 * nor a resident: the kernel installs its module hooks there, not at start.
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createModuleLoader } from "../../src/eval/imports.js";

const fixtures = fileURLToPath(new URL("./fixtures/", import.meta.url));

describe("createModuleLoader's beforeImport", () => {
  const loaderWithCount = () => {
    let calls = 0;
    const resident = { resident: true };
    const load = createModuleLoader(fixtures, new Map([["@tensorflow/tfjs", resident]]), () => void calls++);
    return { load, calls: () => calls, resident };
  };

  it("is not called for Node's built-in modules or for residents", async () => {
    const { load, calls, resident } = loaderWithCount();
    expect(typeof (await load("node:path")).join).toBe("function");
    expect(typeof (await load("fs")).readFileSync).toBe("function");
    expect(await load("@tensorflow/tfjs")).toBe(resident);
    expect(calls()).toBe(0);
  });

  it("is called before a package, a notebook file or a file: URL is loaded", async () => {
    const { load, calls } = loaderWithCount();
    expect(await load("esm-fixture")).toBeDefined();
    expect(calls()).toBe(1);
    expect(((await load("./local.mjs")).triple as (x: number) => number)(2)).toBe(6);
    expect(calls()).toBe(2);
    await load(new URL("./fixtures/local.mjs", import.meta.url).href);
    expect(calls()).toBe(3);
  });

  it("is called before a package that is not found fails as before", async () => {
    const { load, calls } = loaderWithCount();
    await expect(load("no-such-package-anywhere")).rejects.toThrow(/Cannot find module 'no-such-package-anywhere'/);
    expect(calls()).toBe(1);
  });
});
