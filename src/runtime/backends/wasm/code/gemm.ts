/**
 * SGEMM in WebAssembly SIMD: `C (+)= op(A) · op(B)` for float32 row-major matrices given by
 * strides, blocked the way BLAS libraries do it (Goto's scheme) so that the innermost loop runs
 * from registers and L1:
 *
 * - B is copied ("packed") `KC` rows × `NC` columns at a time into panels of `NR` = 8 columns,
 *   each panel contiguous in k, zero-padded on the right; either B layout (rows or columns
 *   contiguous) packs with vector loads (a transposed B through 4×4 lane shuffles).
 * - A is read in place: each micro-kernel reads `MR` = 4 rows of A (or, for a transposed A, 4
 *   adjacent values per k) and broadcasts one value per row and k (`v128.load32_splat`).
 * - The micro-kernel keeps a 4×8 block of C in 8 vector registers across the whole k loop
 *   (unrolled by 4): per k, two vector loads of B, four broadcasts of A, 8 multiplies and 8 adds
 *   (WebAssembly SIMD has no fused multiply-add outside the relaxed-SIMD proposal).
 * - Edge blocks (fewer than 4 rows: kernels for 1–3 rows; fewer than 8 columns) write through a
 *   small scratch tile.
 *
 * `sgemm` takes a batch (`count` products at element strides `aBatch`, `bBatch`, `cBatch`) and a
 * per-thread scratch area of `GEMM_SCRATCH_BYTES` (the packed panels and the edge tile), so one
 * call is one thread's share of a threaded product (a range of batches, rows or columns).
 */
import { f32, f32x4, i32, i8x16, type I32, v128 } from "../assembler/instructions.js";
import type { FunctionBuilder, FunctionRef, Local, ModuleBuilder } from "../assembler/module.js";

/** Rows and columns of the micro-kernel's block of C. */
export const MR = 4;
export const NR = 8;
/** The k extent and column extent of one packed block of B (KC·NC floats: 512 KiB, L2-sized). */
export const KC = 256;
export const NC = 512;
/** Rows of A per pass over the packed panels (MC·KC floats of A stay in L2). */
export const MC = 64;

/** Pack A (MC×KC blocks into panels of MR rows) when C has more columns than this. */
export const PACK_A_MIN_N = 16;
/** k steps per iteration of the micro-kernel's loop. */
const UNROLL = Number(process.env.DEEPTS_GEMM_UNROLL ?? 1);

const B_PACK_BYTES = KC * NC * 4;
const A_PACK_BYTES = MC * KC * 4;
/** Bytes of the per-thread scratch `sgemm` needs: the packed blocks of B and A, and the edge tile. */
export const GEMM_SCRATCH_BYTES = B_PACK_BYTES + A_PACK_BYTES + MR * NR * 4;

/**
 * How a micro-kernel walks A: `rows` has unit stride along k (A as stored), `cols` along m (A
 * transposed), `packed` is a panel from `packA` (MR values per k, 16 bytes apart).
 */
type ALayout = "rows" | "cols" | "packed";

/** Emits nested ifs running `body(c)` for the case `c` that equals `value` (the last case is the default). */
export function switchOn(f: FunctionBuilder, value: I32, cases: readonly number[], body: (c: number) => void): void {
  const [first, ...rest] = cases;
  if (first === undefined) return;
  if (rest.length === 0) return body(first);
  f.if(
    i32.eq(value, first),
    () => body(first),
    () => switchOn(f, value, rest, body),
  );
}

/**
 * The micro-kernel for `mr` rows: `C[0:mr, 0:nValid] (+)= A[0:mr, 0:kc] · P` where `P` is one
 * packed panel (kc × 8). `stride` is A's byte step between rows (`rows`) or between k (`cols`);
 * `ldc` is C's row pitch in bytes.
 */
