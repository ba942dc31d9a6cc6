// Corpus program: iris-fitDataset (the Iris classifier trained from tf.data datasets: tf.data.array,
// tf.data.zip, batch, toArray, model.fitDataset with a validation Dataset and callbacks).
// Source: tensorflow/tfjs-examples@0521725666e4504948eed00fe372b92510cc74f9, iris-fitDataset/data.js
//   (the data set itself is in it) and iris-fitDataset/index.js.
// Changes: the page, ui.js, loader.js (hosted and browser-storage models) and tfjs-vis are stand-ins;
// the modules are joined into one cell; after iris() has set the page up, the cell presses its
// "train from scratch" button; the result is printed as JSON.
import * as tf from '@tensorflow/tfjs';

// ---- [corpus] stand-ins for the page, ui.js, loader.js and tfjs-vis ----
const corpusPage = {
  values: { 'train-epochs': String(40 * Number(process.env.CORPUS_SCALE ?? 1)), 'learning-rate': '0.01', 'petal-length': '5.1', 'petal-width': '3.5', 'sepal-length': '1.4', 'sepal-width': '0.2' },
  clicks: {},
  logs: [],
  evaluated: undefined,
  winner: undefined,
};
const document = {
  getElementById(id) {
    return {
      value: corpusPage.values[id],
      addEventListener(type, handler) { corpusPage.clicks[id] = handler; },
    };
  },
};
const ui = {
  status() {},
  loadTrainParametersFromUI: () => ({
    epochs: Number(document.getElementById('train-epochs').value),
    learningRate: Number(document.getElementById('learning-rate').value),
  }),
  clearEvaluateTable() {},
  renderEvaluateTable(xData, yTrue, yPred, logits) { corpusPage.evaluated = { yTrue: Array.from(yTrue), yPred: Array.from(yPred) }; },
  getManualInputData: () => ['petal-length', 'petal-width', 'sepal-length', 'sepal-width'].map((id) => Number(document.getElementById(id).value)),
  setManualInputWinnerMessage(message) { corpusPage.winner = message; },
  renderLogitsForManualInput() {},
  wireUpEvaluateTableCallbacks() {},
};
const loader = {
  urlExists: async () => false,
  updateLocalModelStatus: async () => {},
};
const tfvis = {
  show: { history(container, logs) { corpusPage.logs = logs.slice(); } },
  metrics: { confusionMatrix: async () => [] },
  render: { confusionMatrix() {} },
};

