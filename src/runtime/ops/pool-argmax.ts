/** Where max pooling takes each window's value from (internal: maxPool's second-order gradient, maxPoolWithArgmax). */
import type { Pool2DAttrs } from "../kernels.js";
import type { Tensor } from "../tensor.js";

/**
 * For each max-pool window and channel, the flat NHWC index in `x` of its first maximum (window
 * order, padding skipped), as the MaxPoolGrad kernels route gradients; -1 is never produced for a
 * window with a real element.
 */
export function maxPoolArgmax(x: Tensor, attrs: Pool2DAttrs, outShape: number[]): Int32Array {
  const [batch, inH, inW, channels] = x.shape;
  const [, outH, outW] = outShape;
  const xv = x.dataSync();
  const idx = new Int32Array(batch * outH * outW * channels);
  for (let n = 0; n < batch; n++) {
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        const outBase = ((n * outH + oy) * outW + ox) * channels;
        for (let c = 0; c < channels; c++) {
          let best = -Infinity;
          let at = -1;
          for (let fy = 0; fy < attrs.filterSize[0]; fy++) {
            const iy = oy * attrs.strides[0] - attrs.pad.top + fy;
            if (iy < 0 || iy >= inH) continue;
            for (let fx = 0; fx < attrs.filterSize[1]; fx++) {
              const ix = ox * attrs.strides[1] - attrs.pad.left + fx;
              if (ix < 0 || ix >= inW) continue;
              const i = ((n * inH + iy) * inW + ix) * channels + c;
              if (xv[i] > best || at === -1) {
                best = xv[i];
                at = i;
              }
            }
          }
          idx[outBase + c] = at;
        }
      }
    }
  }
  return idx;
}