function microKernel(m: ModuleBuilder, layout: ALayout, mr: number): FunctionRef {
  const params = {
    a: "i32",
    stride: "i32",
    b: "i32",
    c: "i32",
    ldc: "i32",
    kc: "i32",
    accumulate: "i32",
    nValid: "i32",
    scratch: "i32",
  } as const;
  return m.func(
    `gemm_kernel_${layout}_${mr}`,
    params,
    "void",
    (f, p) => {
      const rows = Array.from({ length: mr }, (_, r) => r);
      const acc = rows.map(() => [f.local("v128"), f.local("v128")] as const);
      const b0 = f.local("v128");
      const b1 = f.local("v128");
      const av = f.local("v128");
      const kk = f.local("i32");
      const kMain = f.local("i32");
      const pb = f.local("i32");
      f.set(pb, p.b);
      f.set(kMain, i32.and(p.kc, -UNROLL));

      /** One k step: B's 8 values at `pb + bOffset`, row r's A value at `aAt(r)`. */
      const step = (aAt: (r: number) => [I32, number], bOffset: number): void => {
        f.set(b0, v128.load(pb, bOffset));
        f.set(b1, v128.load(pb, bOffset + 16));
        for (const r of rows) {
          const [address, offset] = aAt(r);
          f.set(av, v128.load32_splat(address, offset));
          f.set(acc[r]![0], f32x4.add(acc[r]![0], f32x4.mul(av, b0)));
          f.set(acc[r]![1], f32x4.add(acc[r]![1], f32x4.mul(av, b1)));
        }
      };
      /** The k loop, `UNROLL` steps per iteration, then the remaining steps one by one. */
      const kLoop = (unrolled: (u: number) => void, advance: (steps: number) => void): void => {
        f.forRange(kk, 0, kMain, UNROLL, () => {
          for (let u = 0; u < UNROLL; u++) unrolled(u);
          advance(UNROLL);
        });
        f.forRange(kk, kMain, p.kc, 1, () => {
          unrolled(0);
          advance(1);
        });
      };

      if (layout === "rows") {
        // One pointer per row of A, each advancing along k.
        const pa = rows.map((r) => {
          const l = f.local("i32");
          f.set(l, i32.add(p.a, i32.mul(p.stride, r)));
          return l;
        });
        kLoop(
          (u) => step((r) => [pa[r]!, u * 4], u * NR * 4),
          (steps) => {
            for (const l of pa) f.increment(l, 4 * steps);
            f.increment(pb, NR * 4 * steps);
          },
        );
      } else if (layout === "packed") {
        const pa = f.local("i32");
        f.set(pa, p.a);
        kLoop(
          (u) => step((r) => [pa, (u * MR + r) * 4], u * NR * 4),
          (steps) => {
            f.increment(pa, MR * 4 * steps);
            f.increment(pb, NR * 4 * steps);
          },
        );
      } else {
        // A transposed: the mr values of one k are adjacent; one pointer advancing by `stride` per k.
        const pa = f.local("i32");
        f.set(pa, p.a);
        kLoop(
          (u) => {
            step((r) => [pa, r * 4], u * NR * 4);
            f.increment(pa, p.stride);
          },
          (steps) => f.increment(pb, NR * 4 * steps),
        );
      }

      const rowAddress = (r: number): I32 => (r === 0 ? p.c : i32.add(p.c, i32.mul(p.ldc, r)));
      f.if(
        i32.eq(p.nValid, NR),
        () => {
          const store = (accumulate: boolean) => () => {
            for (const r of rows) {
              for (const half of [0, 1] as const) {
                const value = accumulate
                  ? f32x4.add(acc[r]![half], v128.load(rowAddress(r), half * 16))
                  : acc[r]![half];
                f.emit(v128.store(rowAddress(r), value, half * 16));
              }
            }
          };
          f.if(p.accumulate, store(true), store(false));
        },
        () => {
          // A partial block: through the scratch tile, then the valid columns one by one.
          for (const r of rows)
            for (const half of [0, 1] as const) f.emit(v128.store(p.scratch, acc[r]![half], (r * NR + half * 4) * 4));
          const j = f.local("i32");
          const at = f.local("i32");
          for (const r of rows) {
            f.forRange(j, 0, p.nValid, 1, () => {
              f.set(at, i32.add(rowAddress(r), i32.shl(j, 2)));
              const value = f32.load(i32.add(p.scratch, i32.shl(j, 2)), r * NR * 4);
              f.if(
                p.accumulate,
                () => f.emit(f32.store(at, f32.add(f32.load(at), value))),
                () => f.emit(f32.store(at, value)),
              );
            });
          }
        },
      );
    },
    { exported: false },
  );
}