// ---- iris-fitDataset/data.js (tfjs-examples; imports/exports dropped) ----
const data = (() => {
  const IRIS_CLASSES =
      ['Iris-setosa', 'Iris-versicolor', 'Iris-virginica'];
  const IRIS_NUM_CLASSES = IRIS_CLASSES.length;
  const IRIS_NUM_FEATURES = 4;

  // Iris flowers data. Source:
  //   https://archive.ics.uci.edu/ml/machine-learning-databases/iris/iris.data
  const IRIS_RAW_DATA = [
    [5.1, 3.5, 1.4, 0.2, 0], [4.9, 3.0, 1.4, 0.2, 0], [4.7, 3.2, 1.3, 0.2, 0],
    [4.6, 3.1, 1.5, 0.2, 0], [5.0, 3.6, 1.4, 0.2, 0], [5.4, 3.9, 1.7, 0.4, 0],
    [4.6, 3.4, 1.4, 0.3, 0], [5.0, 3.4, 1.5, 0.2, 0], [4.4, 2.9, 1.4, 0.2, 0],
    [4.9, 3.1, 1.5, 0.1, 0], [5.4, 3.7, 1.5, 0.2, 0], [4.8, 3.4, 1.6, 0.2, 0],
    [4.8, 3.0, 1.4, 0.1, 0], [4.3, 3.0, 1.1, 0.1, 0], [5.8, 4.0, 1.2, 0.2, 0],
    [5.7, 4.4, 1.5, 0.4, 0], [5.4, 3.9, 1.3, 0.4, 0], [5.1, 3.5, 1.4, 0.3, 0],
    [5.7, 3.8, 1.7, 0.3, 0], [5.1, 3.8, 1.5, 0.3, 0], [5.4, 3.4, 1.7, 0.2, 0],
    [5.1, 3.7, 1.5, 0.4, 0], [4.6, 3.6, 1.0, 0.2, 0], [5.1, 3.3, 1.7, 0.5, 0],
    [4.8, 3.4, 1.9, 0.2, 0], [5.0, 3.0, 1.6, 0.2, 0], [5.0, 3.4, 1.6, 0.4, 0],
    [5.2, 3.5, 1.5, 0.2, 0], [5.2, 3.4, 1.4, 0.2, 0], [4.7, 3.2, 1.6, 0.2, 0],
    [4.8, 3.1, 1.6, 0.2, 0], [5.4, 3.4, 1.5, 0.4, 0], [5.2, 4.1, 1.5, 0.1, 0],
    [5.5, 4.2, 1.4, 0.2, 0], [4.9, 3.1, 1.5, 0.1, 0], [5.0, 3.2, 1.2, 0.2, 0],
    [5.5, 3.5, 1.3, 0.2, 0], [4.9, 3.1, 1.5, 0.1, 0], [4.4, 3.0, 1.3, 0.2, 0],
    [5.1, 3.4, 1.5, 0.2, 0], [5.0, 3.5, 1.3, 0.3, 0], [4.5, 2.3, 1.3, 0.3, 0],
    [4.4, 3.2, 1.3, 0.2, 0], [5.0, 3.5, 1.6, 0.6, 0], [5.1, 3.8, 1.9, 0.4, 0],
    [4.8, 3.0, 1.4, 0.3, 0], [5.1, 3.8, 1.6, 0.2, 0], [4.6, 3.2, 1.4, 0.2, 0],
    [5.3, 3.7, 1.5, 0.2, 0], [5.0, 3.3, 1.4, 0.2, 0], [7.0, 3.2, 4.7, 1.4, 1],
    [6.4, 3.2, 4.5, 1.5, 1], [6.9, 3.1, 4.9, 1.5, 1], [5.5, 2.3, 4.0, 1.3, 1],
    [6.5, 2.8, 4.6, 1.5, 1], [5.7, 2.8, 4.5, 1.3, 1], [6.3, 3.3, 4.7, 1.6, 1],
    [4.9, 2.4, 3.3, 1.0, 1], [6.6, 2.9, 4.6, 1.3, 1], [5.2, 2.7, 3.9, 1.4, 1],
    [5.0, 2.0, 3.5, 1.0, 1], [5.9, 3.0, 4.2, 1.5, 1], [6.0, 2.2, 4.0, 1.0, 1],
    [6.1, 2.9, 4.7, 1.4, 1], [5.6, 2.9, 3.6, 1.3, 1], [6.7, 3.1, 4.4, 1.4, 1],
    [5.6, 3.0, 4.5, 1.5, 1], [5.8, 2.7, 4.1, 1.0, 1], [6.2, 2.2, 4.5, 1.5, 1],
    [5.6, 2.5, 3.9, 1.1, 1], [5.9, 3.2, 4.8, 1.8, 1], [6.1, 2.8, 4.0, 1.3, 1],
    [6.3, 2.5, 4.9, 1.5, 1], [6.1, 2.8, 4.7, 1.2, 1], [6.4, 2.9, 4.3, 1.3, 1],
    [6.6, 3.0, 4.4, 1.4, 1], [6.8, 2.8, 4.8, 1.4, 1], [6.7, 3.0, 5.0, 1.7, 1],
    [6.0, 2.9, 4.5, 1.5, 1], [5.7, 2.6, 3.5, 1.0, 1], [5.5, 2.4, 3.8, 1.1, 1],
    [5.5, 2.4, 3.7, 1.0, 1], [5.8, 2.7, 3.9, 1.2, 1], [6.0, 2.7, 5.1, 1.6, 1],
    [5.4, 3.0, 4.5, 1.5, 1], [6.0, 3.4, 4.5, 1.6, 1], [6.7, 3.1, 4.7, 1.5, 1],
    [6.3, 2.3, 4.4, 1.3, 1], [5.6, 3.0, 4.1, 1.3, 1], [5.5, 2.5, 4.0, 1.3, 1],
    [5.5, 2.6, 4.4, 1.2, 1], [6.1, 3.0, 4.6, 1.4, 1], [5.8, 2.6, 4.0, 1.2, 1],
    [5.0, 2.3, 3.3, 1.0, 1], [5.6, 2.7, 4.2, 1.3, 1], [5.7, 3.0, 4.2, 1.2, 1],
    [5.7, 2.9, 4.2, 1.3, 1], [6.2, 2.9, 4.3, 1.3, 1], [5.1, 2.5, 3.0, 1.1, 1],
    [5.7, 2.8, 4.1, 1.3, 1], [6.3, 3.3, 6.0, 2.5, 2], [5.8, 2.7, 5.1, 1.9, 2],
    [7.1, 3.0, 5.9, 2.1, 2], [6.3, 2.9, 5.6, 1.8, 2], [6.5, 3.0, 5.8, 2.2, 2],
    [7.6, 3.0, 6.6, 2.1, 2], [4.9, 2.5, 4.5, 1.7, 2], [7.3, 2.9, 6.3, 1.8, 2],
    [6.7, 2.5, 5.8, 1.8, 2], [7.2, 3.6, 6.1, 2.5, 2], [6.5, 3.2, 5.1, 2.0, 2],
    [6.4, 2.7, 5.3, 1.9, 2], [6.8, 3.0, 5.5, 2.1, 2], [5.7, 2.5, 5.0, 2.0, 2],
    [5.8, 2.8, 5.1, 2.4, 2], [6.4, 3.2, 5.3, 2.3, 2], [6.5, 3.0, 5.5, 1.8, 2],
    [7.7, 3.8, 6.7, 2.2, 2], [7.7, 2.6, 6.9, 2.3, 2], [6.0, 2.2, 5.0, 1.5, 2],
    [6.9, 3.2, 5.7, 2.3, 2], [5.6, 2.8, 4.9, 2.0, 2], [7.7, 2.8, 6.7, 2.0, 2],
    [6.3, 2.7, 4.9, 1.8, 2], [6.7, 3.3, 5.7, 2.1, 2], [7.2, 3.2, 6.0, 1.8, 2],
    [6.2, 2.8, 4.8, 1.8, 2], [6.1, 3.0, 4.9, 1.8, 2], [6.4, 2.8, 5.6, 2.1, 2],
    [7.2, 3.0, 5.8, 1.6, 2], [7.4, 2.8, 6.1, 1.9, 2], [7.9, 3.8, 6.4, 2.0, 2],
    [6.4, 2.8, 5.6, 2.2, 2], [6.3, 2.8, 5.1, 1.5, 2], [6.1, 2.6, 5.6, 1.4, 2],
    [7.7, 3.0, 6.1, 2.3, 2], [6.3, 3.4, 5.6, 2.4, 2], [6.4, 3.1, 5.5, 1.8, 2],
    [6.0, 3.0, 4.8, 1.8, 2], [6.9, 3.1, 5.4, 2.1, 2], [6.7, 3.1, 5.6, 2.4, 2],
    [6.9, 3.1, 5.1, 2.3, 2], [5.8, 2.7, 5.1, 1.9, 2], [6.8, 3.2, 5.9, 2.3, 2],
    [6.7, 3.3, 5.7, 2.5, 2], [6.7, 3.0, 5.2, 2.3, 2], [6.3, 2.5, 5.0, 1.9, 2],
    [6.5, 3.0, 5.2, 2.0, 2], [6.2, 3.4, 5.4, 2.3, 2], [5.9, 3.0, 5.1, 1.8, 2],
  ];

  /**
   * Converts an integer into its one-hot representation and returns
   * the data as a JS Array.
   */
  function flatOneHot(idx) {
    // TODO(bileschi): Remove 'Array.from' from here once tf.data supports typed
    // arrays https://github.com/tensorflow/tfjs/issues/1041
    // TODO(bileschi): Remove '.dataSync()' from here once tf.data supports
    // datasets built from tensors.
    // https://github.com/tensorflow/tfjs/issues/1046
    return Array.from(tf.oneHot([idx], 3).dataSync());
  }

  /**
   * Obtains Iris data, split into training and test sets and with the label
   * converted into one-hot format.
   *
   * @param testSplit Fraction of the data at the end to split as test data: a
   *   number between 0 and 1.
   *
   * @param returns A list of two datasets, [trainingData, testingData].
   *   The datasets represent a shuffled partition of the raw IRIS data.
   *   Elements of the yielded data will consist of [Features, Labels].
   *   - Features as a rank-1 `Tensor` of length-4 of numbers.
   *   - Labels as a rank-1 `Tensor` in one-hot format.
   */
  async function getIrisData(testSplit) {
    // TODO(bileschi): Update shuffle etc. to use the tf.data API calls once
    // it is possible to cache the results for performance and train-test split
    // stability across epochs.  Once caching is available, perform batching first
    // and then map the preprocessing functions across the batches.
    // https://github.com/tensorflow/tfjs/issues/1025

    // Shuffle a copy of the raw data.
    const shuffled = IRIS_RAW_DATA.slice();
    tf.util.shuffle(shuffled);
    // Split the data into training and testing portions.
    const numTestExamples = Math.round(IRIS_RAW_DATA.length * testSplit);
    const numTrainExamples = IRIS_RAW_DATA.length - numTestExamples;
    const train = shuffled.slice(0, numTrainExamples);
    const test = shuffled.slice(numTrainExamples);
    // Split the data into into X & y and apply feature mapping transformations
    const trainX = tf.data.array(train.map(r => r.slice(0, 4)));
    const testX = tf.data.array(test.map(r => r.slice(0, 4)));
    // TODO(we should be able to just directly use tensors built from oneHot here
    // instead of converting to tensor and back using datasync & Array.from.
    // This causes an internal disposal error however.
    // See https://github.com/tensorflow/tfjs/issues/1071
    //
    // const trainY = tf.data.array(train.map(r => tf.oneHot([r[4]], 3)));
    // const testY = tf.data.array(test.map(r => tf.oneHot([r[4]], 3)));
    const trainY = tf.data.array(train.map(r => flatOneHot(r[4])));
    const testY = tf.data.array(test.map(r => flatOneHot(r[4])));
    // Recombine the X and y portions of the data.
    const trainDataset = tf.data.zip({xs: trainX, ys: trainY});
    const testDataset = tf.data.zip({xs: testX, ys: testY});
    return [trainDataset, testDataset];
  }
  return { IRIS_CLASSES, IRIS_NUM_CLASSES, IRIS_NUM_FEATURES, IRIS_RAW_DATA, flatOneHot, getIrisData };
})();

