// Corpus program: website-phishing (a binary classifier: sigmoid MLP, binaryCrossentropy, onEpochBegin
// and onEpochEnd callbacks, evaluate, tf.metrics.precision/recall, an ROC curve with logical ops).
// Source: tensorflow/tfjs-examples@0521725666e4504948eed00fe372b92510cc74f9, website-phishing/utils.js,
//   data.js and index.js.
// Changes: loadCsv (which downloads the CSV files) gives seeded synthetic rows of the same shapes
// (30 features in {-1, 0, 1}, labels 0/1); ui.js is a stand-in that records the final status; the
// modules are joined into one cell; the main promise is awaited; the result is printed as JSON.
import * as tf from '@tensorflow/tfjs';

// ---- [corpus] stand-ins: the CSV downloads and ui.js ----
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

function corpusPhishing(n, seed) {
  const rand = corpusRandom(seed);
  const data = [];
  const target = [];
  for (let i = 0; i < n; i++) {
    const row = Array.from({ length: 30 }, () => Math.floor(rand() * 3) - 1);
    const score = 1.5 * row[0] - row[3] + 0.8 * row[7] * row[8] + row[12] - 0.7 * row[20] + (rand() - 0.5);
    data.push(row);
    target.push([score > 0 ? 1 : 0]);
  }
  return { data, target };
}
const corpusTrain = corpusPhishing(2000, 21);
const corpusTest = corpusPhishing(500, 22);
const corpusFiles = { 'train-data': corpusTrain.data, 'train-target': corpusTrain.target, 'test-data': corpusTest.data, 'test-target': corpusTest.target };
async function corpusLoadCsv(filename) {
  return corpusFiles[filename].map((row) => row.slice());
}
let corpusFinal = '';
const ui = {
  async updateStatus(message) { corpusFinal = message; },
  plotROC() {},
  plotLosses() {},
  plotAccuracies() {},
};

// ---- website-phishing/utils.js (tfjs-examples; imports/exports dropped) ----
const utils = (() => {
  // [corpus] parseCsv and loadCsv (downloads) are stand-ins, below.
  const loadCsv = corpusLoadCsv;

  async function shuffle(data, label) {
    let counter = data.length;
    let temp = 0;
    let index = 0;
    while (counter > 0) {
      index = (Math.random() * counter) | 0;
      counter--;
      // data:
      temp = data[counter];
      data[counter] = data[index];
      data[index] = temp;
      // label:
      temp = label[counter];
      label[counter] = label[index];
      label[index] = temp;
    }
  };

  /**
   * Calculate the arithmetic mean of a vector.
   *
   * @param {Array} vector The vector represented as an Array of Numbers.
   *
   * @returns {number} The arithmetic mean.
   */
  function mean(vector) {
    let sum = 0;
    for (const x of vector) {
      sum += x;
    }
    return sum / vector.length;
  };

  /**
   * Calculate the standard deviation of a vector.
   *
   * @param {Array} vector The vector represented as an Array of Numbers.
   *
   * @returns {number} The standard deviation.
   */
  function stddev(vector) {
    let squareSum = 0;
    const vectorMean = mean(vector);
    for (const x of vector) {
      squareSum += (x - vectorMean) * (x - vectorMean);
    }
    return Math.sqrt(squareSum / (vector.length - 1));
  };

  /**
   * Normalize a vector by its mean and standard deviation.
   *
   * @param {Array} vector Vector to be normalized.
   * @param {number} vectorMean Mean to be used.
   * @param {number} vectorStddev Standard Deviation to be used.
   *
   * @returns {Array} Normalized vector.
   */
  const normalizeVector = (vector, vectorMean, vectorStddev) => {
    return vector.map(x => (x - vectorMean) / vectorStddev);
  };

  /**
   * Normalizes the dataset
   *
   * @param {Array} dataset Dataset to be normalized.
   * @param {boolean} isTrainData Whether it is training data or not.
   * @param {Array} vectorMeans Mean of each column of dataset.
   * @param {Array} vectorStddevs Standard deviation of each column of dataset.
   *
   * @returns {Object} Contains normalized dataset, mean of each vector column,
   *                   standard deviation of each vector column.
   */
  function normalizeDataset(
      dataset, isTrainData = true, vectorMeans = [], vectorStddevs = []) {
        const numFeatures = dataset[0].length;
        let vectorMean;
        let vectorStddev;

        for (let i = 0; i < numFeatures; i++) {
          const vector = dataset.map(row => row[i]);

          if (isTrainData) {
            vectorMean = mean(vector);
            vectorStddev = stddev(vector);

            vectorMeans.push(vectorMean);
            vectorStddevs.push(vectorStddev);
          } else {
            vectorMean = vectorMeans[i];
            vectorStddev = vectorStddevs[i];
          }

          const vectorNormalized =
              normalizeVector(vector, vectorMean, vectorStddev);

          vectorNormalized.forEach((value, index) => {
            dataset[index][i] = value;
          });
        }

        return {dataset, vectorMeans, vectorStddevs};
      };

  /**
   * Binarizes a tensor based on threshold of 0.5.
   *
   * @param {tf.Tensor} y Tensor to be binarized.
   * @param {number} threshold (default: 0.5).
   * @returns {tf.Tensor} Binarized tensor.
   */
  function binarize(y, threshold) {
    if (threshold == null) {
      threshold = 0.5;
    }
    tf.util.assert(
        threshold >= 0 && threshold <= 1,
        `Expected threshold to be >=0 and <=1, but got ${threshold}`);

    return tf.tidy(() => {
      const condition = y.greater(tf.scalar(threshold));
      return tf.where(condition, tf.onesLike(y), tf.zerosLike(y));
    });
  }
  return { loadCsv, shuffle, normalizeDataset, binarize };
})();

