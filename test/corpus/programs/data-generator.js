// Corpus program: data-generator (a tf.data.generator of simulated card games: Dataset.map, batch,
// take, toArray, and model.fitDataset with batchesPerEpoch, a validation Dataset, validationBatches
// and stopTraining).
// Source: tensorflow/tfjs-examples@0521725666e4504948eed00fe372b92510cc74f9, data-generator/game.js
//   and index.js.
// Changes: the page, ui.js and tfjs-vis are stand-ins (index.html's default settings); the modules
// are joined into one cell; the cell fires DOMContentLoaded, presses "dataset to array", then "train"
// and waits for training to end (the handler starts it without awaiting); the result is JSON.
import * as tf from '@tensorflow/tfjs';

// ---- [corpus] stand-ins for the page, ui.js and tfjs-vis ----
const corpusPage = { handlers: {}, batches: [], logs: [], prediction: undefined, trainingDone: undefined };
const document = {
  addEventListener(type, handler) { corpusPage.handlers[type] = handler; },
  getElementById: (id) => ({
    value: '3',
    valueAsNumber: 1,
    addEventListener(type, handler) { (corpusPage.handlers[id] ??= []).push(handler); },
  }),
};
let corpusFinish;
const ui = {
  lossContainerElement: {},
  accuracyContainerElement: {},
  getBatchSize: () => 100,
  getTake: () => 5,
  getBatchesPerEpoch: () => 50,
  getEpochsToTrain: () => 50,
  getInputCards: () => Array.from({ length: game.GAME_STATE.num_cards_per_hand }, (_, i) => [13, 13, 12][i % 3]),
  displaySimulation() {},
  displayNumSimulationsSoFar() {},
  displayBatches(arr) { corpusPage.batches = arr; },
  displayTrainLogMessage() {},
  displayPrediction(text) { corpusPage.prediction = text; },
  displayExpectedSimulations() {},
  updatePredictionInputs() {},
  disableTrainButton() {},
  enableTrainButton() { corpusFinish(); },
  enableStopButton() {},
  disableStopButton() {},
  enablePredictButton() {},
  disablePredictButton() {},
};
const tfvis = { show: { history(container, logs) { if (container === ui.lossContainerElement) corpusPage.logs = logs.slice(); } } };

