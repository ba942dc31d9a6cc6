import { afterAll, expect, test } from "vitest";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createCellEvaluator } from "../../src/eval/index.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const ev = createCellEvaluator({
  cwd: path.join(here, "fixtures"),
  residents: [{ name: "nodePath", value: path, typesFrom: "node:path" }],
  interruptFlag: new Int32Array(new SharedArrayBuffer(4)),
});
afterAll(() => ev.dispose?.());

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

test("with 50 earlier cells, a checked cell sees their declarations and completion finds their members", async () => {
  let t = performance.now();
  await ev.warmUp();
  const warmUpMs = performance.now() - t;
  for (let i = 0; i < 50; i++) {
    const imports = i % 10 === 0 ? `import { add as add${i} } from "cjs-fixture";\n` : "";
    const r = await ev.execute(
      `${imports}const v${i} = ${i};\nfunction f${i}(x: number): number { return x + v${i}; }\nclass C${i} { m(): number { return ${i}; } }\ninterface I${i} { k: number }`,
    );
    expect(r.status).toBe("ok");
  }
  const times: number[] = [];
  const completeTimes: number[] = [];
  for (let k = 0; k < 10; k++) {
    t = performance.now();
    const r = await ev.execute("const s: number = f49(v3) + new C7().m() + add0(1, 1);\ns");
    times.push(performance.now() - t);
    expect(r).toMatchObject({ status: "ok", value: 61 });
    t = performance.now();
    expect((await ev.complete("new C12().", 10)).matches).toEqual(["m"]);
    completeTimes.push(performance.now() - t);
  }
  console.log(
    `warmUp ${warmUpMs.toFixed(0)} ms; check+run with 50 earlier cells: median ${median(times).toFixed(1)} ms ` +
      `(min ${Math.min(...times).toFixed(1)}); complete: median ${median(completeTimes).toFixed(1)} ms`,
  );
});
