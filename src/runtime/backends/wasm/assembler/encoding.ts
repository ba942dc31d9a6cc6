/**
 * The WebAssembly binary format's primitive encodings: LEB128 integers, IEEE floats, vectors and
 * sections (https://webassembly.github.io/spec/core/binary/).
 */

/** An unsigned integer as unsigned LEB128. */
export function uleb(value: number): number[] {
  if (!Number.isInteger(value) || value < 0) throw new Error(`uleb: ${value} is not a non-negative integer`);
  const out: number[] = [];
  let v = value;
  do {
    let byte = v % 128;
    v = Math.floor(v / 128);
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

/** A signed 32-bit integer as signed LEB128 (what `i32.const` takes). */
export function sleb32(value: number): number[] {
  if (!Number.isInteger(value) || value < -0x80000000 || value > 0xffffffff)
    throw new Error(`sleb32: ${value} is not a 32-bit integer`);
  let v = value | 0; // values up to 2^32 - 1 wrap to their signed pattern
  const out: number[] = [];
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    const signBitClear = (byte & 0x40) === 0;
    if ((v === 0 && signBitClear) || (v === -1 && !signBitClear)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

/** A float32 as its 4 little-endian bytes. */
export function f32Bytes(value: number): number[] {
  return Array.from(new Uint8Array(new Float32Array([value]).buffer));
}

/** A UTF-8 name, length first. */
export function name(text: string): number[] {
  const bytes = Array.from(new TextEncoder().encode(text));
  return [...uleb(bytes.length), ...bytes];
}

/** A vector: element count, then the elements' bytes. */
export function vec(items: readonly (readonly number[])[]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

/** A section: its id, its size in bytes, its contents. */
export function section(id: number, contents: readonly number[]): number[] {
  return [id, ...uleb(contents.length), ...contents];
}