// ---- data-generator/game.js (tfjs-examples; imports/exports dropped) ----
const game = (() => {
  /**
   * This file implements a two player card game similar to a much simplified game
   * of Poker. The cards range in value from 1 to GAME_STATE.max_card_value, and
   * each player receives three cards, drawn uniformly from the integers in the
   * range [1, GAME_STATE.max_card_value]. One player wins by having a better
   * hand.
   *
   *    Any triple (three of the same card) beats any double.
   *    Any double (two of the same card) beats any single.
   *    If both players have a triple, the higher triple wins.
   *    If both players have a double, the higher double wins.
   *    If neither player has a double, the player with the highest
   *       individual number wins.
   *    Ties are settled randomly, 50/50.
   */

  // Global exported state tracking the rules of the game and how many games have
  // been played so far. Individual fields may be read / changed by external
  // control.
  const GAME_STATE = {
    // The number of times the game has been played. Useful
    // for illustrating how many simulations it takes to train the model.
    num_simulations_so_far: 0,
    // Constants defining the range of card values.
    min_card_value: 1,
    max_card_value: 13,
    // Controls how many cards per hand.  Controllable from a UI element.
    num_cards_per_hand: 3
  };

  /**
   * Returns a random integer in the range [GAME_STATE.min_card_value,
   * GAME_STATE.max_card_value]
   */
  function getRandomDigit() {
    return Math.floor(
        GAME_STATE.min_card_value + Math.random() * GAME_STATE.max_card_value);
  }

  /**
   * Yields a randomly generated array of three elements.  Each element
   * is an integer randomly selected within the range [1, 9].  Hands are returned
   * in sorted order.
   */
  function randomHand() {
    const hand = [];
    for (let i = 0; i < GAME_STATE.num_cards_per_hand; i++) {
      hand.push(getRandomDigit());
    }
    return hand.sort((a, b) => a - b);
  }

  /**
   * This function produces an array indicating the largest face value for
   * every possible group size (1 card, 1 pair, 3-of-a-kind, 4-of-a-kind, etc.),
   * in the hand.  Zeros indicate there are no groups of that size.
   *
   * E.g., if this function returns [9, 3, 0, 0, 0, 0] it indicates that
   *   - The highest card is a 9
   *   - The highest double is of a 3
   *   - There are no triples etc.
   *
   * This could result if the hand were, e.g,  [1, 2, 2, 3, 3, 9]
   *
   * @param {number[]} hand A sorted integer array of length
   *     GAME_STATE.num_cards_per_hand
   * @returns {number[]} An array of the face value of the largest value for each
   *     group size.  Zero indicates there are no examples of that group size in
   *     the hand, if, for instance, there are no triples.
   */
  function handScoringHelper(hand) {
    // Create an array of all zeros of the appropriate size.
    const faceValOfEachGroup = [];
    for (let i = 0; i < GAME_STATE.num_cards_per_hand; i++) {
      faceValOfEachGroup.push(0);
    }
    let runLength = 0;
    let prevVal = 0;
    for (let i = 0; i < GAME_STATE.num_cards_per_hand; i++) {
      const card = hand[i];
      if (card == prevVal) {
        runLength += 1;
      } else {
        prevVal = card;
        runLength = 1;
      }
      faceValOfEachGroup[runLength - 1] = card;
    }
    return faceValOfEachGroup;
  }

  /**
   * Returns 1 if hand1 beats hand2, in terms of hand value.
   * Returns 0 if hand1 is less than hand2.
   * In the event of a tie, return 0 or 1 randomly with even odds.
   * @param {number[]} hand1 ordered list of numbers representing Player 1's hand.
   * @param {number[]} hand2 ordered list of numbers representing Player 2's hand.
   * @returns {number} 1 or 0 indicating Player 1's win or loss, respectively.
   */
  function compareHands(hand1, hand2) {
    const handScore1 = handScoringHelper(hand1);
    const handScore2 = handScoringHelper(hand2);
    // In descending order of group size, decide if one hand is better.
    for (let group = GAME_STATE.num_cards_per_hand - 1; group >= 0; group--) {
      if (handScore1[group] > handScore2[group]) {
        return 1;
      }
      if (handScore1[group] < handScore2[group]) {
        return 0;
      }
    }
    // Break a tie by flipping a fair coin.
    if (Math.random() > 0.5) {
      return 1;
    }
    return 0;
  }

  /**
   * Returns an object representing one complete play of the game.
   * Generates two random hands, and the value of the hand comparison.
   * Returns [hand1, hand2, whetherHand1Wins.
   */
  function generateOnePlay() {
    const player1Hand = randomHand();
    const player2Hand = randomHand();
    const player1Win = compareHands(player1Hand, player2Hand);
    GAME_STATE.num_simulations_so_far++;
    return {player1Hand, player2Hand, player1Win};
  }
  return { GAME_STATE, getRandomDigit, randomHand, handScoringHelper, compareHands, generateOnePlay };
})();

// ---- data-generator/index.js (unchanged) ----
/**
 * @license
 * Copyright 2019 Google LLC. All Rights Reserved.
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 * http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 * =============================================================================
 */


/**
 * Returns a dataset which will yield unlimited plays of the game.
 */
const GAME_GENERATOR_DATASET = tf.data.generator(function* gen() {
  while (true) {
    yield game.generateOnePlay();
  }
});

/**
 * Module global boolean to indicate whether the model should stop training at
 * the end of this epoch.
 */
let STOP_REQUESTED = false;

/**
 * Holds game state of most recent simulation to allow for re-calculation
 * of feature representation.
 */
let SAMPLE_GAME_STATE;

/**
 * Holds the model to be trained & evaluated.
 */
let GLOBAL_MODEL;

/**
 * Takes the state of one complete game and returns features suitable for
 * training.  Returns an object containing features = player1's hand represented
 * using oneHot encoding, and label = whether player 1 won.
 * @param {*} gameState
 */
