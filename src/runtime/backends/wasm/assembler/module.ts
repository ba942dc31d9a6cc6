/**
 * Builds a WebAssembly module in memory: imports (memory, functions), functions written with
 * `FunctionBuilder` (locals, structured control flow, the expressions of instructions.ts), exports;
 * `toBytes()` gives the binary that `new WebAssembly.Module` compiles.
 *
 * @example
 * const m = new ModuleBuilder();
 * m.importMemory("env", "memory", { initial: 1, maximum: 16, shared: true });
 * m.func("scale", { p: "i32", n: "i32", s: "f32" }, "void", (f, { p, n, s }) => {
 *   const i = f.local("i32");
 *   f.forRange(i, 0, n, 1, () => {
 *     const at = i32.add(p, i32.shl(i, 2));
 *     f.emit(f32.store(at, f32.mul(f32.load(at), s)));
 *   });
 * });
 * const module = new WebAssembly.Module(m.toBytes());
 */
import { name, section, uleb, vec } from "./encoding.js";
import { type Expr, type I32, operand, type Stmt, type Type, VALTYPE_CODE, type ValType } from "./instructions.js";

/** A local variable (or parameter): usable as an expression that reads it. */
export interface Local<T extends ValType = ValType> extends Expr<T> {
  readonly index: number;
}

/** A function that `FunctionBuilder.call` can call: defined in the module or imported. */
export interface FunctionRef {
  readonly index: number;
  readonly name: string;
  readonly params: readonly ValType[];
  readonly result: Type;
}

/** A branch target: the end of a block or `if`, or the start of a loop. */
export interface Label {
  readonly kind: "block" | "loop" | "if";
}

type Params = Record<string, ValType>;
type ParamLocals<P extends Params> = { [K in keyof P]: Local<P[K]> };

const BLOCK_EMPTY = 0x40;

export class FunctionBuilder {
  private readonly localTypes: ValType[] = [];
  private readonly code: number[] = [];
  private readonly labels: Label[] = [];

  constructor(
    readonly ref: FunctionRef,
    private readonly numParams: number,
  ) {}

  /** A new local of `type` (zero at function entry). */
  local<T extends ValType>(type: T): Local<T> {
    const index = this.numParams + this.localTypes.length;
    this.localTypes.push(type);
    return localRef(type, index);
  }

  /** Appends statements. */
  emit(...statements: Stmt[]): void {
    for (const s of statements) {
      if (s.type !== "void") throw new Error(`wasm assembler (${this.ref.name}): emit of an unused ${s.type} value`);
      this.code.push(...s.code);
    }
  }

  set<T extends ValType>(target: Local<T>, value: Expr<T> | number): void {
    this.code.push(...operand(target.type, value, "assigned value").code, 0x21, ...uleb(target.index));
  }

  /** Sets `target` and yields the value. */
  tee<T extends ValType>(target: Local<T>, value: Expr<T> | number): Expr<T> {
    return { type: target.type, code: [...operand(target.type, value).code, 0x22, ...uleb(target.index)] };
  }

  /** `target += amount` (i32). */
  increment(target: Local<"i32">, amount: I32): void {
    this.set(target, { type: "i32", code: [...target.code, ...operand("i32", amount).code, 0x6a] });
  }

  if(cond: I32, then: () => void, otherwise?: () => void): void {
    this.code.push(...operand("i32", cond, "condition").code, 0x04, BLOCK_EMPTY);
    this.labels.push({ kind: "if" });
    then();
    if (otherwise) {
      this.code.push(0x05);
      otherwise();
    }
    this.labels.pop();
    this.code.push(0x0b);
  }

  /** A block; branching to its label leaves it. */
  block(body: (exit: Label) => void): void {
    this.nest(0x02, "block", body);
  }

  /** A loop; branching to its label starts the next iteration. */
  loop(body: (top: Label) => void): void {
    this.nest(0x03, "loop", body);
  }

  br(label: Label): void {
    this.code.push(0x0c, ...uleb(this.depth(label)));
  }

  brIf(label: Label, cond: I32): void {
    this.code.push(...operand("i32", cond, "condition").code, 0x0d, ...uleb(this.depth(label)));
  }

  return(value?: Expr | number): void {
    if (value !== undefined) {
      if (this.ref.result === "void") throw new Error(`wasm assembler (${this.ref.name}): returns no value`);
      this.code.push(...operand(this.ref.result, value, "return value").code);
    }
    this.code.push(0x0f);
  }

  /**
   * `for (i = from; i < to; i += step) body(exit)` with signed comparison and one test per
   * iteration (at the bottom); `exit` leaves the loop.
   */
  forRange(i: Local<"i32">, from: I32, to: I32, step: I32, body: (exit: Label) => void): void {
    this.set(i, from);
    this.if(i32lt(i, to), () => {
      const exit = this.labels[this.labels.length - 1]!;
      this.loop((top) => {
        body(exit);
        this.increment(i, step);
        this.brIf(top, i32lt(i, to));
      });
    });
  }

  /** `while (cond) body(exit)`. */
  while(cond: () => I32, body: (exit: Label) => void): void {
    this.block((exit) => {
      this.loop((top) => {
        this.brIf(exit, { type: "i32", code: [...operand("i32", cond()).code, 0x45] });
        body(exit);
        this.br(top);
      });
    });
  }