// ---- iris-fitDataset/index.js (unchanged but the last call) ----
let model;
const BATCH_SIZE = 32;

/**
 * Train a `tf.Model` to recognize Iris flower type.
 *
 * @param trainDataset A tf.Dataset object yielding features and targets. The
 *   features must be of shape [numTrainExamples, 4], while the targets must be
 *   [numTrainExamples, 3]. The four feature dimensions include the
 *   petal_length, petal_width, sepal_length and sepal_width.  The target is
 *   one-hot encoded labels of the three iris categories.
 * @param validataionDataset A tf.Dataset of the same format as the trainDataset
 *   for use in validation.
 * @returns The trained `tf.Model` instance.
 */
async function trainModel(trainDataset, validationDataset) {
  ui.status('Training model... Please wait.');

  const params = ui.loadTrainParametersFromUI();

  // Define the topology of the model: two dense layers.
  const model = tf.sequential();
  model.add(tf.layers.dense({
    units: 10,
    activation: 'sigmoid',
    inputShape: [data.IRIS_NUM_FEATURES]
  }));
  model.add(tf.layers.dense({units: 3, activation: 'softmax'}));
  model.summary();

  const optimizer = tf.train.adam(params.learningRate);
  model.compile({
    optimizer: optimizer,
    loss: 'categoricalCrossentropy',
    metrics: ['accuracy'],
  });

  const trainLogs = [];
  const lossContainer = document.getElementById('lossCanvas');
  const accContainer = document.getElementById('accuracyCanvas');
  const beginMs = performance.now();
  // Call `model.fit` to train the model.
  await model.fitDataset(trainDataset, {
    epochs: params.epochs,
    validationData: validationDataset,
    callbacks: {
      onEpochEnd: async (epoch, logs) => {
        // Plot the loss and accuracy values at the end of every training epoch.
        const secPerEpoch =
            (performance.now() - beginMs) / (1000 * (epoch + 1));
        ui.status(
            `Training model... Approximately ` +
            `${secPerEpoch.toFixed(4)} seconds per epoch`);
        trainLogs.push(logs);
        tfvis.show.history(lossContainer, trainLogs, ['loss', 'val_loss'])
        tfvis.show.history(accContainer, trainLogs, ['acc', 'val_acc'])
        const [{xs: xTest, ys: yTest}] = await validationDataset.toArray();
        calculateAndDrawConfusionMatrix(model, xTest, yTest);
      },
    }
  });

  const secPerEpoch = (performance.now() - beginMs) / (1000 * params.epochs);
  ui.status(
      `Model training complete:  ${secPerEpoch.toFixed(4)} seconds per epoch`);
  return model;
}