/**
 * Stores the 4×4 transpose of the vectors `r` (lane j of r[q] goes to lane q of output j) at
 * `d + offset + j·pitch`, using `t` as temporaries.
 */
function storeTransposed4x4(
  f: FunctionBuilder,
  r: readonly Local<"v128">[],
  t: readonly Local<"v128">[],
  d: I32,
  offset: number,
  pitch: number,
): void {
  f.set(t[0]!, i8x16.shuffle32(r[0]!, r[1]!, [0, 4, 1, 5]));
  f.set(t[1]!, i8x16.shuffle32(r[2]!, r[3]!, [0, 4, 1, 5]));
  f.set(t[2]!, i8x16.shuffle32(r[0]!, r[1]!, [2, 6, 3, 7]));
  f.set(t[3]!, i8x16.shuffle32(r[2]!, r[3]!, [2, 6, 3, 7]));
  f.emit(
    v128.store(d, i8x16.shuffle32(t[0]!, t[1]!, [0, 1, 4, 5]), offset),
    v128.store(d, i8x16.shuffle32(t[0]!, t[1]!, [2, 3, 6, 7]), offset + pitch),
    v128.store(d, i8x16.shuffle32(t[2]!, t[3]!, [0, 1, 4, 5]), offset + 2 * pitch),
    v128.store(d, i8x16.shuffle32(t[2]!, t[3]!, [2, 3, 6, 7]), offset + 3 * pitch),
  );
}

/**
 * Packs `mc` rows × `kc` columns of A (at `src`, byte steps `rs` between rows and `cs` between
 * columns) into panels of 4 rows at `dst`: panel `p` holds `kc` groups of 4 values, zero-padded.
 */
function packA(m: ModuleBuilder): FunctionRef {
  return m.func(
    "gemm_pack_a",
    { src: "i32", rs: "i32", cs: "i32", mc: "i32", kc: "i32", dst: "i32" },
    "void",
    (f, p) => {
      const ir = f.local("i32");
      const mv = f.local("i32");
      const kk = f.local("i32");
      const k4 = f.local("i32");
      const s = f.local("i32");
      const d = f.local("i32");
      const q = f.local("i32");
      const row = Array.from({ length: MR }, () => f.local("i32"));
      const r = [0, 1, 2, 3].map(() => f.local("v128"));
      const t = [0, 1, 2, 3].map(() => f.local("v128"));
      f.set(k4, i32.and(p.kc, -4));
      f.forRange(ir, 0, p.mc, MR, () => {
        f.set(mv, i32.min_s(MR, i32.sub(p.mc, ir)));
        f.set(d, i32.add(p.dst, i32.shl(i32.mul(ir, p.kc), 2)));
        f.set(s, i32.add(p.src, i32.mul(ir, p.rs)));
        f.if(
          i32.and(i32.eq(mv, MR), i32.eq(p.rs, 4)),
          () => {
            // A transposed: the 4 values of one k are adjacent.
            f.forRange(kk, 0, p.kc, 1, () => {
              f.emit(v128.store(d, v128.load(s)));
              f.increment(s, p.cs);
              f.increment(d, 16);
            });
          },
          () =>
            f.if(
              i32.and(i32.eq(mv, MR), i32.eq(p.cs, 4)),
              () => {
                // Rows contiguous: 4 k values of each row, transposed 4×4 at a time.
                row.forEach((l, c) => f.set(l, i32.add(s, i32.mul(p.rs, c))));
                f.forRange(kk, 0, k4, 4, () => {
                  for (let c = 0; c < 4; c++) f.set(r[c]!, v128.load(row[c]!));
                  storeTransposed4x4(f, r, t, d, 0, 16);
                  for (const l of row) f.increment(l, 16);
                  f.increment(d, 64);
                });
                f.forRange(kk, k4, p.kc, 1, () => {
                  row.forEach((l, c) => f.emit(f32.store(d, f32.load(l), c * 4)));
                  for (const l of row) f.increment(l, 4);
                  f.increment(d, 16);
                });
              },
              () => {
                f.forRange(kk, 0, p.kc, 1, () => {
                  f.emit(v128.store(d, f32x4.const(0)));
                  f.forRange(q, 0, mv, 1, () => {
                    f.emit(f32.store(i32.add(d, i32.shl(q, 2)), f32.load(i32.add(s, i32.mul(q, p.rs)))));
                  });
                  f.increment(s, p.cs);
                  f.increment(d, 16);
                });
              },
            ),
        );
      });
    },
    { exported: false },
  );
}

