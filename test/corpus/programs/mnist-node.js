// Corpus program: mnist-node (a convolutional classifier in Node: sequential conv2d/maxPooling2d/
// dropout/dense, rmsprop, fit with validationSplit, evaluate, model.save('file://…')), with the saved
// model loaded back.
// Source: tensorflow/tfjs-examples@0521725666e4504948eed00fe372b92510cc74f9, mnist-node/data.js,
//   model.js and main.js.
// Changes: loadImages/loadLabels (which download and parse the MNIST files) give seeded synthetic
// digits of the same shapes; argparse's command line is a stand-in with the defaults (and a model
// save path in a temporary folder); the modules are joined into one cell (module.exports becomes a
// value); the last call is awaited; the cell then loads the saved model and compares predictions.
const corpusScale = Number(process.env.CORPUS_SCALE ?? 1);

// ---- [corpus] stand-ins: the MNIST files, argparse ----
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
// Synthetic 28×28 "digits": each class is three Gaussian blobs at its own places, plus noise.
// Returns pixel values in [0, 1] (n × 784) and one-hot labels (n × 10), like the MNIST files.
function corpusDigits(n, seed) {
  const rand = corpusRandom(seed);
  const templates = [];
  const shapes = corpusRandom(7);
  for (let c = 0; c < 10; c++) {
    const t = new Float32Array(784);
    for (let b = 0; b < 3; b++) {
      const cx = 5 + shapes() * 18, cy = 5 + shapes() * 18, s = 2 + shapes() * 3;
      for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) t[y * 28 + x] += Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * s * s));
    }
    templates.push(t);
  }
  const images = new Float32Array(n * 784);
  const labels = new Uint8Array(n * 10);
  for (let i = 0; i < n; i++) {
    const c = Math.floor(rand() * 10);
    labels[i * 10 + c] = 1;
    const dx = Math.floor(rand() * 3) - 1, dy = Math.floor(rand() * 3) - 1;
    for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) {
      const sx = Math.min(27, Math.max(0, x - dx)), sy = Math.min(27, Math.max(0, y - dy));
      images[i * 784 + y * 28 + x] = Math.min(1, Math.max(0, templates[c][sy * 28 + sx] * 0.9 + (rand() - 0.5) * 0.3));
    }
  }
  return { images, labels };
}

const corpusSets = {
  'train-images-idx3-ubyte': corpusDigits(Math.round(256 * corpusScale), 31),
  't10k-images-idx3-ubyte': corpusDigits(Math.round(64 * corpusScale), 32),
};
corpusSets['train-labels-idx1-ubyte'] = corpusSets['train-images-idx3-ubyte'];
corpusSets['t10k-labels-idx1-ubyte'] = corpusSets['t10k-images-idx3-ubyte'];
async function corpusLoadImages(filename) {
  const { images } = corpusSets[filename];
  return Array.from({ length: images.length / 784 }, (_, i) => images.slice(i * 784, (i + 1) * 784));
}
async function corpusLoadLabels(filename) {
  const { labels } = corpusSets[filename];
  return Array.from({ length: labels.length / 10 }, (_, i) => Int32Array.of(labels.subarray(i * 10, (i + 1) * 10).indexOf(1)));
}
const corpusSaveDir = require('node:fs').mkdtempSync(require('node:path').join(require('node:os').tmpdir(), 'corpus-mnist-node-'));
const argparse = {
  ArgumentParser: class {
    constructor() { this.args = {}; }
    add_argument(flag, options) { this.args[flag.replace(/^--/, '')] = options.default; }
    parse_args() { return { ...this.args, model_save_path: corpusSaveDir }; }
  },
};

// ---- mnist-node/data.js (tfjs-examples; module.exports becomes the value) ----
const data = (() => {
  const tf = require('@tensorflow/tfjs');
  const assert = require('assert');
  const fs = require('fs');
  const https = require('https');
  const util = require('util');
  const zlib = require('zlib');

  const readFile = util.promisify(fs.readFile);

  // MNIST data constants:
  const BASE_URL = 'https://storage.googleapis.com/cvdf-datasets/mnist/';
  const TRAIN_IMAGES_FILE = 'train-images-idx3-ubyte';
  const TRAIN_LABELS_FILE = 'train-labels-idx1-ubyte';
  const TEST_IMAGES_FILE = 't10k-images-idx3-ubyte';
  const TEST_LABELS_FILE = 't10k-labels-idx1-ubyte';
  const IMAGE_HEADER_MAGIC_NUM = 2051;
  const IMAGE_HEADER_BYTES = 16;
  const IMAGE_HEIGHT = 28;
  const IMAGE_WIDTH = 28;
  const IMAGE_FLAT_SIZE = IMAGE_HEIGHT * IMAGE_WIDTH;
  const LABEL_HEADER_MAGIC_NUM = 2049;
  const LABEL_HEADER_BYTES = 8;
  const LABEL_RECORD_BYTE = 1;
  const LABEL_FLAT_SIZE = 10;

  // [corpus] the download and IDX parsing (fetchOnceAndSaveToDiskWithBuffer, loadHeaderValues,
  // loadImages, loadLabels) are stand-ins: synthetic digits of the same shapes.
  const loadImages = corpusLoadImages;
  const loadLabels = corpusLoadLabels;

  /** Helper class to handle loading training and test data. */
  class MnistDataset {
    constructor() {
      this.dataset = null;
      this.trainSize = 0;
      this.testSize = 0;
      this.trainBatchIndex = 0;
      this.testBatchIndex = 0;
    }

    /** Loads training and test data. */
    async loadData() {
      this.dataset = await Promise.all([
        loadImages(TRAIN_IMAGES_FILE), loadLabels(TRAIN_LABELS_FILE),
        loadImages(TEST_IMAGES_FILE), loadLabels(TEST_LABELS_FILE)
      ]);
      this.trainSize = this.dataset[0].length;
      this.testSize = this.dataset[2].length;
    }

    getTrainData() {
      return this.getData_(true);
    }

    getTestData() {
      return this.getData_(false);
    }

    getData_(isTrainingData) {
      let imagesIndex;
      let labelsIndex;
      if (isTrainingData) {
        imagesIndex = 0;
        labelsIndex = 1;
      } else {
        imagesIndex = 2;
        labelsIndex = 3;
      }
      const size = this.dataset[imagesIndex].length;
      tf.util.assert(
          this.dataset[labelsIndex].length === size,
          `Mismatch in the number of images (${size}) and ` +
              `the number of labels (${this.dataset[labelsIndex].length})`);

      // Only create one big array to hold batch of images.
      const imagesShape = [size, IMAGE_HEIGHT, IMAGE_WIDTH, 1];
      const images = new Float32Array(tf.util.sizeFromShape(imagesShape));
      const labels = new Int32Array(tf.util.sizeFromShape([size, 1]));

      let imageOffset = 0;
      let labelOffset = 0;
      for (let i = 0; i < size; ++i) {
        images.set(this.dataset[imagesIndex][i], imageOffset);
        labels.set(this.dataset[labelsIndex][i], labelOffset);
        imageOffset += IMAGE_FLAT_SIZE;
        labelOffset += 1;
      }

      return {
        images: tf.tensor4d(images, imagesShape),
        labels: tf.oneHot(tf.tensor1d(labels, 'int32'), LABEL_FLAT_SIZE).toFloat()
      };
    }
  }

  return new MnistDataset();
})();