/**
 * Run inference on manually-input Iris flower data.
 *
 * @param model The instance of `tf.Model` to run the inference with.
 */
async function predictOnManualInput(model) {
  if (model == null) {
    ui.setManualInputWinnerMessage('ERROR: Please load or train model first.');
    return;
  }

  // Use a `tf.tidy` scope to make sure that WebGL memory allocated for the
  // `predict` call is released at the end.
  tf.tidy(() => {
    // Prepare input data as a 2D `tf.Tensor`.
    const inputData = ui.getManualInputData();
    const input = tf.tensor2d([inputData], [1, 4]);

    // Call `model.predict` to get the prediction output as probabilities for
    // the Iris flower categories.

    const predictOut = model.predict(input);
    const logits = Array.from(predictOut.dataSync());
    const winner = data.IRIS_CLASSES[predictOut.argMax(-1).dataSync()[0]];
    ui.setManualInputWinnerMessage(winner);
    ui.renderLogitsForManualInput(logits);
  });
}

/**
 * Draw confusion matrix.
 */
async function calculateAndDrawConfusionMatrix(model, xTest, yTest) {
  const [preds, labels] = tf.tidy(() => {
    const preds = model.predict(xTest).argMax(-1);
    const labels = yTest.argMax(-1);
    return [preds, labels];
  });

  const confMatrixData = await tfvis.metrics.confusionMatrix(labels, preds);
  const container = document.getElementById('confusion-matrix');
  tfvis.render.confusionMatrix(
      container, {values: confMatrixData, labels: data.IRIS_CLASSES},
      {shadeDiagonal: true},
  );

  tf.dispose([preds, labels]);
}

