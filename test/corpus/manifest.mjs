/**
 * The corpus: real TF.js programs (tensorflow/tfjs-examples), each adapted into one notebook cell
 * with its model, training and API code unchanged (only downloads, files, the DOM and UI libraries
 * are stand-ins, seeded where they make data). Each program prints one JSON line of results;
 * `agree(deepts, tfjs)` lists the ways deepts's run disagrees with TF.js's (none when they agree).
 *
 * `small` lists text substitutions of size constants (steps, epochs, data counts, layer widths)
 * that the fast test suite applies to both runs (TF.js's plain-JavaScript cpu backend is slow at
 * convolutions); `node bench/corpus.js` runs the programs as they are.
 *
 * A program that cannot run yet because an API of issue 12 is still being added elsewhere names
 * it under `pending`: its deepts run must then fail with that error (so the corpus says exactly
 * what is missing), and the test says when it passes so that the mark goes.
 */

export const EXAMPLES_REPO = "tensorflow/tfjs-examples";
export const EXAMPLES_COMMIT = "0521725666e4504948eed00fe372b92510cc74f9";

/** `a` is at most `factor` times `b` (plus `slack`): for losses whose random start differs. */
function notWorse(problems, what, a, b, factor, slack = 0) {
  if (!(a <= b * factor + slack)) problems.push(`${what}: deepts ${a} vs TF.js ${b} (allowed ≤ ${factor}× + ${slack})`);
}

/** The loss fell to at most `fraction` of where it started. */
function fell(problems, who, first, last, fraction) {
  if (!(last <= first * fraction)) problems.push(`${who}: loss ${first} → ${last} did not fall below ${fraction}×`);
}

function equal(problems, what, a, b) {
  if (JSON.stringify(a) !== JSON.stringify(b))
    problems.push(`${what}: deepts ${JSON.stringify(a)} vs TF.js ${JSON.stringify(b)}`);
}

function near(problems, what, a, b, tolerance) {
  if (!(Math.abs(a - b) <= tolerance)) problems.push(`${what}: deepts ${a} vs TF.js ${b} (tolerance ${tolerance})`);
}

function atLeast(problems, what, value, min) {
  if (!(value >= min)) problems.push(`${what}: ${value} < ${min}`);
}

/**
 * @typedef {{
 *   name: string, file: string, sources: string[], covers: string[],
 *   typescript?: boolean,
 *   small?: [string, string][],
 *   pending?: { api: string, error: RegExp },
 *   slowReference?: string,
 *   agree(deepts: any, tfjs: any): string[],
 * }} CorpusProgram
 */