// ---- mnist-node/model.js (tfjs-examples; module.exports becomes the value) ----
const model = (() => {
  const tf = require('@tensorflow/tfjs');

  const model = tf.sequential();
  model.add(tf.layers.conv2d({
    inputShape: [28, 28, 1],
    filters: 32,
    kernelSize: 3,
    activation: 'relu',
  }));
  model.add(tf.layers.conv2d({
    filters: 32,
    kernelSize: 3,
    activation: 'relu',
  }));
  model.add(tf.layers.maxPooling2d({poolSize: [2, 2]}));
  model.add(tf.layers.conv2d({
    filters: 64,
    kernelSize: 3,
    activation: 'relu',
  }));
  model.add(tf.layers.conv2d({
    filters: 64,
    kernelSize: 3,
    activation: 'relu',
  }));
  model.add(tf.layers.maxPooling2d({poolSize: [2, 2]}));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dropout({rate: 0.25}));
  model.add(tf.layers.dense({units: 512, activation: 'relu'}));
  model.add(tf.layers.dropout({rate: 0.5}));
  model.add(tf.layers.dense({units: 10, activation: 'softmax'}));

  const optimizer = 'rmsprop';
  model.compile({
    optimizer: optimizer,
    loss: 'categoricalCrossentropy',
    metrics: ['accuracy'],
  });

  return model;
})();

// ---- mnist-node/main.js (unchanged but the module requires, argparse and the awaited last call) ----
const tf = require('@tensorflow/tfjs-node');


async function run(epochs, batchSize, modelSavePath) {
  await data.loadData();

  const {images: trainImages, labels: trainLabels} = data.getTrainData();
  model.summary();

  let epochBeginTime;
  let millisPerStep;
  const validationSplit = 0.15;
  const numTrainExamplesPerEpoch =
      trainImages.shape[0] * (1 - validationSplit);
  const numTrainBatchesPerEpoch =
      Math.ceil(numTrainExamplesPerEpoch / batchSize);
  await model.fit(trainImages, trainLabels, {
    epochs,
    batchSize,
    validationSplit
  });

  const {images: testImages, labels: testLabels} = data.getTestData();
  const evalOutput = model.evaluate(testImages, testLabels);

  console.log(
      `\nEvaluation result:\n` +
      `  Loss = ${evalOutput[0].dataSync()[0].toFixed(3)}; `+
      `Accuracy = ${evalOutput[1].dataSync()[0].toFixed(3)}`);

  if (modelSavePath != null) {
    await model.save(`file://${modelSavePath}`);
    console.log(`Saved model to path: ${modelSavePath}`);
  }
}

const parser = new argparse.ArgumentParser({
  description: 'TensorFlow.js-Node MNIST Example.',
  add_help: true
});
parser.add_argument('--epochs', {
  type: 'int',
  default: 20,
  help: 'Number of epochs to train the model for.'
});
parser.add_argument('--batch_size', {
  type: 'int',
  default: 128,
  help: 'Batch size to be used during model training.'
})
parser.add_argument('--model_save_path', {
  type: 'string',
  help: 'Path to which the model will be saved after training.'
});
const args = parser.parse_args();

await run(args.epochs, args.batch_size, args.model_save_path); // [corpus] awaited


// ---- [corpus] load the saved model back: it must predict what the trained one does ----
const corpusTest = data.getTestData();
const corpusLoaded = await tf.loadLayersModel(`file://${corpusSaveDir}/model.json`);
const corpusBefore = model.predict(corpusTest.images);
const corpusAfter = corpusLoaded.predict(corpusTest.images);
const corpusEval = model.evaluate(corpusTest.images, corpusTest.labels);
console.log(JSON.stringify({
  testLoss: corpusEval[0].dataSync()[0],
  testAccuracy: corpusEval[1].dataSync()[0],
  reloadMaxDiff: corpusBefore.sub(corpusAfter).abs().max().dataSync()[0],
  layers: corpusLoaded.layers.length,
  outputShape: corpusAfter.shape,
}));