function gameToFeaturesAndLabel(gameState) {
  return tf.tidy(() => {
    const player1Hand = tf.tensor1d(gameState.player1Hand, 'int32');
    const handOneHot = tf.oneHot(
        tf.sub(player1Hand, tf.scalar(1, 'int32')),
        game.GAME_STATE.max_card_value);
    const features = tf.sum(handOneHot, 0);
    const label = tf.tensor1d([gameState.player1Win]);
    return {xs: features, ys: label};
  });
}

/**
 * Collects one random play of the game.  Processes the sample to generate
 * features and labels representation of the play.  Calls a UI method to render
 * the sample and the processed sample.
 * @param {bool} wantNewGame : If true, a new game is generated.
 */
async function simulateGameHandler(wantNewGame) {
  if (wantNewGame) {
    SAMPLE_GAME_STATE = game.generateOnePlay();
  }
  const featuresAndLabel = gameToFeaturesAndLabel(SAMPLE_GAME_STATE);
  ui.displaySimulation(SAMPLE_GAME_STATE, featuresAndLabel);
  ui.displayNumSimulationsSoFar();
}

/**
 * This is pulled into a separate function to isolate the async code.
 *  @see datasetToArrayHandler
 */
async function datasetToArray() {
  return GAME_GENERATOR_DATASET.map(gameToFeaturesAndLabel)
      .batch(ui.getBatchSize())
      .take(ui.getTake())
      .toArray();
}

/**
 * Creates a dataset pipeline from GAME_GENERATOR_DATASET by:
 * 1) Applying the function gameToFeaturesAndlabel
 * 2) Taking the first N samples of the dataset
 * 3) Batching the dataset to batches of size B
 *
 * It then executes the dataset by filling an array.  Finally, it passes this
 * array to the UI to render in a table.
 */
async function datasetToArrayHandler() {
  const arr = await datasetToArray();
  ui.displayBatches(arr);
  ui.displayNumSimulationsSoFar();
}

/**
 * Returns a three layer sequential model suitable for predicting win state from
 * feature representation.  The input shape depends on whether oneHot
 * representation is used.
 */
function createDNNModel() {
  GLOBAL_MODEL = tf.sequential();
  GLOBAL_MODEL.add(tf.layers.dense({
    inputShape: [game.GAME_STATE.max_card_value],
    units: 20,
    activation: 'relu'
  }));
  GLOBAL_MODEL.add(tf.layers.dense({units: 20, activation: 'relu'}));
  GLOBAL_MODEL.add(tf.layers.dense({units: 1, activation: 'sigmoid'}));
  return GLOBAL_MODEL;
}


/**
 * Trains a the provided model on the provided dataset using model.fitDataset.
 * Schedules a callback at the end of every epoch to update the UI with
 * graphs showing loss and accuracy, as well as training speed and the current
 * prediction for the manually entered hand.
 * @param {tf.Model} model
 * @param {tf.data.Dataset} dataset
 */
async function trainModelUsingFitDataset(model, dataset) {
  const trainLogs = [];
  const beginMs = performance.now();
  const fitDatasetArgs = {
    batchesPerEpoch: ui.getBatchesPerEpoch(),
    epochs: ui.getEpochsToTrain(),
    validationData: dataset,
    validationBatches: 10,
    callbacks: {
      onEpochEnd: async (epoch, logs) => {
        // Plot the loss and accuracy values at the end of every training epoch.
        const secPerEpoch =
            (performance.now() - beginMs) / (1000 * (epoch + 1));
        ui.displayTrainLogMessage(
            `Training model... Approximately ` +
            `${secPerEpoch.toFixed(4)} seconds per epoch`);
        trainLogs.push(logs);
        tfvis.show.history(
            ui.lossContainerElement, trainLogs, ['loss', 'val_loss'])
        tfvis.show.history(
            ui.accuracyContainerElement, trainLogs, ['acc', 'val_acc'],
            {zoomToFitAccuracy: true})
        ui.displayNumSimulationsSoFar();
        // Update the prediction.
        predictHandler();
        // Stop the training if stop requested.
        if (STOP_REQUESTED) {
          model.stopTraining = true;
        }
      },
    }
  };
  ui.disableTrainButton();
  ui.enableStopButton();
  ui.enablePredictButton();
  await model.fitDataset(dataset, fitDatasetArgs);
  ui.enableTrainButton();
  ui.disableStopButton();
}

