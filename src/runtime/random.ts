/**
 * Seeded pseudo-random numbers (sfc32, seeded through splitmix32) generated on the host.
 *
 * Random ops take an optional `seed`; without one they draw from a global generator, which
 * `tf.setSeed(n)` resets, so a whole notebook becomes reproducible with one call.
 */

export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    let s = (Math.floor(seed) ^ 0x9e3779b9) >>> 0;
    const next = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  nextUint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    let u = this.next();
    while (u === 0) u = this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}

let globalSeed = (Date.now() ^ (Math.random() * 0x7fffffff)) >>> 0;
let global = new Prng(globalSeed);

/**
 * Seeds the global generator used by every random op called without its own seed (weight
 * initialisers, dropout, shuffling). Example: `tf.setSeed(42)` at the top of a notebook.
 */
export function setSeed(seed: number): void {
  if (!Number.isFinite(seed)) throw new Error(`setSeed: seed must be a finite number, got ${seed}`);
  globalSeed = Math.floor(seed) >>> 0;
  global = new Prng(globalSeed);
}

/** The seed last given to `setSeed` (or the random one chosen at start). */
export function getSeed(): number {
  return globalSeed;
}

/** A generator for one op: seeded by `seed` when given, else drawn from the global generator. */
export function generatorFor(seed: number | null | undefined): Prng {
  if (seed === undefined || seed === null) return new Prng(global.nextUint32());
  if (!Number.isFinite(seed)) throw new Error(`random: seed must be a finite number, got ${seed}`);
  return new Prng(seed);
}
