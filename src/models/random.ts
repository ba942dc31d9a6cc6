import { generatorFor } from "../runtime/random.js";

/**
 * Seeded pseudo-random numbers for initializers, dropout, shuffling and the teaching data sets.
 *
 * Everything random in `src/models` draws from a `Random`: either one built from an explicit
 * `seed`, or one split off the runtime's global stream, which `tf.setSeed` makes reproducible.
 */

/** A small, fast, seedable generator (mulberry32) with uniform, normal and permutation helpers. */
export class Random {
  private state: number;
  private spareNormal: number | undefined;

  constructor(seed: number) {
    this.state = (Math.floor(seed) ^ 0x9e3779b9) >>> 0;
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Standard normal (Box–Muller, caching the second value). */
  normal(): number {
    if (this.spareNormal !== undefined) {
      const z = this.spareNormal;
      this.spareNormal = undefined;
      return z;
    }
    let u = this.uniform();
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Standard normal redrawn until within two standard deviations. */
  truncatedNormal(): number {
    for (;;) {
      const z = this.normal();
      if (Math.abs(z) <= 2) return z;
    }
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** A fresh 32-bit seed drawn from this stream. */
  seed(): number {
    return Math.floor(this.uniform() * 4294967296);
  }

  /** Fisher–Yates shuffle in place. */
  shuffle<T extends { length: number; [i: number]: unknown }>(a: T): T {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }

  /** A random permutation of 0..n-1. */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    return this.shuffle(p);
  }
}

/**
 * A generator from `seed`, or, when `seed` is null/undefined, one split off the runtime's global
 * stream (so `tf.setSeed(n)` makes initial weights, dropout masks and shuffling reproducible).
 */
export function randomFrom(seed?: number | null): Random {
  return new Random(seed ?? generatorFor(undefined).nextUint32());
}
