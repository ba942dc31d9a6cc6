import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterEach, describe, expect, it } from "vitest";
import * as tf from "../../src/runtime/index.js";
import { createCpuBackend } from "../../src/runtime/backends/cpu/index.js";
import type { Backend } from "../../src/runtime/backend.js";
import { expectValues } from "./backends.js";

afterEach(async () => {
  await tf.setBackend("cpu");
});

describe("memory accounting", () => {
  it("counts tensors, buffers and bytes; dispose frees them", () => {
    const m0 = tf.memory();
    const a = tf.tensor([1, 2, 3]);
    const b = tf.tensor([1, 2], undefined, "bool");
    const m1 = tf.memory();
    expect(m1.numTensors - m0.numTensors).toBe(2);
    expect(m1.numDataBuffers - m0.numDataBuffers).toBe(2);
    expect(m1.numBytes - m0.numBytes).toBe(3 * 4 + 2);
    expect(m1.unreliable).toBe(false);
    tf.dispose([a, { inner: b }]);
    expect(a.isDisposed).toBe(true);
    expect(tf.memory()).toEqual(m0);
    expect(() => a.dataSync()).toThrow(/is disposed/);
    expect(() => a.add(1)).toThrow(/is disposed/);
    a.dispose(); // a second dispose is a no-op
    expect(tf.memory()).toEqual(m0);
  });

  it("reshape shares the buffer (refcounted)", () => {
    const m0 = tf.memory();
    const a = tf.tensor([1, 2, 3, 4]);
    const r = a.reshape([2, 2]);
    expect(tf.memory().numTensors - m0.numTensors).toBe(2);
    expect(tf.memory().numDataBuffers - m0.numDataBuffers).toBe(1);
    a.dispose();
    expectValues(r, [
      [1, 2],
      [3, 4],
    ]);
    r.dispose();
    expect(tf.memory()).toEqual(m0);
  });

  it("tidy disposes intermediates, returns (nested) results, honours keep", () => {
    const m0 = tf.memory().numTensors;
    let kept: tf.Tensor | undefined;
    const out = tf.tidy(() => {
      const x = tf.tensor([1, 2]);
      const y = x.square().add(1);
      kept = tf.keep(x.mul(10));
      return { y, list: [x.sum()] };
    });
    expect(tf.memory().numTensors - m0).toBe(3);
    expectValues(out.y, [2, 5]);
    expectValues(out.list[0], 3);
    expectValues(kept!, [10, 20]);
    tf.dispose([out, kept!]);
    expect(tf.memory().numTensors).toBe(m0);
  });

  it("nested tidy hands results to the outer scope; errors still clean up", () => {
    const m0 = tf.memory().numTensors;
    const r = tf.tidy("outer", () => {
      const inner = tf.tidy(() => tf.ones([2]).add(1));
      tf.zeros([3]);
      return inner.mul(2);
    });
    expect(tf.memory().numTensors - m0).toBe(1);
    r.dispose();
    expect(() =>
      tf.tidy(() => {
        tf.ones([5]);
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect(tf.memory().numTensors).toBe(m0);
    expect(() => tf.tidy((() => Promise.resolve(1)) as never)).toThrow(/tidy: the function returned a Promise/);
  });

  it("a tidy returning a tensor made outside it leaves that tensor alone", () => {
    const x = tf.tensor([1, 2]);
    const y = tf.tidy(() => {
      const same = tf.tidy(() => x);
      expect(same).toBe(x);
      return same.add(1);
    });
    expect(x.isDisposed).toBe(false);
    expectValues(y, [2, 3]);
    tf.dispose([x, y]);
  });

  it("startScope / endScope work as a tidy by hand, and agree with TF.js on what survives", async () => {
    const tfjs = await import("@tensorflow/tfjs-core");
    await import("@tensorflow/tfjs-backend-cpu");
    await tfjs.setBackend("cpu");
    const survivors = (lib: typeof tfjs | typeof tf) => {
      const before = lib.memory().numTensors;
      lib.engine().startScope();
      const a = lib.ones([2]);
      const b = lib.add(a, 1);
      lib.engine().startScope();
      const c = lib.mul(b, 2);
      lib.engine().endScope(c);
      lib.engine().endScope([b, { c }]);
      const alive = [a, b, c].map((t) => !t.isDisposed);
      const values = Array.from(c.dataSync());
      lib.dispose([b, c]);
      return { alive, values, leftOver: lib.memory().numTensors - before };
    };
    expect(survivors(tf)).toEqual(survivors(tfjs));
    expect(survivors(tf)).toEqual({ alive: [false, true, true], values: [4, 4], leftOver: 0 });
    expect(() => tf.engine().endScope()).toThrow(/no scope is open/);
  });

  it("dispose and tidy see an array's named properties (grads[varName] = t, as TF.js programs write)", () => {
    const start = tf.memory().numTensors;
    const grads = tf.tidy(() => {
      const byName: tf.Tensor[] & Record<string, tf.Tensor[]> = Object.assign([], {});
      byName.w = [tf.ones([2]).mul(2), tf.zeros([2])];
      byName.b = [tf.scalar(1).add(1)];
      return byName;
    });
    expect(tf.memory().numTensors - start).toBe(3);
    expect(grads.w[0]!.dataSync()).toEqual(new Float32Array([2, 2]));
    tf.dispose(grads);
    expect(tf.memory().numTensors).toBe(start);
  });

  it("tidy never disposes variables", () => {
    const v = tf.tidy(() => tf.variable(tf.ones([2]), true, "engine-tidy-v"));
    expect(v.isDisposed).toBe(false);
    tf.tidy(() => v.assign(tf.zeros([2])));
    expectValues(v, [0, 0]);
    v.dispose();
  });

  it("garbage-collected tensors free their data", async () => {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    const before = tf.memory();
    (() => {
      for (let i = 0; i < 50; i++) tf.tensor([1, 2, 3, 4]).add(1);
    })();
    expect(tf.memory().numTensors - before.numTensors).toBeGreaterThanOrEqual(100);
    for (let i = 0; i < 20 && tf.memory().numTensors > before.numTensors; i++) {
      gc();
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numBytes).toBe(before.numBytes);
  });

  it("tensors that outlive their tidy (returned or kept) are garbage-collected too", async () => {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    const before = tf.memory();
    (() => {
      for (let i = 0; i < 20; i++) {
        tf.tidy(() => tf.tidy(() => tf.tensor([1, 2, 3]).add(1)));
        tf.tidy(() => {
          tf.keep(tf.tensor([5, 6]).mul(2));
        });
      }
    })();
    expect(tf.memory().numTensors - before.numTensors).toBe(40);
    for (let i = 0; i < 20 && tf.memory().numTensors > before.numTensors; i++) {
      gc();
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numBytes).toBe(before.numBytes);
  });

  it("variables no code reaches any more are garbage-collected; live ones stay registered by name", async () => {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    const before = tf.memory();
    const kept = tf.variable(tf.ones([3]), true, "engine-gc-kept");
    (() => {
      // As a student re-running a cell: new variables each time, the old ones dropped, never disposed.
      for (let i = 0; i < 30; i++) tf.variable(tf.ones([8]), true, `engine-gc-dropped-${i}`);
    })();
    expect(tf.memory().numTensors - before.numTensors).toBeGreaterThanOrEqual(31);
    for (let i = 0; i < 20 && tf.memory().numTensors > before.numTensors + 1; i++) {
      gc();
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(tf.memory().numTensors).toBe(before.numTensors + 1);
    const names = [...tf.engine().registeredVariables.keys()];
    expect(names).toContain("engine-gc-kept");
    expect(names.filter((n) => n.startsWith("engine-gc-dropped-"))).toEqual([]);
    expect(tf.engine().registeredVariables.get("engine-gc-kept")).toBe(kept);
    kept.dispose();
    expect(tf.engine().registeredVariables.has("engine-gc-kept")).toBe(false);
  });
});

/** A backend with only Add and Neg: every other kernel must fall back to cpu. */
function partialBackend(name: string): Backend {
  const inner = createCpuBackend();
  return {
    name,
    epsilon: inner.epsilon,
    kernels: { Add: inner.kernels.Add, Neg: inner.kernels.Neg },
    write: (v, s, d) => inner.write(v, s, d),
    readSync: (id) => inner.readSync(id),
    read: (id) => inner.read(id),
    disposeData: (id) => inner.disposeData(id),
    memory: () => inner.memory(),
  };
}

describe("backends", () => {
  it("the default backend is the highest-priority one (native when built, else cpu); webasm is registered", () => {
    expect(tf.engine().registeredBackends()[0]).toBe(tf.DEFAULT_BACKEND);
    expect(tf.engine().registeredBackends()).toEqual(expect.arrayContaining(["cpu", "webasm"]));
  });

  it("falls back to cpu for missing kernels, visibly; tensors move between backends", async () => {
    const x = tf.tensor([1, 2, 3]); // made on cpu
    expect(tf.registerBackend("partial-test", () => partialBackend("partial-test"), 0)).toBe(true);
    expect(await tf.setBackend("partial-test")).toBe(true);
    expect(tf.getBackend()).toBe("partial-test");
    const before = tf.engine().fallbacks;
    const mulBefore = tf.engine().fallbackCounts.Mul ?? 0;
    const y = x.add(1).neg(); // native
    expect(tf.engine().fallbacks).toBe(before);
    const z = y.mul(2); // falls back
    expectValues(z, [-4, -6, -8]);
    expect(tf.engine().fallbacks).toBe(before + 1);
    expect(tf.engine().fallbackCounts.Mul).toBe(mulBefore + 1);
    const support = await tf.backendSupport();
    const partial = support.find((s) => s.backend === "partial-test")!;
    expect(partial.native.sort()).toEqual(["Add", "Neg"]);
    expect(partial.fallback).toContain("Conv2D");
    expect(support.find((s) => s.backend === "cpu")!.fallback).toEqual([]);
    await tf.setBackend("cpu");
    expectValues(z.add(1), [-3, -5, -7]);
    expect(() => tf.removeBackend("cpu")).toThrow(/is the current backend/);
    tf.removeBackend("partial-test");
    expect(tf.engine().registeredBackends()).not.toContain("partial-test");
  });

  it("setBackend with an unknown name lists the registered ones; a failing factory resolves false", async () => {
    expect(() => tf.setBackend("nope")).toThrow(/setBackend: no backend named 'nope' \(registered: .*cpu/);
    tf.registerBackend("broken-test", async () => {
      throw new Error("no device");
    });
    const warn = console.warn;
    console.warn = () => {};
    try {
      expect(await tf.setBackend("broken-test")).toBe(false);
    } finally {
      console.warn = warn;
      tf.removeBackend("broken-test");
    }
    expect(tf.getBackend()).toBe("cpu");
  });

  it("ready() resolves with a backend in place", async () => {
    await tf.ready();
    expect(tf.backend().name).toBe(tf.getBackend());
  });
});

describe("interrupt hook", () => {
  it("checkInterrupt runs the installed check", () => {
    tf.checkInterrupt(); // nothing installed: no-op
    let pending = false;
    tf.setInterruptCheck(() => {
      if (pending) throw new Error("KeyboardInterrupt");
    });
    try {
      tf.checkInterrupt();
      pending = true;
      expect(() => tf.checkInterrupt()).toThrow("KeyboardInterrupt");
    } finally {
      tf.setInterruptCheck(undefined);
    }
    tf.checkInterrupt();
  });

  it("a loop of ops is interrupted by the installed check", () => {
    let calls = 0;
    tf.setInterruptCheck(() => {
      calls++;
      throw new Error("KeyboardInterrupt");
    });
    try {
      const m0 = tf.memory().numTensors;
      expect(() =>
        tf.tidy(() => {
          let x = tf.scalar(0);
          for (let i = 0; i < 1000; i++) x = x.add(1);
        }),
      ).toThrow("KeyboardInterrupt");
      expect(calls).toBe(1);
      expect(tf.memory().numTensors).toBe(m0);
    } finally {
      tf.setInterruptCheck(undefined);
    }
  });
});
