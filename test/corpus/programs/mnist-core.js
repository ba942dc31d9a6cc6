// Corpus program: mnist-core (a convolutional network written with tf.variable weights, conv2d and
// maxPool ops, trained with optimizer.minimize in a custom loop).
// Source: tensorflow/tfjs-examples@0521725666e4504948eed00fe372b92510cc74f9, mnist-core/data.js,
//   model.js and index.js.
// Changes: MnistData.load() (which downloads a sprite of the MNIST images) makes seeded synthetic
// digits of the same shapes instead; ui.js is a stand-in that records the losses and the test
// results; the modules are joined into one cell; the last call is awaited; the result is printed as JSON.
import * as tf from '@tensorflow/tfjs';

// ---- [corpus] stand-ins: the data download, ui.js ----
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

const corpusLog = { losses: [], accuracy: undefined };
const ui = {
  isTraining() {},
  trainingLog(loss, iteration) { corpusLog.losses.push(loss[0]); },
  showTestResults(batch, predictions, labels) {
    corpusLog.accuracy = predictions.filter((p, i) => p === labels[i]).length / labels.length;
  },
};

// ---- mnist-core/data.js (tfjs-examples; imports/exports dropped) ----
const mnistDataModule = (() => {
  const IMAGE_SIZE = 784;
  const NUM_CLASSES = 10;
  const NUM_DATASET_ELEMENTS = 65000;

  const TRAIN_TEST_RATIO = 5 / 6;

  const NUM_TRAIN_ELEMENTS = Math.floor(TRAIN_TEST_RATIO * NUM_DATASET_ELEMENTS);
  const NUM_TEST_ELEMENTS = NUM_DATASET_ELEMENTS - NUM_TRAIN_ELEMENTS;

  const MNIST_IMAGES_SPRITE_PATH =
      'https://storage.googleapis.com/learnjs-data/model-builder/mnist_images.png';
  const MNIST_LABELS_PATH =
      'https://storage.googleapis.com/learnjs-data/model-builder/mnist_labels_uint8';

  /**
   * A class that fetches the sprited MNIST dataset and returns shuffled batches.
   *
   * NOTE: This will get much easier. For now, we do data fetching and
   * manipulation manually.
   */
  class MnistData {
    constructor() {
      this.shuffledTrainIndex = 0;
      this.shuffledTestIndex = 0;
    }

    async load() {
      // Make a request for the MNIST sprited image.
      const img = new Image();
      const canvas = document.createElement('canvas');
      const ctx = canvas.getContext('2d');
      const imgRequest = new Promise((resolve, reject) => {
        img.crossOrigin = '';
        img.onload = () => {
          img.width = img.naturalWidth;
          img.height = img.naturalHeight;

          const datasetBytesBuffer =
              new ArrayBuffer(NUM_DATASET_ELEMENTS * IMAGE_SIZE * 4);

          const chunkSize = 5000;
          canvas.width = img.width;
          canvas.height = chunkSize;

          for (let i = 0; i < NUM_DATASET_ELEMENTS / chunkSize; i++) {
            const datasetBytesView = new Float32Array(
                datasetBytesBuffer, i * IMAGE_SIZE * chunkSize * 4,
                IMAGE_SIZE * chunkSize);
            ctx.drawImage(
                img, 0, i * chunkSize, img.width, chunkSize, 0, 0, img.width,
                chunkSize);

            const imageData = ctx.getImageData(0, 0, canvas.width, canvas.height);

            for (let j = 0; j < imageData.data.length / 4; j++) {
              // All channels hold an equal value since the image is grayscale, so
              // just read the red channel.
              datasetBytesView[j] = imageData.data[j * 4] / 255;
            }
          }
          this.datasetImages = new Float32Array(datasetBytesBuffer);

          resolve();
        };
        img.src = MNIST_IMAGES_SPRITE_PATH;
      });

      const labelsRequest = fetch(MNIST_LABELS_PATH);
      const [imgResponse, labelsResponse] =
          await Promise.all([imgRequest, labelsRequest]);

      this.datasetLabels = new Uint8Array(await labelsResponse.arrayBuffer());

      // Create shuffled indices into the train/test set for when we select a
      // random dataset element for training / validation.
      this.trainIndices = tf.util.createShuffledIndices(NUM_TRAIN_ELEMENTS);
      this.testIndices = tf.util.createShuffledIndices(NUM_TEST_ELEMENTS);

      // Slice the the images and labels into train and test sets.
      this.trainImages =
          this.datasetImages.slice(0, IMAGE_SIZE * NUM_TRAIN_ELEMENTS);
      this.testImages = this.datasetImages.slice(IMAGE_SIZE * NUM_TRAIN_ELEMENTS);
      this.trainLabels =
          this.datasetLabels.slice(0, NUM_CLASSES * NUM_TRAIN_ELEMENTS);
      this.testLabels =
          this.datasetLabels.slice(NUM_CLASSES * NUM_TRAIN_ELEMENTS);
    }

    nextTrainBatch(batchSize) {
      return this.nextBatch(
          batchSize, [this.trainImages, this.trainLabels], () => {
            this.shuffledTrainIndex =
                (this.shuffledTrainIndex + 1) % this.trainIndices.length;
            return this.trainIndices[this.shuffledTrainIndex];
          });
    }

    nextTestBatch(batchSize) {
      return this.nextBatch(batchSize, [this.testImages, this.testLabels], () => {
        this.shuffledTestIndex =
            (this.shuffledTestIndex + 1) % this.testIndices.length;
        return this.testIndices[this.shuffledTestIndex];
      });
    }

    nextBatch(batchSize, data, index) {
      const batchImagesArray = new Float32Array(batchSize * IMAGE_SIZE);
      const batchLabelsArray = new Uint8Array(batchSize * NUM_CLASSES);

      for (let i = 0; i < batchSize; i++) {
        const idx = index();

        const image =
            data[0].slice(idx * IMAGE_SIZE, idx * IMAGE_SIZE + IMAGE_SIZE);
        batchImagesArray.set(image, i * IMAGE_SIZE);

        const label =
            data[1].slice(idx * NUM_CLASSES, idx * NUM_CLASSES + NUM_CLASSES);
        batchLabelsArray.set(label, i * NUM_CLASSES);
      }

      const xs = tf.tensor2d(batchImagesArray, [batchSize, IMAGE_SIZE]);
      const labels = tf.tensor2d(batchLabelsArray, [batchSize, NUM_CLASSES]);

      return {xs, labels};
    }
  }
  return { MnistData };
})();