/**
 * Packs `kc` rows × `nc` columns of B (at `src`, byte steps `rs` between rows and `cs` between
 * columns) into panels of 8 columns at `dst`: panel `p` holds `kc` groups of 8 values, zero-padded.
 */
function packB(m: ModuleBuilder): FunctionRef {
  return m.func(
    "gemm_pack_b",
    { src: "i32", rs: "i32", cs: "i32", kc: "i32", nc: "i32", dst: "i32" },
    "void",
    (f, p) => {
      const jr = f.local("i32");
      const nv = f.local("i32");
      const kk = f.local("i32");
      const k4 = f.local("i32");
      const s = f.local("i32");
      const d = f.local("i32");
      const jj = f.local("i32");
      const col = Array.from({ length: NR }, () => f.local("i32"));
      const r = [0, 1, 2, 3].map(() => f.local("v128"));
      const t = [0, 1, 2, 3].map(() => f.local("v128"));
      f.set(k4, i32.and(p.kc, -4));
      f.forRange(jr, 0, p.nc, NR, () => {
        f.set(nv, i32.min_s(NR, i32.sub(p.nc, jr)));
        f.set(d, i32.add(p.dst, i32.shl(i32.mul(jr, p.kc), 2)));
        f.set(s, i32.add(p.src, i32.mul(jr, p.cs)));
        f.if(
          i32.and(i32.eq(nv, NR), i32.eq(p.cs, 4)),
          () => {
            // Rows of B contiguous: two vector copies per k.
            f.forRange(kk, 0, p.kc, 1, () => {
              f.emit(v128.store(d, v128.load(s)), v128.store(d, v128.load(s, 16), 16));
              f.increment(s, p.rs);
              f.increment(d, 32);
            });
          },
          () =>
            f.if(
              i32.and(i32.eq(nv, NR), i32.eq(p.rs, 4)),
              () => {
                // Columns of B contiguous (B transposed): 4 k values of each column, transposed 4×4 at a time.
                col.forEach((l, c) => f.set(l, i32.add(s, i32.mul(p.cs, c))));
                f.forRange(kk, 0, k4, 4, () => {
                  for (const group of [0, 1]) {
                    for (let q = 0; q < 4; q++) f.set(r[q]!, v128.load(col[group * 4 + q]!));
                    storeTransposed4x4(f, r, t, d, group * 16, 32);
                  }
                  for (const l of col) f.increment(l, 16);
                  f.increment(d, 128);
                });
                f.forRange(kk, k4, p.kc, 1, () => {
                  col.forEach((l, c) => f.emit(f32.store(d, f32.load(l), c * 4)));
                  for (const l of col) f.increment(l, 4);
                  f.increment(d, 32);
                });
              },
              () => {
                // Any layout, or the last, partial panel: value by value, zero beyond the matrix.
                f.forRange(kk, 0, p.kc, 1, () => {
                  f.emit(v128.store(d, f32x4.const(0)), v128.store(d, f32x4.const(0), 16));
                  f.forRange(jj, 0, nv, 1, () => {
                    f.emit(f32.store(i32.add(d, i32.shl(jj, 2)), f32.load(i32.add(s, i32.mul(jj, p.cs)))));
                  });
                  f.increment(s, p.rs);
                  f.increment(d, 32);
                });
              },
            ),
        );
      });
    },
    { exported: false },
  );
}

/**
 * Adds `sgemm(scratch, a, rsA, csA, b, rsB, csB, c, ldc, m, n, k, accumulate, count, aBatch,
 * bBatch, cBatch)`: for each of `count` batches, `C (+)= A · B` with `A` m×k at element strides
 * (rsA, csA) (one of them 1), `B` k×n at (rsB, csB), `C` m×n with row pitch `ldc`.
 */