/**
 * Run inference on some test Iris flower data.
 *
 * @param model The instance of `tf.Model` to run the inference with.
 * @param testDataset A tf.Dataset object yielding features and targets. The
 *   features must be of shape [numTrainExamples, 4], while the targets must be
 *   [numTrainExamples, 3]. The four feature dimensions include the
 *   petal_length, petal_width, sepal_length and sepal_width.  The target is
 *   one-hot encoded labels of the three iris categories.
 */
async function evaluateModelOnTestData(model, testDataset) {
  ui.clearEvaluateTable();
  const [{xs: xTest, ys: yTest}] = await testDataset.toArray();
  const xData = xTest.dataSync();
  const yTrue = yTest.argMax(-1).dataSync();
  const predictOut = model.predict(xTest);
  const yPred = predictOut.argMax(-1);
  ui.renderEvaluateTable(xData, yTrue, yPred.dataSync(), predictOut.dataSync());
  calculateAndDrawConfusionMatrix(model, xTest, yTest);
  predictOnManualInput(model);
}

const HOSTED_MODEL_JSON_URL =
    'https://storage.googleapis.com/tfjs-models/tfjs/iris_v1/model.json';

/**
 * The main function of the Iris demo.
 */
async function iris() {
  const testFraction = 0.15;
  let [trainDataset, testDataset] = await data.getIrisData(testFraction);
  // Batch datasets.
  trainDataset = trainDataset.batch(BATCH_SIZE);
  testDataset = testDataset.batch(BATCH_SIZE);

  const localLoadButton = document.getElementById('load-local');
  const localSaveButton = document.getElementById('save-local');
  const localRemoveButton = document.getElementById('remove-local');


  document.getElementById('train-from-scratch')
      .addEventListener('click', async () => {
        model = await trainModel(trainDataset, testDataset);
        await evaluateModelOnTestData(model, testDataset);
        localSaveButton.disabled = false;
      });

  if (await loader.urlExists(HOSTED_MODEL_JSON_URL)) {
    ui.status('Model available: ' + HOSTED_MODEL_JSON_URL);
    const button = document.getElementById('load-pretrained-remote');
    button.addEventListener('click', async () => {
      ui.clearEvaluateTable();
      model = await loader.loadHostedPretrainedModel(HOSTED_MODEL_JSON_URL);
      await predictOnManualInput(model);
      localSaveButton.disabled = false;
    });
  }

  localLoadButton.addEventListener('click', async () => {
    model = await loader.loadModelLocally();
    await predictOnManualInput(model);
  });

  localSaveButton.addEventListener('click', async () => {
    await loader.saveModelLocally(model);
    await loader.updateLocalModelStatus();
  });

  localRemoveButton.addEventListener('click', async () => {
    await loader.removeModelLocally();
    await loader.updateLocalModelStatus();
  });

  await loader.updateLocalModelStatus();

  ui.status('Standing by.');
  ui.wireUpEvaluateTableCallbacks(() => predictOnManualInput(model));
}

await iris(); // [corpus] awaited

await corpusPage.clicks['train-from-scratch'](); // [corpus] the user presses "Train model from scratch"

// ---- [corpus] result ----
const corpusLast = corpusPage.logs[corpusPage.logs.length - 1];
const corpusRight = corpusPage.evaluated.yTrue.filter((y, i) => y === corpusPage.evaluated.yPred[i]).length;
console.log(JSON.stringify({
  epochs: corpusPage.logs.length,
  firstLoss: corpusPage.logs[0].loss,
  lastLoss: corpusLast.loss,
  lastValAcc: corpusLast.val_acc,
  testAccuracy: corpusRight / corpusPage.evaluated.yTrue.length,
  manualInputWinner: corpusPage.winner,
}));
