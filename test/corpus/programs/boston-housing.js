// Corpus program: boston-housing (linear regression and two MLPs on 12 features: normalisation,
// fit with validationSplit and onEpochEnd, evaluate, reading a layer's kernel).
// Source: tensorflow/tfjs-examples@0521725666e4504948eed00fe372b92510cc74f9, boston-housing/data.js,
//   normalization.js and index.js.
// Changes: loadCsv (which downloads the CSV files with papaparse) gives seeded synthetic rows of the
// same shapes and ranges; the page, ui.js and tfjs-vis are stand-ins; the cell fires the page's
// DOMContentLoaded and then runs the three models as ui.js's buttons do; the result is printed as JSON.
import * as tf from '@tensorflow/tfjs';

// ---- [corpus] stand-ins: the CSV downloads, the page, ui.js, tfjs-vis ----
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

const corpusRows = { train: 333, test: 173 };
const corpusScales = [3.6, 11, 11, 0.07, 0.55, 6.3, 68, 3.8, 9.5, 408, 18.5, 12.6];
function corpusHousing(n, seed) {
  const rand = corpusRandom(seed);
  const features = [];
  const target = [];
  for (let i = 0; i < n; i++) {
    const z = corpusScales.map(() => rand() * 2 - 1);
    features.push(z.map((v, j) => corpusScales[j] * (1 + 0.9 * v)));
    const price = 22 + 6 * z[5] - 4 * z[11] - 3 * z[0] + 2 * z[1] - 2 * z[9] + 1.5 * z[5] * z[5] + (rand() - 0.5) * 3;
    target.push([Math.max(5, price)]);
  }
  return { features, target };
}
const corpusCsv = { 'train-data.csv': corpusHousing(corpusRows.train, 11).features, 'train-target.csv': corpusHousing(corpusRows.train, 11).target, 'test-data.csv': corpusHousing(corpusRows.test, 12).features, 'test-target.csv': corpusHousing(corpusRows.test, 12).target };
const loadCsv = async (filename) => corpusCsv[filename].map((row) => row.slice());

const corpusStatus = {};
let corpusOnLoad;
const document = {
  querySelector: () => ({}),
  addEventListener(type, handler) { if (type === 'DOMContentLoaded') corpusOnLoad = handler; },
};
const ui = {
  updateStatus() {},
  updateBaselineStatus(message) { corpusStatus.baseline = message; },
  async updateModelStatus(message, modelName) { corpusStatus[modelName] = message; },
  updateWeightDescription() {},
  async setup() {},
};
const tfvis = { show: { history() {} } };

// ---- boston-housing/data.js (tfjs-examples; imports/exports dropped) ----


// Boston Housing data constants:
const BASE_URL =
    'https://storage.googleapis.com/tfjs-examples/multivariate-linear-regression/data/';

const TRAIN_FEATURES_FN = 'train-data.csv';
const TRAIN_TARGET_FN = 'train-target.csv';
const TEST_FEATURES_FN = 'test-data.csv';
const TEST_TARGET_FN = 'test-target.csv';

// [corpus] parseCsv and loadCsv (downloads of the CSV files) are stand-ins, above.

/** Helper class to handle loading training and test data. */
class BostonHousingDataset {
  constructor() {
    // Arrays to hold the data.
    this.trainFeatures = null;
    this.trainTarget = null;
    this.testFeatures = null;
    this.testTarget = null;
  }

  get numFeatures() {
    // If numFeatures is accessed before the data is loaded, raise an error.
    if (this.trainFeatures == null) {
      throw new Error('\'loadData()\' must be called before numFeatures')
    }
    return this.trainFeatures[0].length;
  }

  /** Loads training and test data. */
  async loadData() {
    [this.trainFeatures, this.trainTarget, this.testFeatures, this.testTarget] =
        await Promise.all([
          loadCsv(TRAIN_FEATURES_FN), loadCsv(TRAIN_TARGET_FN),
          loadCsv(TEST_FEATURES_FN), loadCsv(TEST_TARGET_FN)
        ]);

    shuffle(this.trainFeatures, this.trainTarget);
    shuffle(this.testFeatures, this.testTarget);
  }
}

const featureDescriptions = [
  'Crime rate', 'Land zone size', 'Industrial proportion', 'Next to river',
  'Nitric oxide concentration', 'Number of rooms per house', 'Age of housing',
  'Distance to commute', 'Distance to highway', 'Tax rate', 'School class size',
  'School drop-out rate'
];

