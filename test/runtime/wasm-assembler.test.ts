/**
 * The wasm backend's assembler: LEB128 encodings against the spec's examples, and small modules
 * it builds (scalar and SIMD loops, control flow, calls) that V8 validates and runs with the
 * expected results; misuse gets a clear error.
 */
import { describe, expect, it } from "vitest";
import { sleb32, uleb } from "../../src/runtime/backends/wasm/assembler/encoding.js";
import { f32, f32x4, i32, v128 } from "../../src/runtime/backends/wasm/assembler/instructions.js";
import { ModuleBuilder } from "../../src/runtime/backends/wasm/assembler/module.js";

/** The parts of WebAssembly the tests use (Node's types do not declare it). */
interface WebAssemblyApi {
  Memory: new (d: { initial: number; maximum?: number; shared?: boolean }) => { buffer: ArrayBuffer };
  Module: new (bytes: Uint8Array) => object;
  Instance: new (m: object, imports: object) => { exports: Record<string, (...a: number[]) => number> };
}
const wasm = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

function instantiate(m: ModuleBuilder) {
  const memory = new wasm.Memory({ initial: 1, maximum: 4, shared: true });
  const exports = new wasm.Instance(new wasm.Module(m.toBytes()), { env: { memory } }).exports;
  return { exports, memory };
}

describe("wasm assembler", () => {
  it("encodes LEB128 as the spec does", () => {
    expect(uleb(0)).toEqual([0]);
    expect(uleb(127)).toEqual([0x7f]);
    expect(uleb(128)).toEqual([0x80, 0x01]);
    expect(uleb(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(sleb32(-1)).toEqual([0x7f]);
    expect(sleb32(63)).toEqual([0x3f]);
    expect(sleb32(64)).toEqual([0xc0, 0x00]);
    expect(sleb32(-123456)).toEqual([0xc0, 0xbb, 0x78]);
    expect(() => uleb(-1)).toThrow(/not a non-negative integer/);
  });

  it("builds modules that run: a scalar loop, a SIMD loop, a call", () => {
    const m = new ModuleBuilder();
    m.importMemory("env", "memory", { initial: 1, maximum: 4, shared: true });
    const square = m.func(
      "square",
      { v: "f32" } as const,
      "f32",
      (f, p) => {
        f.return(f32.mul(p.v, p.v));
      },
      { exported: false },
    );
    m.func("squares", { p: "i32", n: "i32" } as const, "void", (f, p) => {
      const i = f.local("i32");
      f.forRange(i, 0, p.n, 1, () => {
        const at = i32.add(p.p, i32.shl(i, 2));
        f.emit(f32.store(at, f.call(square, f32.load(at))));
      });
    });
    m.func("scale4", { p: "i32", n: "i32", s: "f32" } as const, "void", (f, p) => {
      const i = f.local("i32");
      const factor = f.local("v128");
      f.set(factor, f32x4.splat(p.s));
      f.forRange(i, 0, p.n, 4, () => {
        const at = i32.add(p.p, i32.shl(i, 2));
        f.emit(v128.store(at, f32x4.mul(v128.load(at), factor)));
      });
    });
    expect(m.exportNames()).toEqual(["squares", "scale4"]);
    const { exports, memory } = instantiate(m);
    const data = new Float32Array(memory.buffer, 64, 8);
    data.set([1, 2, 3, 4, 5, 6, 7, 8]);
    exports.squares!(64, 5);
    expect(Array.from(data)).toEqual([1, 4, 9, 16, 25, 6, 7, 8]);
    exports.scale4!(64, 8, 0.5);
    expect(Array.from(data)).toEqual([0.5, 2, 4.5, 8, 12.5, 3, 3.5, 4]);
    exports.squares!(64, 0); // an empty range runs no iteration
    expect(data[0]).toBe(0.5);
  });

  it("says what is wrong with a call of the wrong arity", () => {
    const m = new ModuleBuilder();
    const one = m.func("one", { a: "i32" } as const, "i32", (f, p) => f.return(p.a));
    expect(() => m.func("bad", {}, "i32", (f) => f.return(f.call(one)))).toThrow(/one takes 1 arguments, got 0/);
  });
});
