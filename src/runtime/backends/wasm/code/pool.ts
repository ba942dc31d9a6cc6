/**
 * Max pooling over NHWC windows and its gradient in WebAssembly, with the cpu backend's semantics:
 * padding never takes part, a window's maximum starts at −∞ and takes a value only when it is
 * greater (so NaN is skipped), and the gradient goes to the window's first maximum in window order
 * (the first element it sees when none is greater).
 * - `max_pool(x, y, …window)`: four channels at a time (`f32x4.pmax` is exactly "greater replaces"),
 *   then the remaining channels one by one;
 * - `max_pool_grad(x, dy, dx, …window)`: `dx` (zeroed here) gets each `dy` value added at its
 *   window's first maximum, one channel at a time.
 */
import { f32, f32x4, type I32, i32, memory, select, v128 } from "../assembler/instructions.js";
import type { FunctionBuilder, ModuleBuilder } from "../assembler/module.js";

const WINDOW = {
  batch: "i32",
  inH: "i32",
  inW: "i32",
  channels: "i32",
  outH: "i32",
  outW: "i32",
  fh: "i32",
  fw: "i32",
  strideH: "i32",
  strideW: "i32",
  padTop: "i32",
  padLeft: "i32",
} as const;

type WindowParams = { [K in keyof typeof WINDOW]: I32 };

/**
 * Loops over every output pixel (`image` the byte address of its image in `x`, `out` the element
 * index of its first channel in the output), calling `pixel(taps)`, where `taps(body)` runs `body`
 * with the element offset (within the image) of each in-bounds tap's first channel.
 */
function eachPixel(
  f: FunctionBuilder,
  p: WindowParams,
  x: I32,
  pixel: (image: I32, out: I32, taps: (body: (at: I32) => void) => void) => void,
): void {
  const [n, oy, ox, fy, fx, iy, ix] = Array.from({ length: 7 }, () => f.local("i32"));
  const image = f.local("i32");
  const out = f.local("i32");
  const imageBytes = f.local("i32");
  f.set(imageBytes, i32.shl(i32.mul(i32.mul(p.inH, p.inW), p.channels), 2));
  f.set(image, x);
  f.set(out, 0);
  const taps = (body: (at: I32) => void) =>
    f.forRange(fy, 0, p.fh, 1, () => {
      f.set(iy, i32.add(i32.sub(i32.mul(oy, p.strideH), p.padTop), fy));
      f.if(i32.lt_u(iy, p.inH), () =>
        f.forRange(fx, 0, p.fw, 1, () => {
          f.set(ix, i32.add(i32.sub(i32.mul(ox, p.strideW), p.padLeft), fx));
          f.if(i32.lt_u(ix, p.inW), () => body(i32.mul(i32.add(i32.mul(iy, p.inW), ix), p.channels)));
        }),
      );
    });
  f.forRange(n, 0, p.batch, 1, () => {
    f.forRange(oy, 0, p.outH, 1, () =>
      f.forRange(ox, 0, p.outW, 1, () => {
        pixel(image, out, taps);
        f.increment(out, p.channels);
      }),
    );
    f.increment(image, imageBytes);
  });
}

export function addPooling(m: ModuleBuilder): void {
  m.func("max_pool", { x: "i32", y: "i32", ...WINDOW } as const, "void", (f, p) => {
    const c = f.local("i32");
    const vectorEnd = f.local("i32");
    const best = f.local("v128");
    const one = f.local("f32");
    f.set(vectorEnd, i32.and(p.channels, -4));
    eachPixel(f, p, p.x, (image, out, taps) => {
      const address = (at: I32) => i32.add(image, i32.shl(i32.add(at, c), 2));
      const outAddress = i32.add(p.y, i32.shl(i32.add(out, c), 2));
      f.forRange(c, 0, vectorEnd, 4, () => {
        f.set(best, f32x4.const(-Infinity));
        taps((at) => f.set(best, f32x4.pmax(best, v128.load(address(at)))));
        f.emit(v128.store(outAddress, best));
      });
      f.forRange(c, vectorEnd, p.channels, 1, () => {
        f.set(one, f32.const(-Infinity));
        taps((at) => f.set(one, select("f32", f32.load(address(at)), one, f32.gt(f32.load(address(at)), one))));
        f.emit(f32.store(outAddress, one));
      });
    });
  });

  m.func("max_pool_grad", { x: "i32", dy: "i32", dx: "i32", ...WINDOW } as const, "void", (f, p) => {
    const c = f.local("i32");
    const best = f.local("f32");
    const value = f.local("f32");
    const bestAt = f.local("i32"); // byte offset in dx of the first maximum; −1: none yet
    const target = f.local("i32");
    f.emit(memory.fill(p.dx, 0, i32.shl(i32.mul(i32.mul(i32.mul(p.batch, p.inH), p.inW), p.channels), 2)));
    eachPixel(f, p, p.x, (image, out, taps) => {
      f.forRange(c, 0, p.channels, 1, () => {
        f.set(best, f32.const(-Infinity));
        f.set(bestAt, -1);
        taps((at) => {
          const offset = i32.shl(i32.add(at, c), 2);
          f.set(value, f32.load(i32.add(image, offset)));
          f.if(i32.or(f32.gt(value, best), i32.eq(bestAt, -1)), () => {
            f.set(best, value);
            f.set(bestAt, i32.add(i32.sub(image, p.x), offset));
          });
        });
        f.if(i32.ge_s(bestAt, 0), () => {
          f.set(target, i32.add(p.dx, bestAt));
          f.emit(f32.store(target, f32.add(f32.load(target), f32.load(i32.add(p.dy, i32.shl(i32.add(out, c), 2))))));
        });
      });
    });
  });
}
