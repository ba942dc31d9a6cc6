/**
 * `tf.browser`: TF.js's conversions between tensors and canvases, images and video. They need a
 * browser's DOM, so in deepts (Node) each fails with an error saying what to use instead.
 */

function browserOnly(name: string): never {
  throw new Error(
    `tf.browser.${name} needs a browser (canvas, image or video elements); deepts runs in Node, where it is not available. ` +
      "Make tensors from pixel data with tf.tensor3d(data, [height, width, channels]), and show images with display.png or plot.image.",
  );
}

/** Browser only: fails in deepts (use `tf.tensor3d(pixels, [h, w, c])`). */
export const browser = {
  fromPixels(..._args: unknown[]): never {
    return browserOnly("fromPixels");
  },
  async fromPixelsAsync(..._args: unknown[]): Promise<never> {
    return browserOnly("fromPixelsAsync");
  },
  async toPixels(..._args: unknown[]): Promise<never> {
    return browserOnly("toPixels");
  },
  draw(..._args: unknown[]): never {
    return browserOnly("draw");
  },
};
