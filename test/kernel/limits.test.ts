/** Limits a teacher sets per kernel through environment variables, through the real kernel. */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { readLimits } from "../../src/kernel/limits.js";
import { TestKernel } from "./client.js";

describe("readLimits", () => {
  test("reads each variable, ignores unset and empty ones", () => {
    expect(
      readLimits({ DEEPTS_MEMORY_MB: "512", DEEPTS_TENSOR_MB: "64.5", DEEPTS_THREADS: "2", DEEPTS_CELL_TIMEOUT: "30" }),
    ).toEqual({ memoryMb: 512, tensorMb: 64.5, threads: 2, cellTimeoutS: 30, problems: [] });
    expect(readLimits({ DEEPTS_THREADS: "" })).toEqual({ problems: [] });
  });

  test("a value it cannot use is named and ignored", () => {
    const limits = readLimits({ DEEPTS_THREADS: "1.5", DEEPTS_MEMORY_MB: "lots", DEEPTS_CELL_TIMEOUT: "-1" });
    expect(limits.threads).toBeUndefined();
    expect(limits.memoryMb).toBeUndefined();
    expect(limits.cellTimeoutS).toBeUndefined();
    expect(limits.problems).toHaveLength(3);
    expect(limits.problems[0]).toMatch(/DEEPTS_MEMORY_MB="lots" is ignored: expected a whole number of megabytes/);
  });
});

describe("a kernel with a teacher's limits", () => {
  let k: TestKernel;
  beforeAll(async () => {
    k = await TestKernel.start({
      env: { DEEPTS_TENSOR_MB: "8", DEEPTS_CELL_TIMEOUT: "3", DEEPTS_THREADS: "1", DEEPTS_MEMORY_MB: "256" },
    });
  });
  afterAll(async () => {
    await k?.shutdown();
  });

  const value = async (code: string) => {
    const { reply, outputs } = await k.execute(code, {}, 60_000);
    expect(reply.content.status, JSON.stringify(reply.content)).toBe("ok");
    const result = outputs.find((m) => m.header.msg_type === "execute_result");
    return (result?.content.data as Record<string, string> | undefined)?.["text/plain"];
  };

  test("tensors past DEEPTS_TENSOR_MB fail with a RangeError that says what to do; the cell's variables stay", async () => {
    expect(await value("const kept = tf.ones([1024, 1024]); kept.size")).toBe("1048576");
    const { reply } = await k.execute("const big = tf.zeros([1024, 1024, 2]);");
    expect(reply.content.status).toBe("error");
    expect(reply.content.ename).toBe("RangeError");
    expect(reply.content.evalue).toMatch(
      /Tensor memory limit: a float32 tensor of shape \[1024,1024,2\] needs 8\.0 MB/,
    );
    expect(reply.content.evalue).toMatch(/DEEPTS_TENSOR_MB/);
    expect(reply.content.evalue).toMatch(/tf\.dispose/);
    expect(await value("kept.dataSync().length")).toBe("1048576");
    // Freeing memory makes room again.
    expect(await value("kept.dispose(); tf.zeros([1536, 1024]).size")).toBe("1572864");
  });

  test("DEEPTS_THREADS caps the threads of a matrix product", async () => {
    const threads = await value(
      '// @ts-nocheck\ntf.engine().findBackend("native")?.blasThreads() ?? "no native backend"',
    );
    if (process.env.CI || threads !== "'no native backend'") expect(threads).toBe("1");
  });

  test("a cell past DEEPTS_CELL_TIMEOUT is stopped and says why; earlier variables stay", async () => {
    await value("let before = 42;");
    const { reply } = await k.execute("while (true) {}", {}, 60_000);
    expect(reply.content.status).toBe("error");
    expect(reply.content.ename).toBe("CellTimeLimit");
    expect(reply.content.evalue).toMatch(/stopped after 3 s: this kernel allows each cell 3 s \(DEEPTS_CELL_TIMEOUT/);
    expect(await value("before")).toBe("42");
  });

  test("a cell past DEEPTS_MEMORY_MB fails, and the kernel goes on", async () => {
    const { reply } = await k.execute(
      "const hog: number[][] = []; while (true) hog.push(new Array(1e6).fill(1.5));",
      {},
      60_000,
    );
    expect(reply.content.status).toBe("error");
    expect(String(reply.content.evalue)).toMatch(/memory|heap|stopped/i);
    expect(await value("1 + 1")).toBe("2");
  });
});
