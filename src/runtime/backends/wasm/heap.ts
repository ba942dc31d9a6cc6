/**
 * Memory management inside one WebAssembly memory: a first-fit allocator over address ranges,
 * with free blocks binned by size class, split on allocation and merged with free neighbours on
 * release; the end of the used region grows the memory when needed. Every block starts on a
 * 16-byte boundary and spans a multiple of 16 bytes, so vector loops may run to the end of a
 * block's last 16 bytes.
 *
 * The memory is shared (a SharedArrayBuffer underneath): growing it never detaches typed arrays
 * made earlier, so the views this hands out stay valid for the life of their block.
 *
 * @example
 * const heap = new Heap(new WebAssembly.Memory({ initial: 1, maximum: 1024, shared: true }));
 * const p = heap.alloc(400); // 100 floats
 * heap.f32(p, 100).fill(1);
 * heap.release(p, 400);
 */
import type { WasmMemory } from "./webassembly.js";

const PAGE = 65536;
const ALIGN = 16;
/** Grow by at least this many bytes at once (memory.grow commits pages; fewer, larger steps). */
const MIN_GROWTH = 16 << 20;

/** `bytes` rounded up to whole 16-byte units (at least one). */
export function blockSize(bytes: number): number {
  return Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
}

function binOf(size: number): number {
  return 31 - Math.clz32(size);
}

export class Heap {
  /** Free blocks: start → size, and end → start (to merge with the block before). */
  private readonly freeStarts = new Map<number, number>();
  private readonly freeEnds = new Map<number, number>();
  /** Free block starts by size class `floor(log2(size))`. */
  private readonly bins: Set<number>[] = Array.from({ length: 33 }, () => new Set<number>());
  /** The end of the region ever handed out (everything above is untouched). */
  private top: number;
  private buffer: ArrayBufferLike;
  private usedBytes = 0;

  /** Manages `memory` from byte `base` on (what lies below is the caller's). */
  constructor(
    readonly memory: WasmMemory,
    base = ALIGN,
  ) {
    this.top = blockSize(base);
    this.buffer = memory.buffer;
  }

  /** The address of a new block of at least `bytes` bytes (contents undefined). */
  alloc(bytes: number): number {
    const size = blockSize(bytes);
    const found = this.takeFree(size);
    if (found !== undefined) {
      this.usedBytes += size;
      return found;
    }
    const start = this.top;
    this.ensureCapacity(start + size);
    this.top = start + size;
    this.usedBytes += size;
    return start;
  }

  /** Gives back the block at `address` that `alloc(bytes)` returned. */
  release(address: number, bytes: number): void {
    let start = address;
    let size = blockSize(bytes);
    this.usedBytes -= size;
    const next = this.freeStarts.get(start + size);
    if (next !== undefined) {
      this.unlink(start + size, next);
      size += next;
    }
    const before = this.freeEnds.get(start);
    if (before !== undefined) {
      const beforeSize = this.freeStarts.get(before)!;
      this.unlink(before, beforeSize);
      start = before;
      size += beforeSize;
    }
    if (start + size === this.top) this.top = start;
    else this.link(start, size);
  }

  /** A float32 view of `length` elements at `address`. */
  f32(address: number, length: number): Float32Array {
    return new Float32Array(this.currentBuffer(), address, length);
  }

  i32(address: number, length: number): Int32Array {
    return new Int32Array(this.currentBuffer(), address, length);
  }

  u8(address: number, length: number): Uint8Array {
    return new Uint8Array(this.currentBuffer(), address, length);
  }

  /** Bytes in blocks handed out and not released (rounded to 16 per block). */
  used(): number {
    return this.usedBytes;
  }

  /** Bytes of the memory (grown, never shrunk). */
  capacity(): number {
    return this.currentBuffer().byteLength;
  }

  private currentBuffer(): ArrayBufferLike {
    if (this.buffer.byteLength !== this.memory.buffer.byteLength) this.buffer = this.memory.buffer;
    return this.buffer;
  }

  private takeFree(size: number): number | undefined {
    for (let bin = binOf(size); bin < this.bins.length; bin++) {
      for (const start of this.bins[bin]!) {
        const blockBytes = this.freeStarts.get(start)!;
        if (blockBytes < size) continue;
        this.unlink(start, blockBytes);
        if (blockBytes > size) this.link(start + size, blockBytes - size);
        return start;
      }
    }
    return undefined;
  }

  private link(start: number, size: number): void {
    this.freeStarts.set(start, size);
    this.freeEnds.set(start + size, start);
    this.bins[binOf(size)]!.add(start);
  }

  private unlink(start: number, size: number): void {
    this.freeStarts.delete(start);
    this.freeEnds.delete(start + size);
    this.bins[binOf(size)]!.delete(start);
  }

  private ensureCapacity(end: number): void {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return;
    const pages = Math.ceil(Math.max(end - have, MIN_GROWTH, have / 4) / PAGE);
    try {
      this.memory.grow(pages);
    } catch {
      try {
        this.memory.grow(Math.ceil((end - have) / PAGE));
      } catch {
        throw new Error(
          `wasm backend: out of memory: ${Math.round(end / 2 ** 20)} MiB needed, ${Math.round(this.usedBytes / 2 ** 20)} MiB in use ` +
            `(the WebAssembly memory cannot grow further; dispose tensors you no longer need, or use tf.setBackend("cpu"))`,
        );
      }
    }
    this.buffer = this.memory.buffer;
  }
}
