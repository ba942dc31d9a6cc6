/** The text/plain of results that are not tensors or models: a promise shows its state only. */
import { AsyncLocalStorage } from "node:async_hooks";
import { describe, expect, test } from "vitest";
import { toMimeBundle } from "../../src/display/bundle.js";

describe("a cell whose value is a promise", () => {
  test("shows Promise { state }, without the async-tracking symbols the kernel's hooks add", async () => {
    const storage = new AsyncLocalStorage<number>();
    const texts = await storage.run(1, async () => {
      const done = Promise.resolve({ a: 1 });
      const pending = new Promise(() => {});
      const failed = Promise.reject(new Error("no data"));
      failed.catch(() => {});
      await null;
      return [done, pending, failed].map((p) => toMimeBundle(p)["text/plain"] as string);
    });
    expect(texts[0]).toBe("Promise { { a: 1 } }");
    expect(texts[1]).toBe("Promise { <pending> }");
    expect(texts[2]).toMatch(/^Promise \{ <rejected> Error: no data/);
    for (const t of texts) expect(t).not.toMatch(/Symbol\(/);
  });
});