// ---- website-phishing/data.js (tfjs-examples; imports/exports dropped) ----
// Website Phishing data constants:
const TRAIN_DATA = 'train-data';
const TRAIN_TARGET = 'train-target';
const TEST_DATA = 'test-data';
const TEST_TARGET = 'test-target';

/** Helper class to handle loading training and test data. */
class WebsitePhishingDataset {
  constructor() {
    this.dataset = null;
    this.trainSize = 0;
    this.testSize = 0;
    this.trainBatchIndex = 0;
    this.testBatchIndex = 0;

    this.NUM_FEATURES = 30;
    this.NUM_CLASSES = 2;
  }

  get numFeatures() {
    return this.NUM_FEATURES;
  }

  /** Loads training and test data. */
  async loadData() {
    this.dataset = await Promise.all([
      utils.loadCsv(TRAIN_DATA), utils.loadCsv(TRAIN_TARGET),
      utils.loadCsv(TEST_DATA), utils.loadCsv(TEST_TARGET)
    ]);

    let {dataset: trainDataset, vectorMeans, vectorStddevs} =
        utils.normalizeDataset(this.dataset[0]);

    this.dataset[0] = trainDataset;

    let {dataset: testDataset} = utils.normalizeDataset(
        this.dataset[2], false, vectorMeans, vectorStddevs);

    this.dataset[2] = testDataset;

    this.trainSize = this.dataset[0].length;
    this.testSize = this.dataset[2].length;

    utils.shuffle(this.dataset[0], this.dataset[1]);
    utils.shuffle(this.dataset[2], this.dataset[3]);
  }

  getTrainData() {
    const dataShape = [this.trainSize, this.NUM_FEATURES];

    const trainData = Float32Array.from([].concat.apply([], this.dataset[0]));
    const trainTarget = Float32Array.from([].concat.apply([], this.dataset[1]));

    return {
      data: tf.tensor2d(trainData, dataShape),
      target: tf.tensor1d(trainTarget)
    };
  }

  getTestData() {
    const dataShape = [this.testSize, this.NUM_FEATURES];

    const testData = Float32Array.from([].concat.apply([], this.dataset[2]));
    const testTarget = Float32Array.from([].concat.apply([], this.dataset[3]));

    return {
      data: tf.tensor2d(testData, dataShape),
      target: tf.tensor1d(testTarget)
    };
  }
}

// ---- website-phishing/index.js (unchanged but the main promise is awaited) ----
function falsePositives(yTrue, yPred) {
  return tf.tidy(() => {
    const one = tf.scalar(1);
    const zero = tf.scalar(0);
    return tf.logicalAnd(yTrue.equal(zero), yPred.equal(one))
        .sum()
        .cast('float32');
  });
}

function trueNegatives(yTrue, yPred) {
  return tf.tidy(() => {
    const zero = tf.scalar(0);
    return tf.logicalAnd(yTrue.equal(zero), yPred.equal(zero))
        .sum()
        .cast('float32');
  });
}

// TODO(cais): Use tf.metrics.falsePositiveRate when available.
function falsePositiveRate(yTrue, yPred) {
  return tf.tidy(() => {
    const fp = falsePositives(yTrue, yPred);
    const tn = trueNegatives(yTrue, yPred);
    return fp.div(fp.add(tn));
  });
}

/**
 * Draw a ROC curve.
 *
 * @param {tf.Tensor} targets The actual target labels, as a 1D Tensor
 *   object consisting of only 0 and 1 values.
 * @param {tf.Tensor} probs The probabilities output by a model, as a 1D
 *   Tensor of the same shape as `targets`. It is assumed that the values of
 *   the elements are >=0 and <= 1.
 * @param {number} epoch The epoch number where the `probs` values come
 *   from.
 * @returns {number} Area under the curve (AUC).
 */