export function addGemm(m: ModuleBuilder): void {
  const pack = packB(m);
  const packedA = packA(m);
  const kernels = {
    rows: [1, 2, 3, 4].map((mr) => microKernel(m, "rows", mr)),
    cols: [1, 2, 3, 4].map((mr) => microKernel(m, "cols", mr)),
    packed: [1, 2, 3, 4].map((mr) => microKernel(m, "packed", mr)),
  };
  const params = {
    scratch: "i32",
    a: "i32",
    rsA: "i32",
    csA: "i32",
    b: "i32",
    rsB: "i32",
    csB: "i32",
    c: "i32",
    ldc: "i32",
    m: "i32",
    n: "i32",
    k: "i32",
    accumulate: "i32",
    count: "i32",
    aBatch: "i32",
    bBatch: "i32",
    cBatch: "i32",
  } as const;
  m.func("sgemm", params, "void", (f, p) => {
    const local = (): Local<"i32"> => f.local("i32");
    const [batch, a0, b0, c0, jc, nc, pc, kc, acc, ic, mc, jr, nv, pb, ir, mr, aPtr, cPtr, edge, aPack, packing] =
      Array.from({ length: 21 }, local);
    f.set(aPack, i32.add(p.scratch, B_PACK_BYTES));
    f.set(edge, i32.add(aPack, A_PACK_BYTES));
    f.set(packing, i32.gt_s(p.n, PACK_A_MIN_N));
    const bytes = (x: I32): I32 => i32.shl(x, 2);
    f.forRange(batch, 0, p.count, 1, () => {
      f.set(a0, i32.add(p.a, bytes(i32.mul(batch, p.aBatch))));
      f.set(b0, i32.add(p.b, bytes(i32.mul(batch, p.bBatch))));
      f.set(c0, i32.add(p.c, bytes(i32.mul(batch, p.cBatch))));
      f.forRange(jc, 0, p.n, NC, () => {
        f.set(nc, i32.min_s(NC, i32.sub(p.n, jc)));
        f.forRange(pc, 0, p.k, KC, () => {
          f.set(kc, i32.min_s(KC, i32.sub(p.k, pc)));
          f.emit(
            f.call(
              pack,
              i32.add(b0, bytes(i32.add(i32.mul(pc, p.rsB), i32.mul(jc, p.csB)))),
              bytes(p.rsB),
              bytes(p.csB),
              kc,
              nc,
              p.scratch,
            ),
          );
          f.set(acc, i32.or(p.accumulate, i32.gt_s(pc, 0)));
          f.forRange(ic, 0, p.m, MC, () => {
            f.set(mc, i32.min_s(MC, i32.sub(p.m, ic)));
            f.if(packing, () =>
              f.emit(
                f.call(
                  packedA,
                  i32.add(a0, bytes(i32.add(i32.mul(ic, p.rsA), i32.mul(pc, p.csA)))),
                  bytes(p.rsA),
                  bytes(p.csA),
                  mc,
                  kc,
                  aPack,
                ),
              ),
            );
            f.forRange(jr, 0, nc, NR, () => {
              f.set(nv, i32.min_s(NR, i32.sub(nc, jr)));
              f.set(pb, i32.add(p.scratch, bytes(i32.mul(jr, kc))));
              f.forRange(ir, 0, mc, MR, () => {
                f.set(mr, i32.min_s(MR, i32.sub(mc, ir)));
                f.set(aPtr, i32.add(a0, bytes(i32.add(i32.mul(i32.add(ic, ir), p.rsA), i32.mul(pc, p.csA)))));
                f.set(cPtr, i32.add(c0, bytes(i32.add(i32.mul(i32.add(ic, ir), p.ldc), i32.add(jc, jr)))));
                const run = (layout: ALayout, stride: I32) =>
                  switchOn(f, mr, [4, 3, 2, 1], (rows) =>
                    f.emit(f.call(kernels[layout][rows - 1]!, aPtr, stride, pb, cPtr, bytes(p.ldc), kc, acc, nv, edge)),
                  );
                f.if(
                  packing,
                  () => {
                    f.set(aPtr, i32.add(aPack, bytes(i32.mul(ir, kc))));
                    run("packed", MR * 4);
                  },
                  () =>
                    f.if(
                      i32.eq(p.csA, 1),
                      () => run("rows", bytes(p.rsA)),
                      () => run("cols", bytes(p.csA)),
                    ),
                );
              });
            });
          });
        });
      });
    });
  });
}