/**
 * Constructs a new model and trains it on a dataset pipeline built off of
 * GAME_GENERATOR_DATASET.  The dataset pipeline performs feature calculation
 * and batching.
 * @see trainModelUsingFitDataset for training details.
 */
async function trainModelUsingFitDatasetHandler() {
  STOP_REQUESTED = false;
  const model = createDNNModel();
  model.compile({
    optimizer: 'rmsprop',
    loss: 'binaryCrossentropy',
    metrics: ['accuracy'],
  });
  const dataset = GAME_GENERATOR_DATASET.map(gameToFeaturesAndLabel)
                      .batch(ui.getBatchSize());
  trainModelUsingFitDataset(model, dataset);
}

/**
 * Applies the model to the manually entered hand value and updates the UI with
 * the model's prediction.
 */
function predictHandler() {
  const cards = ui.getInputCards();
  const features =
      gameToFeaturesAndLabel({player1Hand: cards, player1Win: 1}).xs;
  const output = GLOBAL_MODEL.predict(features.expandDims(0));
  ui.displayPrediction(`${output.dataSync()[0].toFixed(3)}`);
}

/**
 * Updates the game constant controlling the number of cards per hand and
 * clears UI.
 */
function selectCardsPerHandHandler() {
  game.GAME_STATE.num_cards_per_hand =
      Number.parseInt(document.getElementById('select-cards-per-hand').value);
  simulateGameHandler(true);
  ui.updatePredictionInputs();
  ui.displayBatches([]);
  ui.disablePredictButton();
  ui.displayPrediction('New model needs to be trained');
}

/** Sets up handlers for the user affordences, including all buttons. */
document.addEventListener('DOMContentLoaded', async () => {
  console.log('content loaded... connecting buttons.');
  document.getElementById('select-cards-per-hand')
      .addEventListener('change', selectCardsPerHandHandler, false);
  document.getElementById('simulate-game')
      .addEventListener('click', () => simulateGameHandler(true), false);
  document.getElementById('dataset-to-array')
      .addEventListener('click', datasetToArrayHandler, false);
  document.getElementById('dataset-to-array')
      .addEventListener('click', datasetToArrayHandler, false);
  document.getElementById('train-model-using-fit-dataset')
      .addEventListener('click', trainModelUsingFitDatasetHandler, false);
  document.getElementById('stop-training')
      .addEventListener('click', () => STOP_REQUESTED = true);
  document.getElementById('generator-batch').addEventListener('change', () => {
    ui.displayExpectedSimulations();
    ui.displayBatches([]);
  }, false);
  document.getElementById('generator-take').addEventListener('change', () => {
    ui.displayBatches([]);
  }, false);
  document.getElementById('batches-per-epoch')
      .addEventListener('change', ui.displayExpectedSimulations, false);
  document.getElementById('epochs-to-train')
      .addEventListener('change', ui.displayExpectedSimulations, false);
  document.getElementById('predict').addEventListener(
      'click', predictHandler, false);
  ui.displayNumSimulationsSoFar();
  ui.displayExpectedSimulations();
  ui.updatePredictionInputs();
});

// ---- [corpus] the page loads; press "dataset to array", then "train model using fitDataset" ----
await corpusPage.handlers.DOMContentLoaded();
await corpusPage.handlers['dataset-to-array'][0]();
const corpusTrained = new Promise((resolve) => (corpusFinish = resolve));
await corpusPage.handlers['train-model-using-fit-dataset'][0]();
await corpusTrained;
const corpusFirst = corpusPage.batches[0];
console.log(JSON.stringify({
  arrayBatches: corpusPage.batches.length,
  batchShapes: [corpusFirst.xs.shape, corpusFirst.ys.shape],
  epochs: corpusPage.logs.length,
  firstLoss: corpusPage.logs[0].loss,
  lastLoss: corpusPage.logs[corpusPage.logs.length - 1].loss,
  lastValAcc: corpusPage.logs[corpusPage.logs.length - 1].val_acc,
  prediction: Number(corpusPage.prediction),
}));
