/**
 * The im2col copy of conv.ts in WebAssembly and its reverse:
 * - `im2col(x, cols, …geometry)` writes, for every output pixel (batch, row, column in order), the
 *   `inC` input values each filter tap (fy, fx in order) reads, or zeros where the tap falls on
 *   padding: one row of `fh·fw·inC` floats per output pixel;
 * - `col2im(dx, cols, …geometry)` zeroes `dx` (the input's shape) and adds each such value of
 *   `cols` back to the input element it was read from (the input gradient).
 * Channels go four at a time when `inC` is a multiple of 4.
 */
import { f32, f32x4, type I32, i32, memory, v128 } from "../assembler/instructions.js";
import type { ModuleBuilder } from "../assembler/module.js";

export function addIm2col(m: ModuleBuilder): void {
  for (const direction of ["im2col", "col2im"] as const) addWindowWalk(m, direction);
}

function addWindowWalk(m: ModuleBuilder, direction: "im2col" | "col2im"): void {
  const params = {
    x: "i32",
    cols: "i32",
    batch: "i32",
    inH: "i32",
    inW: "i32",
    inC: "i32",
    outH: "i32",
    outW: "i32",
    fh: "i32",
    fw: "i32",
    strideH: "i32",
    strideW: "i32",
    dilationH: "i32",
    dilationW: "i32",
    padTop: "i32",
    padLeft: "i32",
  } as const;
  m.func(direction, params, "void", (f, p) => {
    const [n, oy, ox, fy, fx, c, iy, ix] = Array.from({ length: 8 }, () => f.local("i32"));
    const image = f.local("i32");
    const imageBytes = f.local("i32");
    const tapBytes = f.local("i32");
    const to = f.local("i32");
    const from = f.local("i32");
    const vectors = f.local("i32");
    f.set(imageBytes, i32.shl(i32.mul(i32.mul(p.inH, p.inW), p.inC), 2));
    f.set(tapBytes, i32.shl(p.inC, 2));
    f.set(vectors, i32.eqz(i32.and(p.inC, 3)));
    f.set(to, p.cols); // the current tap's place in cols
    f.set(image, p.x);
    if (direction === "col2im") f.emit(memory.fill(p.x, 0, i32.mul(p.batch, imageBytes)));
    f.forRange(n, 0, p.batch, 1, () => {
      f.forRange(oy, 0, p.outH, 1, () => {
        f.forRange(ox, 0, p.outW, 1, () => {
          f.forRange(fy, 0, p.fh, 1, () => {
            f.set(iy, i32.add(i32.sub(i32.mul(oy, p.strideH), p.padTop), i32.mul(fy, p.dilationH)));
            f.forRange(fx, 0, p.fw, 1, () => {
              f.set(ix, i32.add(i32.sub(i32.mul(ox, p.strideW), p.padLeft), i32.mul(fx, p.dilationW)));
              // Unsigned comparisons also reject negative coordinates.
              f.if(
                i32.and(i32.lt_u(iy, p.inH), i32.lt_u(ix, p.inW)),
                () => {
                  f.set(from, i32.add(image, i32.shl(i32.mul(i32.add(i32.mul(iy, p.inW), ix), p.inC), 2)));
                  const col = (c: I32) => i32.add(to, c);
                  const pixel = (c: I32) => i32.add(from, c);
                  f.if(
                    vectors,
                    () =>
                      f.forRange(c, 0, tapBytes, 16, () =>
                        f.emit(
                          direction === "im2col"
                            ? v128.store(col(c), v128.load(pixel(c)))
                            : v128.store(pixel(c), f32x4.add(v128.load(pixel(c)), v128.load(col(c)))),
                        ),
                      ),
                    () =>
                      f.forRange(c, 0, tapBytes, 4, () =>
                        f.emit(
                          direction === "im2col"
                            ? f32.store(col(c), f32.load(pixel(c)))
                            : f32.store(pixel(c), f32.add(f32.load(pixel(c)), f32.load(col(c)))),
                        ),
                      ),
                  );
                },
                () => {
                  if (direction === "im2col") f.emit(memory.fill(to, 0, tapBytes));
                },
              );
              f.increment(to, tapBytes);
            });
          });
        });
      });
      f.increment(image, imageBytes);
    });
  });
}