// [corpus] MnistData with load() making synthetic digits instead of downloading (the rest as in data.js).
class MnistData extends mnistDataModule.MnistData {
  async load() {
    const trainCount = 2000, testCount = 500;
    const train = corpusDigits(trainCount, 1), test = corpusDigits(testCount, 2);
    this.trainIndices = tf.util.createShuffledIndices(trainCount);
    this.testIndices = tf.util.createShuffledIndices(testCount);
    this.trainImages = train.images;
    this.testImages = test.images;
    this.trainLabels = train.labels;
    this.testLabels = test.labels;
  }
}

// ---- mnist-core/model.js (tfjs-examples; imports/exports dropped) ----
const model = (() => {
  // Hyperparameters.
  const LEARNING_RATE = .1;
  const BATCH_SIZE = 64;
  const TRAIN_STEPS = 100;

  // Data constants.
  const IMAGE_SIZE = 28;
  const LABELS_SIZE = 10;
  const optimizer = tf.train.sgd(LEARNING_RATE);

  // Variables that we want to optimize
  const conv1OutputDepth = 8;
  const conv1Weights =
      tf.variable(tf.randomNormal([5, 5, 1, conv1OutputDepth], 0, 0.1));

  const conv2InputDepth = conv1OutputDepth;
  const conv2OutputDepth = 16;
  const conv2Weights = tf.variable(
      tf.randomNormal([5, 5, conv2InputDepth, conv2OutputDepth], 0, 0.1));

  const fullyConnectedWeights = tf.variable(tf.randomNormal(
      [7 * 7 * conv2OutputDepth, LABELS_SIZE], 0,
      1 / Math.sqrt(7 * 7 * conv2OutputDepth)));
  const fullyConnectedBias = tf.variable(tf.zeros([LABELS_SIZE]));

  // Loss function
  function loss(labels, ys) {
    return tf.losses.softmaxCrossEntropy(labels, ys).mean();
  }

  // Our actual model
  function model(inputXs) {
    const xs = inputXs.as4D(-1, IMAGE_SIZE, IMAGE_SIZE, 1);

    const strides = 2;
    const pad = 0;

    // Conv 1
    const layer1 = tf.tidy(() => {
      return xs.conv2d(conv1Weights, 1, 'same')
          .relu()
          .maxPool([2, 2], strides, pad);
    });

    // Conv 2
    const layer2 = tf.tidy(() => {
      return layer1.conv2d(conv2Weights, 1, 'same')
          .relu()
          .maxPool([2, 2], strides, pad);
    });

    // Final layer
    return layer2.as2D(-1, fullyConnectedWeights.shape[0])
        .matMul(fullyConnectedWeights)
        .add(fullyConnectedBias);
  }

  // Train the model.
  async function train(data, log) {
    const returnCost = true;

    for (let i = 0; i < TRAIN_STEPS; i++) {
      const cost = optimizer.minimize(() => {
        const batch = data.nextTrainBatch(BATCH_SIZE);
        return loss(batch.labels, model(batch.xs));
      }, returnCost);

      log(cost.dataSync(), i);
      await tf.nextFrame();
    }
  }

  // Predict the digit number from a batch of input images.
  function predict(x) {
    const pred = tf.tidy(() => {
      const axis = 1;
      return model(x).argMax(axis);
    });
    return Array.from(pred.dataSync());
  }

  // Given a logits or label vector, return the class indices.
  function classesFromLabel(y) {
    const axis = 1;
    const pred = y.argMax(axis);

    return Array.from(pred.dataSync());
  }
  return { train, predict, classesFromLabel };
})();

// ---- mnist-core/index.js (unchanged but the last call) ----
let data;
async function load() {
  data = new MnistData();
  await data.load();
}

async function train() {
  ui.isTraining();
  await model.train(data, ui.trainingLog);
}

async function test() {
  const testExamples = 50;
  const batch = data.nextTestBatch(testExamples);
  const predictions = model.predict(batch.xs);
  const labels = model.classesFromLabel(batch.labels);

  ui.showTestResults(batch, predictions, labels);
}

async function mnist() {
  await load();
  await train();
  test();
}
await mnist(); // [corpus] awaited

// ---- [corpus] result ----
const corpusL = corpusLog.losses;
console.log(JSON.stringify({
  steps: corpusL.length,
  firstLoss: corpusL.slice(0, 5).reduce((a, b) => a + b, 0) / 5,
  lastLoss: corpusL.slice(-5).reduce((a, b) => a + b, 0) / 5,
  testAccuracy: corpusLog.accuracy,
}));