function drawROC(targets, probs, epoch) {
  return tf.tidy(() => {
    const thresholds = [
      0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4,  0.45, 0.5,  0.55,
      0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.92, 0.94, 0.96, 0.98, 1.0
    ];
    const tprs = [];  // True positive rates.
    const fprs = [];  // False positive rates.
    let area = 0;
    for (let i = 0; i < thresholds.length; ++i) {
      const threshold = thresholds[i];

      const threshPredictions = utils.binarize(probs, threshold).as1D();
      const fpr = falsePositiveRate(targets, threshPredictions).dataSync()[0];
      const tpr = tf.metrics.recall(targets, threshPredictions).dataSync()[0];
      fprs.push(fpr);
      tprs.push(tpr);

      // Accumulate to area for AUC calculation.
      if (i > 0) {
        area += (tprs[i] + tprs[i - 1]) * (fprs[i - 1] - fprs[i]) / 2;
      }
    }
    ui.plotROC(fprs, tprs, epoch);
    return area;
  });
}

// Some hyperparameters for model training.
const epochs = 400;
const batchSize = 350;

const data = new WebsitePhishingDataset();
await data.loadData().then(async () => { // [corpus] awaited
  await ui.updateStatus('Getting training and testing data...');
  const trainData = data.getTrainData();
  const testData = data.getTestData();

  await ui.updateStatus('Building model...');
  const model = tf.sequential();
  model.add(tf.layers.dense(
      {inputShape: [data.numFeatures], units: 100, activation: 'sigmoid'}));
  model.add(tf.layers.dense({units: 100, activation: 'sigmoid'}));
  model.add(tf.layers.dense({units: 1, activation: 'sigmoid'}));
  model.compile(
      {optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy']});

  const trainLogs = [];
  let auc;

  await ui.updateStatus('Training starting...');
  await model.fit(trainData.data, trainData.target, {
    batchSize,
    epochs,
    validationSplit: 0.2,
    callbacks: {
      onEpochBegin: async (epoch) => {
        // Draw ROC every a few epochs.
        if ((epoch + 1) % 100 === 0 || epoch === 0 || epoch === 2 ||
            epoch === 4) {
          const probs = model.predict(testData.data);
          auc = drawROC(testData.target, probs, epoch);
        }
      },
      onEpochEnd: async (epoch, logs) => {
        await ui.updateStatus(`Epoch ${epoch + 1} of ${epochs} completed.`);
        trainLogs.push(logs);
        ui.plotLosses(trainLogs);
        ui.plotAccuracies(trainLogs);
      }
    }
  });

  await ui.updateStatus('Running on test data...');
  tf.tidy(() => {
    const result =
        model.evaluate(testData.data, testData.target, {batchSize: batchSize});

    const lastTrainLog = trainLogs[trainLogs.length - 1];
    const testLoss = result[0].dataSync()[0];
    const testAcc = result[1].dataSync()[0];

    const probs = model.predict(testData.data);
    const predictions = utils.binarize(probs).as1D();

    const precision =
        tf.metrics.precision(testData.target, predictions).dataSync()[0];
    const recall =
        tf.metrics.recall(testData.target, predictions).dataSync()[0];
    const fpr = falsePositiveRate(testData.target, predictions).dataSync()[0];
    ui.updateStatus(
        `Final train-set loss: ${lastTrainLog.loss.toFixed(4)} accuracy: ${
            lastTrainLog.acc.toFixed(4)}\n` +
        `Final validation-set loss: ${
            lastTrainLog.val_loss.toFixed(
                4)} accuracy: ${lastTrainLog.val_acc.toFixed(4)}\n` +
        `Test-set loss: ${testLoss.toFixed(4)} accuracy: ${
            testAcc.toFixed(4)}\n` +
        `Precision: ${precision.toFixed(4)}\n` +
        `Recall: ${recall.toFixed(4)}\n` +
        `False positive rate (FPR): ${fpr.toFixed(4)}\n` +
        `Area under the curve (AUC): ${auc.toFixed(4)}`);
  });
});

// ---- [corpus] result: the numbers of the final status ----
const corpusValue = (label) => Number(corpusFinal.match(new RegExp(`${label}[^\\d]*([\\d.]+)`))[1]);
console.log(JSON.stringify({
  trainLoss: corpusValue('Final train-set loss'),
  testLoss: corpusValue('Test-set loss'),
  testAccuracy: corpusValue('Test-set loss: [\\d.]+ accuracy'),
  precision: corpusValue('Precision'),
  recall: corpusValue('Recall'),
  auc: corpusValue('AUC\\)'),
}));
