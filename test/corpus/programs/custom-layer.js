// Corpus program: custom-layer (a custom layer class extending tf.layers.Layer: computeOutputShape,
// call with invokeCallHook, static className, tf.serialization.registerClass), applied to an image,
// then (added by the corpus) inside a model that is saved and loaded back through the registered class.
// Source: tensorflow/tfjs-examples@0521725666e4504948eed00fe372b92510cc74f9, custom-layer/custom_layer.js
//   and index.js.
// Changes: the page (its cat picture, canvases, ImageData) is a stand-in: the picture is seeded
// synthetic pixels, read by corpusFromPixels in place of tf.browser.fromPixels (the DOM read);
// the modules are joined into one cell; the result is printed as JSON.
import * as tf from '@tensorflow/tfjs';

// ---- [corpus] stand-ins for the page ----
// A seeded random generator (mulberry32), so that deepts and TF.js get the same data.
function corpusRandom(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const corpusCanvases = [];
const document = {
  getElementById: (id) => ({ id, width: 32, height: 24, appendChild() {} }),
  createElement: () => {
    const canvas = { getContext: () => ({ putImageData(imageData) { canvas.pixels = imageData.data; } }) };
    corpusCanvases.push(canvas);
    return canvas;
  },
};
class ImageData {
  constructor(width, height) { this.width = width; this.height = height; this.data = new Uint8ClampedArray(width * height * 4); }
}
function corpusFromPixels(img) {
  const rand = corpusRandom(5);
  return tf.tensor3d(Array.from({ length: img.height * img.width * 3 }, () => Math.floor(rand() * 256)), [img.height, img.width, 3], 'int32');
}

// ---- custom-layer/custom_layer.js (tfjs-examples; imports/exports dropped) ----
/**
 * This custom layer is similar to the 'relu' non-linear Activation `Layer`, but
 * it keeps both the negative and positive signal.  The input is centered at the
 * mean value, and then the negative activations and positive activations are
 * separated into different channels, meaning that there are twice as many
 * output channels as input channels.
 *
 * Implementing a custom `Layer` in general involves specifying a `call`
 * function, and possibly also a `computeOutputShape` and `build` function. This
 * layer does not need a custom `build` function because it does not store any
 * variables.
 *
 * Custom layers currently can not be saved / loaded.  Tracking issue at
 * https://github.com/tensorflow/tfjs/issues/254
 */
class Antirectifier extends tf.layers.Layer {
  constructor() {
    super({});
    // TODO(bileschi): Can we point to documentation on masking here?
    this.supportsMasking = true;
  }

  /**
   * This layer only works on 4D Tensors [batch, height, width, channels],
   * and produces output with twice as many channels.
   *
   * layer.computeOutputShapes must be overridden in the case that the output
   * shape is not the same as the input shape.
   * @param {*} inputShapes
   */
  computeOutputShape(inputShape) {
    return [inputShape[0], inputShape[1], inputShape[2], 2 * inputShape[3]]
  }

  /**
   * Centers the input and applies the following function to every element of
   * the input.
   *
   *     x => [max(x, 0), max(-x, 0)]
   *
   * The theory being that there may be signal in the both negative and positive
   * portions of the input.  Note that this will double the number of channels.
   * @param inputs Tensor to be treated.
   * @param kwargs Only used as a pass through to call hooks.  Unused in this
   *   example code.
   */
  call(inputs, kwargs) {
    let input = inputs;
    if (Array.isArray(input)) {
      input = input[0];
    }
    this.invokeCallHook(inputs, kwargs);
    const origShape = input.shape;
    const flatShape =
        [origShape[0], origShape[1] * origShape[2] * origShape[3]];
    const flattened = input.reshape(flatShape);
    const centered = tf.sub(flattened, flattened.mean(1).expandDims(1));
    const pos = centered.relu().reshape(origShape);
    const neg = centered.neg().relu().reshape(origShape);
    return tf.concat([pos, neg], 3);
  }

  /**
   * If a custom layer class is to support serialization, it must implement
   * the `className` static getter.
   */
  static get className() {
    return 'Antirectifier';
  }
}
tf.serialization.registerClass(Antirectifier);  // Needed for serialization.

function antirectifier() {
  return new Antirectifier();
}

// ---- custom-layer/index.js (unchanged but the picture read) ----
function customLayerDemo() {
  let imgElement = document.getElementById('cat');
  // Layer expects first dimension to be batch, therefore expandDims.
  const img = corpusFromPixels(imgElement).toFloat().expandDims(0);
  const layer = antirectifier();
  const [posTensor, negTensor] = tf.split(layer.apply(img), 2, 3);
  const posCanvas = document.createElement('canvas');
  tensorToCanvas(posTensor, posCanvas);
  document.getElementById('output_image_1').appendChild(posCanvas);
  const negCanvas = document.createElement('canvas');
  tensorToCanvas(negTensor, negCanvas);
  document.getElementById('output_image_2').appendChild(negCanvas);
}

function tensorToCanvas(tensor, canvas) {
  const ctx = canvas.getContext('2d');
  const [batch, height, width, nChan] = tensor.shape;
  console.assert(nChan == 3);
  console.assert(batch == 1);
  canvas.width = width;
  canvas.height = height;
  const imageData = new ImageData(width, height);
  const data = tensor.dataSync();
  for (let i = 0; i < height * width; ++i) {
    const i4 = i * 4;
    const i3 = i * 3;
    imageData.data[i4 + 0] = data[i3 + 0] * 2;
    imageData.data[i4 + 1] = data[i3 + 1] * 2;
    imageData.data[i4 + 2] = data[i3 + 2] * 2;
    imageData.data[i4 + 3] = 255;
  }
  ctx.putImageData(imageData, 0, 0);
};

customLayerDemo();

const corpusPos = corpusCanvases[0].pixels;
const corpusNeg = corpusCanvases[1].pixels;

// ---- [corpus] the custom layer in a model, saved and loaded back through its registered class ----
const corpusModel = tf.sequential();
corpusModel.add(tf.layers.conv2d({ inputShape: [8, 8, 3], filters: 4, kernelSize: 3, activation: 'relu' }));
corpusModel.add(antirectifier());
corpusModel.add(tf.layers.flatten());
corpusModel.add(tf.layers.dense({ units: 2 }));
const corpusInput = tf.randomNormal([2, 8, 8, 3]);
const corpusDir = require('node:fs').mkdtempSync(require('node:path').join(require('node:os').tmpdir(), 'corpus-custom-layer-'));
await corpusModel.save(`file://${corpusDir}`);
const corpusLoaded = await tf.loadLayersModel(`file://${corpusDir}/model.json`);
console.log(JSON.stringify({
  canvases: corpusCanvases.length,
  positiveChannelSum: corpusPos.reduce((a, b) => a + b, 0),
  negativeChannelSum: corpusNeg.reduce((a, b) => a + b, 0),
  layerClass: corpusLoaded.layers[1].getClassName(),
  modelOutputShape: corpusModel.outputs[0].shape,
  reloadMaxDiff: corpusModel.predict(corpusInput).sub(corpusLoaded.predict(corpusInput)).abs().max().dataSync()[0],
}));