/**
 * Shuffles data and target (maintaining alignment) using Fisher-Yates
 * algorithm.flab
 */
function shuffle(data, target) {
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
    // target:
    temp = target[counter];
    target[counter] = target[index];
    target[index] = temp;
  }
};
// ---- boston-housing/normalization.js (tfjs-examples; imports/exports dropped) ----
const normalization = (() => {
  /**
   * Calculates the mean and standard deviation of each column of a data array.
   *
   * @param {Tensor2d} data Dataset from which to calculate the mean and
   *                        std of each column independently.
   *
   * @returns {Object} Contains the mean and standard deviation of each vector
   *                   column as 1d tensors.
   */
  function determineMeanAndStddev(data) {
    const dataMean = data.mean(0);
    // TODO(bileschi): Simplify when and if tf.var / tf.std added to the API.
    const diffFromMean = data.sub(dataMean);
    const squaredDiffFromMean = diffFromMean.square();
    const variance = squaredDiffFromMean.mean(0);
    const dataStd = variance.sqrt();
    return {dataMean, dataStd};
  }

  /**
   * Given expected mean and standard deviation, normalizes a dataset by
   * subtracting the mean and dividing by the standard deviation.
   *
   * @param {Tensor2d} data: Data to normalize. Shape: [batch, numFeatures].
   * @param {Tensor1d} dataMean: Expected mean of the data. Shape [numFeatures].
   * @param {Tensor1d} dataStd: Expected std of the data. Shape [numFeatures]
   *
   * @returns {Tensor2d}: Tensor the same shape as data, but each column
   * normalized to have zero mean and unit standard deviation.
   */
  function normalizeTensor(data, dataMean, dataStd) {
    return data.sub(dataMean).div(dataStd);
  }
  return { determineMeanAndStddev, normalizeTensor };
})();

// ---- boston-housing/index.js (unchanged) ----
// Some hyperparameters for model training.
const NUM_EPOCHS = 200;
const BATCH_SIZE = 40;
const LEARNING_RATE = 0.01;

const bostonData = new BostonHousingDataset();
const tensors = {};

// Convert loaded data into tensors and creates normalized versions of the
// features.
function arraysToTensors() {
  tensors.rawTrainFeatures = tf.tensor2d(bostonData.trainFeatures);
  tensors.trainTarget = tf.tensor2d(bostonData.trainTarget);
  tensors.rawTestFeatures = tf.tensor2d(bostonData.testFeatures);
  tensors.testTarget = tf.tensor2d(bostonData.testTarget);
  // Normalize mean and standard deviation of data.
  let {dataMean, dataStd} =
      normalization.determineMeanAndStddev(tensors.rawTrainFeatures);

  tensors.trainFeatures = normalization.normalizeTensor(
      tensors.rawTrainFeatures, dataMean, dataStd);
  tensors.testFeatures =
      normalization.normalizeTensor(tensors.rawTestFeatures, dataMean, dataStd);
};

/**
 * Builds and returns Linear Regression Model.
 *
 * @returns {tf.Sequential} The linear regression model.
 */
function linearRegressionModel() {
  const model = tf.sequential();
  model.add(tf.layers.dense({inputShape: [bostonData.numFeatures], units: 1}));

  model.summary();
  return model;
};

/**
 * Builds and returns Multi Layer Perceptron Regression Model
 * with 1 hidden layer, each with 10 units activated by sigmoid.
 *
 * @returns {tf.Sequential} The multi layer perceptron regression model.
 */
function multiLayerPerceptronRegressionModel1Hidden() {
  const model = tf.sequential();
  model.add(tf.layers.dense({
    inputShape: [bostonData.numFeatures],
    units: 50,
    activation: 'sigmoid',
    kernelInitializer: 'leCunNormal'
  }));
  model.add(tf.layers.dense({units: 1}));

  model.summary();
  return model;
};

/**
 * Builds and returns Multi Layer Perceptron Regression Model
 * with 2 hidden layers, each with 10 units activated by sigmoid.
 *
 * @returns {tf.Sequential} The multi layer perceptron regression model.
 */
function multiLayerPerceptronRegressionModel2Hidden() {
  const model = tf.sequential();
  model.add(tf.layers.dense({
    inputShape: [bostonData.numFeatures],
    units: 50,
    activation: 'sigmoid',
    kernelInitializer: 'leCunNormal'
  }));
  model.add(tf.layers.dense(
      {units: 50, activation: 'sigmoid', kernelInitializer: 'leCunNormal'}));
  model.add(tf.layers.dense({units: 1}));

  model.summary();
  return model;
};