  /** A call of `target` with `args`: an expression of its result type (a statement when it returns nothing). */
  call<T extends Type = Type>(target: FunctionRef, ...args: (Expr | number)[]): Expr<T> {
    if (args.length !== target.params.length)
      throw new Error(`wasm assembler: ${target.name} takes ${target.params.length} arguments, got ${args.length}`);
    const code: number[] = [];
    args.forEach((a, i) => code.push(...operand(target.params[i]!, a, `${target.name} argument ${i + 1}`).code));
    code.push(0x10, ...uleb(target.index));
    return { type: target.result as T, code };
  }

  /** The function's body entry for the code section: locals, instructions, `end`. */
  encode(): number[] {
    const runs: [number, ValType][] = [];
    for (const t of this.localTypes) {
      const last = runs[runs.length - 1];
      if (last && last[1] === t) last[0]++;
      else runs.push([1, t]);
    }
    const body = [...vec(runs.map(([n, t]) => [...uleb(n), VALTYPE_CODE[t]])), ...this.code, 0x0b];
    return [...uleb(body.length), ...body];
  }

  private nest(opcode: number, kind: Label["kind"], body: (label: Label) => void): void {
    const label: Label = { kind };
    this.code.push(opcode, BLOCK_EMPTY);
    this.labels.push(label);
    body(label);
    this.labels.pop();
    this.code.push(0x0b);
  }

  private depth(label: Label): number {
    const at = this.labels.lastIndexOf(label);
    if (at < 0) throw new Error(`wasm assembler (${this.ref.name}): branch to a label not in scope`);
    return this.labels.length - 1 - at;
  }
}

function localRef<T extends ValType>(type: T, index: number): Local<T> {
  return { type, index, code: [0x20, ...uleb(index)] };
}

function i32lt(a: I32, b: I32): Expr<"i32"> {
  return { type: "i32", code: [...operand("i32", a).code, ...operand("i32", b).code, 0x48] };
}

interface MemoryImport {
  module: string;
  name: string;
  initial: number;
  maximum: number;
  shared: boolean;
}

export class ModuleBuilder {
  private readonly types: string[] = [];
  private readonly typeBytes: number[][] = [];
  private memory: MemoryImport | undefined;
  private readonly importedFunctions: { module: string; name: string; type: number }[] = [];
  private readonly functions: { builder: FunctionBuilder; type: number; exported: boolean }[] = [];

  importMemory(module: string, memoryName: string, limits: Omit<MemoryImport, "module" | "name">): void {
    this.memory = { module, name: memoryName, ...limits };
  }

  /** Imports a function; all imports come before the first defined function. */
  importFunction(module: string, fnName: string, params: ValType[], result: Type): FunctionRef {
    if (this.functions.length > 0) throw new Error("wasm assembler: import functions before defining any");
    const index = this.importedFunctions.length;
    this.importedFunctions.push({ module, name: fnName, type: this.typeIndex(params, result) });
    return { index, name: fnName, params, result };
  }

  /**
   * Defines (and by default exports) function `fnName` with named `params`, built by `build`,
   * which receives the builder and the parameters as locals.
   */
  func<P extends Params>(
    fnName: string,
    params: P,
    result: Type,
    build: (f: FunctionBuilder, params: ParamLocals<P>) => void,
    options: { exported?: boolean } = {},
  ): FunctionRef {
    const types = Object.values(params);
    const ref: FunctionRef = {
      index: this.importedFunctions.length + this.functions.length,
      name: fnName,
      params: types,
      result,
    };
    const builder = new FunctionBuilder(ref, types.length);
    this.functions.push({ builder, type: this.typeIndex(types, result), exported: options.exported ?? true });
    const locals = Object.fromEntries(Object.entries(params).map(([k, t], i) => [k, localRef(t, i)]));
    build(builder, locals as ParamLocals<P>);
    return ref;
  }

  /** Names of the exported functions, in definition order. */
  exportNames(): string[] {
    return this.functions.filter((f) => f.exported).map((f) => f.builder.ref.name);
  }

  toBytes(): Uint8Array {
    const imports: number[][] = this.importedFunctions.map((f) => [
      ...name(f.module),
      ...name(f.name),
      0x00,
      ...uleb(f.type),
    ]);
    if (this.memory) {
      const m = this.memory;
      imports.push([
        ...name(m.module),
        ...name(m.name),
        0x02,
        m.shared ? 0x03 : 0x01,
        ...uleb(m.initial),
        ...uleb(m.maximum),
      ]);
    }
    const exports = this.functions
      .filter((f) => f.exported)
      .map((f) => [...name(f.builder.ref.name), 0x00, ...uleb(f.builder.ref.index)]);
    const bytes = [
      ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
      ...section(1, vec(this.typeBytes)),
      ...section(2, vec(imports)),
      ...section(3, vec(this.functions.map((f) => uleb(f.type)))),
      ...section(7, vec(exports)),
      ...section(10, vec(this.functions.map((f) => f.builder.encode()))),
    ];
    return Uint8Array.from(bytes);
  }

  private typeIndex(params: readonly ValType[], result: Type): number {
    const key = `${params.join(",")}->${result}`;
    const known = this.types.indexOf(key);
    if (known >= 0) return known;
    this.types.push(key);
    const results = result === "void" ? [] : [VALTYPE_CODE[result]];
    this.typeBytes.push([0x60, ...vec(params.map((t) => [VALTYPE_CODE[t]])), ...vec(results.map((r) => [r]))]);
    return this.types.length - 1;
  }
}
