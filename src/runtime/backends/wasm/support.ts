/**
 * Whether this JavaScript engine runs what the wasm backend needs — WebAssembly with SIMD on a
 * shared memory — checked with a module of a few bytes, so that startup need not assemble and
 * compile the backend's kernels (tens of milliseconds) only to learn that it could.
 *
 * @example
 * ```ts
 * import { checkWasmSupport } from "./support.js";
 * checkWasmSupport(); // throws, saying what is missing, where the backend cannot run
 * ```
 */
import { MAX_PAGES } from "./module.js";
import { webAssembly } from "./webassembly.js";

/** A module that imports a shared memory and holds one function using a SIMD instruction (`v128.const`, `drop`). */
const PROBE = new Uint8Array([
  ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00], // "\0asm", version 1
  ...[0x01, 0x04, 0x01, 0x60, 0x00, 0x00], // types: () -> ()
  ...[0x02, 0x10, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x02, 0x03, 0x01, 0x01], // import env.memory: shared, 1..1 pages
  ...[0x03, 0x02, 0x01, 0x00], // one function of type 0
  ...[0x0a, 0x17, 0x01, 0x15, 0x00, 0xfd, 0x0c, ...new Array<number>(16).fill(0), 0x1a, 0x0b], // body: v128.const 0; drop; end
]);

/** Throws, saying what is missing, unless WebAssembly SIMD modules compile and shared memories can be made here. */
export function checkWasmSupport(): void {
  if (!webAssembly) throw new Error("this JavaScript engine has no WebAssembly");
  new webAssembly.Module(PROBE);
  new webAssembly.Memory({ initial: 1, maximum: MAX_PAGES, shared: true });
}
