/**
 * The parts of the WebAssembly JavaScript API this backend uses, typed here: the runtime compiles
 * against ES2022 and Node's types, which (unlike lib.dom) do not declare `WebAssembly`.
 */

/** A compiled module (structured-cloneable to worker threads). */
export interface WasmModule {
  readonly __wasmModule?: never;
}

export interface WasmMemory {
  /** The memory's bytes; for a shared memory a SharedArrayBuffer that grows never detaches. */
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  /** Adds `pages` 64 KiB pages; throws a RangeError past the maximum. Returns the old size in pages. */
  grow(pages: number): number;
}

interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (
    module: WasmModule,
    imports: Record<string, Record<string, unknown>>,
  ) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
  validate(bytes: Uint8Array): boolean;
}

/** `globalThis.WebAssembly`, or undefined where the JavaScript engine has none. */
export const webAssembly: WebAssemblyApi | undefined = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;