/**
 * Describe the current linear weights for a human to read.
 *
 * @param {Array} kernel Array of floats of length 12.  One value per feature.
 * @returns {List} List of objects, each with a string feature name, and value
 *     feature weight.
 */
function describeKernelElements(kernel) {
  tf.util.assert(
      kernel.length == 12,
      `kernel must be a array of length 12, got ${kernel.length}`);
  const outList = [];
  for (let idx = 0; idx < kernel.length; idx++) {
    outList.push({description: featureDescriptions[idx], value: kernel[idx]});
  }
  return outList;
}

/**
 * Compiles `model` and trains it using the train data and runs model against
 * test data. Issues a callback to update the UI after each epoch.
 *
 * @param {tf.Sequential} model Model to be trained.
 * @param {boolean} weightsIllustration Whether to print info about the learned
 *  weights.
 */
async function run(model, modelName, weightsIllustration) {
  model.compile(
      {optimizer: tf.train.sgd(LEARNING_RATE), loss: 'meanSquaredError'});

  let trainLogs = [];
  const container = document.querySelector(`#${modelName} .chart`);

  ui.updateStatus('Starting training process...');
  await model.fit(tensors.trainFeatures, tensors.trainTarget, {
    batchSize: BATCH_SIZE,
    epochs: NUM_EPOCHS,
    validationSplit: 0.2,
    callbacks: {
      onEpochEnd: async (epoch, logs) => {
        await ui.updateModelStatus(
            `Epoch ${epoch + 1} of ${NUM_EPOCHS} completed.`, modelName);
        trainLogs.push(logs);
        tfvis.show.history(container, trainLogs, ['loss', 'val_loss'])

        if (weightsIllustration) {
          model.layers[0].getWeights()[0].data().then(kernelAsArr => {
            const weightsList = describeKernelElements(kernelAsArr);
            ui.updateWeightDescription(weightsList);
          });
        }
      }
    }
  });

  ui.updateStatus('Running on test data...');
  const result = model.evaluate(
      tensors.testFeatures, tensors.testTarget, {batchSize: BATCH_SIZE});
  const testLoss = result.dataSync()[0];

  const trainLoss = trainLogs[trainLogs.length - 1].loss;
  const valLoss = trainLogs[trainLogs.length - 1].val_loss;
  await ui.updateModelStatus(
      `Final train-set loss: ${trainLoss.toFixed(4)}\n` +
          `Final validation-set loss: ${valLoss.toFixed(4)}\n` +
          `Test-set loss: ${testLoss.toFixed(4)}`,
      modelName);
};

function computeBaseline() {
  const avgPrice = tensors.trainTarget.mean();
  console.log(`Average price: ${avgPrice.dataSync()}`);
  const baseline = tensors.testTarget.sub(avgPrice).square().mean();
  console.log(`Baseline loss: ${baseline.dataSync()}`);
  const baselineMsg = `Baseline loss (meanSquaredError) is ${
      baseline.dataSync()[0].toFixed(2)}`;
  ui.updateBaselineStatus(baselineMsg);
};

document.addEventListener('DOMContentLoaded', async () => {
  await bostonData.loadData();
  ui.updateStatus('Data loaded, converting to tensors');
  arraysToTensors();
  ui.updateStatus(
      'Data is now available as tensors.\n' +
      'Click a train button to begin.');
  // TODO Explain what baseline loss is. How it is being computed in this
  // Instance
  ui.updateBaselineStatus('Estimating baseline loss');
  computeBaseline();
  await ui.setup();
}, false);

// ---- [corpus] the page loads, then the three "Train" buttons are pressed (as ui.js's setup wires them) ----
await corpusOnLoad();
await run(linearRegressionModel(), 'linear', true);
await run(multiLayerPerceptronRegressionModel1Hidden(), 'oneHidden', false);
await run(multiLayerPerceptronRegressionModel2Hidden(), 'twoHidden', false);

// ---- [corpus] result: the losses each model reported ----
const corpusNumbers = (text) => (text.match(/[\d.]+(?=\s*$|\n)/gm) ?? []).map(Number);
const corpusBaseline = Number(corpusStatus.baseline.match(/is ([\d.]+)/)[1]);
const corpusResult = { baseline: corpusBaseline };
for (const name of ['linear', 'oneHidden', 'twoHidden']) {
  const [train, val, test] = corpusNumbers(corpusStatus[name]);
  corpusResult[name] = { train, val, test };
}
console.log(JSON.stringify(corpusResult));