/** @type {CorpusProgram[]} */
export const programs = [
  {
    name: "getting-started",
    file: "getting-started.js",
    sources: ["getting-started/index.js"],
    covers: ["sequential", "fit", "predict"],
    agree(k, r) {
      const p = [];
      near(p, "prediction for x = 20 (true 39)", k.prediction, r.prediction, 2.5);
      near(p, "deepts prediction vs 39", k.prediction, 39, 3);
      return p;
    },
  },
  {
    name: "polynomial-regression",
    file: "polynomial-regression.js",
    sources: ["polynomial-regression/index.js"],
    covers: ["functional model (tf.input, tf.model)", "apply", "trainableWeights", "fit", "predict"],
    agree(k, r) {
      const p = [];
      equal(p, "points drawn", k.points, r.points);
      // Zero-initialised weights and full-batch SGD: the same numbers up to float rounding.
      near(p, "RMSE of the fitted curve", k.rmse, r.rmse, 1e-3 * r.rmse + 1e-4);
      return p;
    },
  },
  {
    name: "polynomial-regression-core",
    file: "polynomial-regression-core.js",
    sources: ["polynomial-regression-core/data.js", "polynomial-regression-core/index.js"],
    covers: ["tf.variable", "optimizer.minimize", "tf.tidy", "chained ops", "tf.nextFrame"],
    agree(k, r) {
      const p = [];
      fell(p, "deepts", k.mseBefore, k.mseAfter, 0.5);
      fell(p, "TF.js", r.mseBefore, r.mseAfter, 0.5);
      notWorse(p, "MSE after training", k.mseAfter, r.mseAfter, 3, 0.01);
      return p;
    },
  },
  {
    name: "iris",
    file: "iris.js",
    sources: ["iris/data.js", "iris/index.js"],
    covers: ["sequential", "fit with validationData and callbacks", "predict", "tf.util.shuffle", "oneHot"],
    agree(k, r) {
      const p = [];
      equal(p, "epochs", k.epochs, r.epochs);
      fell(p, "deepts", k.firstLoss, k.lastLoss, 0.6);
      notWorse(p, "final loss", k.lastLoss, r.lastLoss, 2, 0.1);
      atLeast(p, "deepts test accuracy", k.testAccuracy, r.testAccuracy - 0.2);
      return p;
    },
  },
  {
    name: "mnist-core",
    file: "mnist-core.js",
    sources: ["mnist-core/data.js", "mnist-core/model.js", "mnist-core/index.js"],
    covers: ["tf.variable weights", "conv2d/maxPool chained ops", "as4D/as2D", "optimizer.minimize", "custom loop"],
    small: [
      // 20 steps of 8 left the last batch's loss noise (TF.js's too); deepts at 40×16: 2.20 → 0.34.
      ["const TRAIN_STEPS = 100;", "const TRAIN_STEPS = 40;"],
      ["const BATCH_SIZE = 64;", "const BATCH_SIZE = 16;"],
    ],
    // The last loss is one batch of 16 after a random start (not seeded alike on both sides). Over
    // 10 deepts runs it ended at 0.009–0.85 (0.37× its start at worst) with test accuracy 0.86–1.0;
    // TF.js's runs ended at 0.012–0.26. So both losses must fall well below their start and the
    // test accuracies must be close, far above chance (0.1).
    agree(k, r) {
      const p = [];
      equal(p, "steps", k.steps, r.steps);
      fell(p, "deepts", k.firstLoss, k.lastLoss, 0.6);
      fell(p, "TF.js", r.firstLoss, r.lastLoss, 0.6);
      atLeast(p, "deepts test accuracy", k.testAccuracy, r.testAccuracy - 0.25);
      return p;
    },
  },
  {
    name: "boston-housing",
    file: "boston-housing.js",
    sources: ["boston-housing/data.js", "boston-housing/normalization.js", "boston-housing/index.js"],
    covers: ["sequential regression", "fit with validationSplit and onEpochEnd", "evaluate", "layer.getWeights()"],
    small: [["const NUM_EPOCHS = 200;", "const NUM_EPOCHS = 60;"]],
    agree(k, r) {
      const p = [];
      near(p, "baseline loss (no model)", k.baseline, r.baseline, 1e-6);
      for (const name of ["linear", "oneHidden", "twoHidden"]) {
        notWorse(p, `${name} test loss`, k[name].test, r[name].test, 1.5, 0.5);
        atLeast(p, `${name}: baseline / test loss`, k.baseline / k[name].test, 4);
      }
      return p;
    },
  },
  {
    name: "website-phishing",
    file: "website-phishing.js",
    sources: ["website-phishing/utils.js", "website-phishing/data.js", "website-phishing/index.js"],
    covers: ["binary classifier", "onEpochBegin/onEpochEnd", "evaluate", "tf.metrics.precision/recall", "logical ops"],
    small: [["const epochs = 400;", "const epochs = 20;"]],
    // 20 epochs after a random start spread widely on both sides: over 6 deepts and 4 TF.js runs,
    // test loss 0.37–0.53 / 0.34–0.49, accuracy 0.80–0.87 / 0.82–0.88, AUC 0.56–0.80 / 0.54–0.86.
    // So: within that spread of TF.js's run, and an AUC better than chance.
    agree(k, r) {
      const p = [];
      notWorse(p, "test loss", k.testLoss, r.testLoss, 1.8, 0.05);
      atLeast(p, "deepts test accuracy", k.testAccuracy, r.testAccuracy - 0.1);
      atLeast(p, "deepts AUC", k.auc, 0.5);
      // Precision and recall trade against each other with the random start (deepts 0.81/0.90
      // where TF.js had 0.81/0.76 at the small size): their balance, F1, must not be worse.
      const f1 = (m) => (2 * m.precision * m.recall) / (m.precision + m.recall);
      atLeast(p, "deepts F1 (precision and recall)", f1(k), f1(r) - 0.12);
      return p;
    },
  },
  {
    name: "mnist-node",
    file: "mnist-node.js",
    sources: ["mnist-node/data.js", "mnist-node/model.js", "mnist-node/main.js"],
    covers: [
      "CommonJS require",
      "CNN (conv2d, maxPooling2d, dropout)",
      "rmsprop",
      "evaluate",
      "save file://",
      "loadLayersModel",
    ],
    small: [
      ["default: 20,", "default: 1,"],
      ["corpusDigits(Math.round(256 * corpusScale), 31)", "corpusDigits(64, 31)"],
      ["corpusDigits(Math.round(64 * corpusScale), 32)", "corpusDigits(32, 32)"],
      ["filters: 32,", "filters: 8,"],
      ["filters: 64,", "filters: 16,"],
      ["units: 512,", "units: 64,"],
    ],
    agree(k, r) {
      const p = [];
      equal(p, "reloaded model's layers", k.layers, r.layers);
      equal(p, "prediction shape", k.outputShape, r.outputShape);
      near(p, "deepts: reloaded model predicts the same (max difference)", k.reloadMaxDiff, 0, 1e-5);
      notWorse(p, "test loss", k.testLoss, r.testLoss, 2, 0.3);
      return p;
    },
  },
  {
    name: "cart-pole",
    file: "cart-pole.js",
    sources: ["cart-pole/cart_pole.js", "cart-pole/index.js"],
    covers: [
      "plain-JS classes",
      "tf.variableGrads",
      "optimizer.applyGradients",
      "tf.multinomial",
      "tf.buffer",
      "custom loop",
    ],
    small: [
      [
        "trainIterations: 20, gamesPerIteration: 20, maxStepsPerGame: 500",
        "trainIterations: 4, gamesPerIteration: 6, maxStepsPerGame: 60",
      ],
    ],
    agree(k, r) {
      const p = [];
      equal(p, "iterations", k.iterations, r.iterations);
      equal(p, "hidden layer sizes", k.hiddenLayerSizes, r.hiddenLayerSizes);
      // Games are random (Math.random starts, multinomial actions): a random policy lasts ~20 steps.
      atLeast(p, "deepts best mean steps per game", k.meanStepsBest, Math.min(15, r.meanStepsBest / 2));
      // Memory: the training loop's tidy/dispose leave as few tensors in deepts as in TF.js.
      notWorse(p, "tensors left after training", k.tensorsLeft, r.tensorsLeft, 1, 4);
      return p;
    },
  },
  {
    name: "snake-dqn",
    file: "snake-dqn.js",
    sources: [
      "snake-dqn/utils.js",
      "snake-dqn/snake_game.js",
      "snake-dqn/replay_memory.js",
      "snake-dqn/dqn.js",
      "snake-dqn/agent.js",
      "snake-dqn/train.js",
    ],
    covers: [
      "plain-JS classes",
      "DQN: apply({training: true}), variableGrads, applyGradients",
      "trainable = false",
      "setWeights",
      "batchNormalization",
      "save file://",
    ],
    // Random play (epsilon 1): a network is saved only when a game ends after the replay buffer
    // fills and before maxNumFrames, so the small run leaves room for many short games.
    small: [
      [
        "const corpusOverrides = { maxNumFrames: 3000, replayBufferSize: 1000, syncEveryFrames: 200 };",
        "const corpusOverrides = { height: 7, width: 7, maxNumFrames: 150, replayBufferSize: 16, batchSize: 4, syncEveryFrames: 10, epsilonInit: 1, epsilonFinal: 1, epsilonDecayFrames: 150 };",
      ],
      ["filters: 128,", "filters: 8,"],
      ["filters: 256,", "filters: 16,"],
      ["units: 100,", "units: 16,"],
    ],
    agree(k, r) {
      const p = [];
      atLeast(p, "deepts games played", k.gamesPlayed, 1);
      atLeast(p, "deepts networks saved", k.savedNetworks, 1);
      equal(p, "saved network's layers", k.savedLayers, r.savedLayers);
      equal(p, "saved network's output shape", k.savedOutputShape, r.savedOutputShape);
      return p;
    },
  },
  {
    name: "custom-layer",
    file: "custom-layer.js",
    sources: ["custom-layer/custom_layer.js", "custom-layer/index.js"],
    covers: [
      "custom layer (tf.layers.Layer subclass)",
      "tf.serialization.registerClass",
      "tf.split",
      "save and load with a custom layer",
    ],
    agree(k, r) {
      const p = [];
      equal(p, "canvases", k.canvases, r.canvases);
      near(
        p,
        "positive channel pixel sum",
        k.positiveChannelSum,
        r.positiveChannelSum,
        1e-3 * r.positiveChannelSum + 2,
      );
      near(
        p,
        "negative channel pixel sum",
        k.negativeChannelSum,
        r.negativeChannelSum,
        1e-3 * r.negativeChannelSum + 2,
      );
      equal(p, "reloaded layer class", k.layerClass, r.layerClass);
      equal(p, "model output shape", k.modelOutputShape, r.modelOutputShape);
      near(p, "deepts: reloaded model predicts the same", k.reloadMaxDiff, 0, 1e-5);
      return p;
    },
  },
  {
    name: "addition-rnn",
    file: "addition-rnn.js",
    sources: ["addition-rnn/index.js"],
    covers: [
      "simpleRNN, GRU, LSTM",
      "repeatVector",
      "timeDistributed",
      "returnSequences",
      "tf.buffer one-hot",
      "yieldEvery",
    ],
    small: [
      ["trainingSize: '5000'", "trainingSize: '600'"],
      ["trainIterations: '100'", "trainIterations: '6'"],
      ["rnnLayerSize: '128'", "rnnLayerSize: '32'"],
    ],
    agree(k, r) {
      const p = [];
      for (const type of ["SimpleRNN", "GRU", "LSTM"]) {
        equal(p, `${type} iterations`, k[type].iterations, r[type].iterations);
        equal(p, `${type} examples shown`, k[type].shown, r[type].shown);
        // From the uniform guess (ln 12 ≈ 2.48) gated RNNs leave the plateau slowly: at the small
        // size TF.js's LSTM loss falls by under 2% (TF.js 4.22: 2.483 → 2.441), so 1% is asked here.
        fell(p, `deepts ${type}`, k[type].firstLoss, k[type].lastLoss, 0.99);
        notWorse(p, `${type} validation loss`, k[type].lastValLoss, r[type].lastValLoss, 1.3, 0.1);
      }
      return p;
    },
  },
  {
    name: "translation",
    file: "translation.ts",
    typescript: true,
    sources: ["translation/translation.ts"],
    covers: [
      "TypeScript with TF.js types",
      "LSTM returnState, initial states",
      "tf.buffer<tf.Rank.R3>",
      "callbacks: null",
      "save file://",
      "encoder/decoder models",
    ],
    small: [
      ["defaultValue: 200,", "defaultValue: 3,"],
      ["defaultValue: 256,", "defaultValue: 32,"],
      ["defaultValue: 100,", "defaultValue: 5,"],
    ],
    agree(k, r) {
      const p = [];
      equal(p, "sentences decoded", k.decoded, r.decoded);
      equal(p, "saved model inputs", k.savedInputs, r.savedInputs);
      equal(p, "saved model output shape", k.savedOutputShape, r.savedOutputShape);
      // Decoding quality only means something once TF.js's model has learned (a quarter of the
      // characters right): at the small size (3 epochs) both decode near-noise.
      if (r.charsRight >= r.charsTotal / 4) {
        atLeast(p, "deepts characters right", k.charsRight, Math.floor(r.charsRight * 0.5));
      }
      return p;
    },
  },
  {
    name: "lstm-text-generation",
    file: "lstm-text-generation.js",
    sources: ["lstm-text-generation/data.js", "lstm-text-generation/model.js", "lstm-text-generation/train_node.js"],
    covers: [
      "stacked LSTM",
      "rmsprop",
      "onTrainBegin/onTrainEnd",
      "tf.multinomial sampling",
      "new tf.TensorBuffer",
      "save file://",
    ],
    small: [
      ["defaultValue: 150,", "defaultValue: 2,"],
      ["defaultValue: 10000,", "defaultValue: 256,"],
      ["defaultValue: '128,128',", "defaultValue: '32,32',"],
      ["defaultValue: 120,", "defaultValue: 30,"],
      ["defaultValue: 60,", "defaultValue: 20,"],
    ],
    agree(k, r) {
      const p = [];
      equal(p, "epochs", k.epochs, r.epochs);
      equal(p, "texts generated", k.generatedTexts, r.generatedTexts);
      equal(p, "generated text lengths", k.lastTextLengths, r.lastTextLengths);
      equal(p, "saved model layers", k.savedLayers, r.savedLayers);
      equal(p, "saved model input shape", k.savedInputShape, r.savedInputShape);
      return p;
    },
  },
  {
    name: "iris-fitDataset",
    file: "iris-fitDataset.js",
    sources: ["iris-fitDataset/data.js", "iris-fitDataset/index.js"],
    covers: ["tf.data.array", "tf.data.zip", "Dataset.batch/toArray", "model.fitDataset with a validation Dataset"],
    agree(k, r) {
      const p = [];
      equal(p, "epochs", k.epochs, r.epochs);
      fell(p, "deepts", k.firstLoss, k.lastLoss, 0.6);
      notWorse(p, "final loss", k.lastLoss, r.lastLoss, 2, 0.1);
      atLeast(p, "deepts test accuracy", k.testAccuracy, r.testAccuracy - 0.2);
      return p;
    },
  },
  {
    name: "date-conversion-attention",
    // Why `npm test` runs only the deepts side (must run without error and give its result) and
    // leaves the comparison with TF.js to `node bench/corpus.js`.
    slowReference:
      "TF.js 4.22's cpu backend had not finished this program after 9 minutes at the small size on the shared 2-core machine (deepts: under a minute)",
    file: "date-conversion-attention.js",
    sources: [
      "date-conversion-attention/date_format.js",
      "date-conversion-attention/model.js",
      "date-conversion-attention/train.js",
    ],
    covers: [
      "functional attention model",
      "custom layer + registerClass",
      "embedding maskZero",
      "LSTM initialState",
      "dot, concatenate, timeDistributed",
      "getLayer().output",
    ],
    small: [
      [
        "function generateDataForTraining(trainSplit = 0.25, valSplit = 0.15) {",
        "function generateDataForTraining(trainSplit = 0.003, valSplit = 0.15) {",
      ],
      ["defaultValue: 0.15,", "defaultValue: 0.002,"],
      // Each inference test is ten one-step predictions per input format.
      ["const numTests = 10;", "const numTests = 1;"],
    ],
    agree(k, r) {
      const p = [];
      equal(p, "inference answers", k.answers, r.answers);
      equal(p, "saved model layers", k.savedLayers, r.savedLayers);
      equal(p, "saved custom layer class", k.savedCustomLayer, r.savedCustomLayer);
      equal(p, "attention shape", k.attentionShape, r.attentionShape);
      atLeast(p, "deepts correct answers", k.correct, Math.floor(r.correct * 0.5));
      return p;
    },
  },
  {
    name: "data-generator",
    file: "data-generator.js",
    sources: ["data-generator/game.js", "data-generator/index.js"],
    covers: [
      "tf.data.generator",
      "Dataset.map/batch/take/toArray",
      "fitDataset with batchesPerEpoch and validationBatches",
    ],
    small: [
      ["getBatchesPerEpoch: () => 50,", "getBatchesPerEpoch: () => 5,"],
      ["getEpochsToTrain: () => 50,", "getEpochsToTrain: () => 4,"],
    ],
    agree(k, r) {
      const p = [];
      equal(p, "batches from toArray", k.arrayBatches, r.arrayBatches);
      equal(p, "batch shapes", k.batchShapes, r.batchShapes);
      equal(p, "epochs", k.epochs, r.epochs);
      notWorse(p, "final loss", k.lastLoss, r.lastLoss, 1.3, 0.05);
      return p;
    },
  },
];
