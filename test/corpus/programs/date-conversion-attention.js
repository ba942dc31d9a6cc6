// Corpus program: date-conversion-attention (a functional encoder–decoder with attention: embedding
// with maskZero, LSTMs with returnSequences and initialState, a custom layer (GetLastTimestepLayer,
// registered with tf.serialization), tf.layers.dot, activation, concatenate, timeDistributed;
// training on generated date strings; greedy decoding with getLayer('attention').output).
// Source: tensorflow/tfjs-examples@0521725666e4504948eed00fe372b92510cc74f9,
//   date-conversion-attention/date_format.js, model.js and train.js.
// Changes: argparse and shelljs are stand-ins (the command line gives the defaults and a save path in
// a temporary folder); the modules are joined into one cell (imports/exports dropped; fs imported
// once here); run() is called and awaited; the inference results are counted; the result is JSON.
import * as fs from 'fs';
import * as tf from '@tensorflow/tfjs';

// ---- [corpus] stand-ins for argparse and shelljs ----
const corpusSavePath = fs.mkdtempSync(require('node:path').join(require('node:os').tmpdir(), 'corpus-dates-')) + '/model';
const argparse = {
  ArgumentParser: class {
    constructor() { this.values = {}; }
    addArgument(flag, o) { this.values[flag.replace(/^--/, '')] = o.defaultValue ?? (o.action === 'storeTrue' ? false : undefined); }
    parseArgs() { return { ...this.values, savePath: corpusSavePath }; }
  },
};
const shelljs = { mkdir(flag, dir) { fs.mkdirSync(dir, { recursive: true }); } };
const corpusAnswers = { ok: 0, wrong: 0 };
const corpusConsoleLog = console.log;
console.log = (...parts) => {
  const text = parts.join(' ');
  if (/^Model output: .* \(OK\)$/.test(text)) corpusAnswers.ok++;
  if (/^Model output: .* \(WRONG\)$/.test(text)) corpusAnswers.wrong++;
  corpusConsoleLog(...parts);
};

// ---- date-conversion-attention/date_format.js (tfjs-examples; imports/exports dropped) ----
const dateFormat = (() => {
  /**
   * Date formats and conversion utility functions.
   *
   * This file is used for the training of the date-conversion model and
   * date conversions based on the trained model.
   *
   * It contains functions that generate random dates and represent them in
   * several different formats such as (2019-01-20 and 20JAN19).
   * It also contains functions that convert the text representation of
   * the dates into one-hot `tf.Tensor` representations.
   */

  const tf = require('@tensorflow/tfjs');

  const MONTH_NAMES_FULL = [
    'January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
    'September', 'October', 'November', 'December'
  ];
  const MONTH_NAMES_3LETTER =
      MONTH_NAMES_FULL.map(name => name.slice(0, 3).toUpperCase());

  const MIN_DATE = new Date('1950-01-01').getTime();
  const MAX_DATE = new Date('2050-01-01').getTime();

  const INPUT_LENGTH = 12   // Maximum length of all input formats.
  const OUTPUT_LENGTH = 10  // Length of 'YYYY-MM-DD'.

  // Use "\n" for padding for both input and output. It has to be at the
  // beginning so that `mask_zero=True` can be used in the keras model.
  const INPUT_VOCAB = '\n0123456789/-., ' +
      MONTH_NAMES_3LETTER.join('')
          .split('')
          .filter(function(item, i, ar) {
            return ar.indexOf(item) === i;
          })
          .join('');

  // OUTPUT_VOCAB includes an start-of-sequence (SOS) token, represented as
  // '\t'. Note that the date strings are represented in terms of their
  // constituent characters, not words or anything else.
  const OUTPUT_VOCAB = '\n\t0123456789-';

  const START_CODE = 1;

  /**
   * Generate a random date.
   *
   * @return {[number, number, number]} Year as an integer, month as an
   *   integer >= 1 and <= 12, day as an integer >= 1.
   */
  function generateRandomDateTuple() {
    const date = new Date(Math.random() * (MAX_DATE - MIN_DATE) + MIN_DATE);
    return [date.getFullYear(), date.getMonth() + 1, date.getDate()];
  }

  function toTwoDigitString(num) {
    return num < 10 ? `0${num}` : `${num}`;
  }

  /** Date format such as 01202019. */
  function dateTupleToDDMMMYYYY(dateTuple) {
    const monthStr = MONTH_NAMES_3LETTER[dateTuple[1] - 1];
    const dayStr = toTwoDigitString(dateTuple[2]);
    return `${dayStr}${monthStr}${dateTuple[0]}`;
  }

  /** Date format such as 01/20/2019. */
  function dateTupleToMMSlashDDSlashYYYY(dateTuple) {
    const monthStr = toTwoDigitString(dateTuple[1]);
    const dayStr = toTwoDigitString(dateTuple[2]);
    return `${monthStr}/${dayStr}/${dateTuple[0]}`;
  }

  /** Date format such as 1/20/2019. */
  function dateTupleToMSlashDSlashYYYY(dateTuple) {
    return `${dateTuple[1]}/${dateTuple[2]}/${dateTuple[0]}`;
  }

  /** Date format such as 01/20/19. */
  function dateTupleToMMSlashDDSlashYY(dateTuple) {
    const monthStr = toTwoDigitString(dateTuple[1]);
    const dayStr = toTwoDigitString(dateTuple[2]);
    const yearStr = `${dateTuple[0]}`.slice(2);
    return `${monthStr}/${dayStr}/${yearStr}`;
  }

  /** Date format such as 1/20/19. */
  function dateTupleToMSlashDSlashYY(dateTuple) {
    const yearStr = `${dateTuple[0]}`.slice(2);
    return `${dateTuple[1]}/${dateTuple[2]}/${yearStr}`;
  }

  /** Date format such as 012019. */
  function dateTupleToMMDDYY(dateTuple) {
    const monthStr = toTwoDigitString(dateTuple[1]);
    const dayStr = toTwoDigitString(dateTuple[2]);
    const yearStr = `${dateTuple[0]}`.slice(2);
    return `${monthStr}${dayStr}${yearStr}`;
  }

  /** Date format such as JAN 20 19. */
  function dateTupleToMMMSpaceDDSpaceYY(dateTuple) {
    const monthStr = MONTH_NAMES_3LETTER[dateTuple[1] - 1];
    const dayStr = toTwoDigitString(dateTuple[2]);
    const yearStr = `${dateTuple[0]}`.slice(2);
    return `${monthStr} ${dayStr} ${yearStr}`;
  }

  /** Date format such as JAN 20 2019. */
  function dateTupleToMMMSpaceDDSpaceYYYY(dateTuple) {
    const monthStr = MONTH_NAMES_3LETTER[dateTuple[1] - 1];
    const dayStr = toTwoDigitString(dateTuple[2]);
    return `${monthStr} ${dayStr} ${dateTuple[0]}`;
  }

  /** Date format such as JAN 20, 19. */
  function dateTupleToMMMSpaceDDCommaSpaceYY(dateTuple) {
    const monthStr = MONTH_NAMES_3LETTER[dateTuple[1] - 1];
    const dayStr = toTwoDigitString(dateTuple[2]);
    const yearStr = `${dateTuple[0]}`.slice(2);
    return `${monthStr} ${dayStr}, ${yearStr}`;
  }

  /** Date format such as JAN 20, 2019. */
  function dateTupleToMMMSpaceDDCommaSpaceYYYY(dateTuple) {
    const monthStr = MONTH_NAMES_3LETTER[dateTuple[1] - 1];
    const dayStr = toTwoDigitString(dateTuple[2]);
    return `${monthStr} ${dayStr}, ${dateTuple[0]}`;
  }

  /** Date format such as 20-01-2019. */
  function dateTupleToDDDashMMDashYYYY(dateTuple) {
    const monthStr = toTwoDigitString(dateTuple[1]);
    const dayStr = toTwoDigitString(dateTuple[2]);
    return `${dayStr}-${monthStr}-${dateTuple[0]}`;
  }

  /** Date format such as 20-1-2019. */
  function dateTupleToDDashMDashYYYY(dateTuple) {
    return `${dateTuple[2]}-${dateTuple[1]}-${dateTuple[0]}`;
  }

  /** Date format such as 20.01.2019. */
  function dateTupleToDDDotMMDotYYYY(dateTuple) {
    const monthStr = toTwoDigitString(dateTuple[1]);
    const dayStr = toTwoDigitString(dateTuple[2]);
    return `${dayStr}.${monthStr}.${dateTuple[0]}`;
  }

  /** Date format such as 20.1.2019. */
  function dateTupleToDDotMDotYYYY(dateTuple) {
    return `${dateTuple[2]}.${dateTuple[1]}.${dateTuple[0]}`;
  }

  /** Date format such as 2019.01.20. */
  function dateTupleToYYYYDotMMDotDD(dateTuple) {
    const monthStr = toTwoDigitString(dateTuple[1]);
    const dayStr = toTwoDigitString(dateTuple[2]);
    return `${dateTuple[0]}.${monthStr}.${dayStr}`;
  }

  /** Date format such as 2019.1.20. */
  function dateTupleToYYYYDotMDotD(dateTuple) {
    return `${dateTuple[0]}.${dateTuple[1]}.${dateTuple[2]}`;
  }

  /** Date format such as 20190120. */
  function dateTupleToYYYYMMDD(dateTuple) {
    const monthStr = toTwoDigitString(dateTuple[1]);
    const dayStr = toTwoDigitString(dateTuple[2]);
    return `${dateTuple[0]}${monthStr}${dayStr}`;
  }

  /** Date format such as 2019-1-20. */
  function dateTupleToYYYYDashMDashD(dateTuple) {
    return `${dateTuple[0]}-${dateTuple[1]}-${dateTuple[2]}`;
  }

  /** Date format such as 20 JAN 2019. */
  function dateTupleToDSpaceMMMSpaceYYYY(dateTuple) {
    const monthStr = MONTH_NAMES_3LETTER[dateTuple[1] - 1];
    return `${dateTuple[2]} ${monthStr} ${dateTuple[0]}`;
  }

  /**
   * Date format such as 2019-01-20
   * (i.e.,  the ISO format and the conversion target).
   * */
  function dateTupleToYYYYDashMMDashDD(dateTuple) {
    const monthStr = toTwoDigitString(dateTuple[1]);
    const dayStr = toTwoDigitString(dateTuple[2]);
    return `${dateTuple[0]}-${monthStr}-${dayStr}`;
  }

  const INPUT_FNS = [
    dateTupleToDDMMMYYYY,
    dateTupleToMMDDYY,
    dateTupleToMMSlashDDSlashYY,
    dateTupleToMMSlashDDSlashYYYY,
    dateTupleToMSlashDSlashYYYY,
    dateTupleToDDDashMMDashYYYY,
    dateTupleToDDashMDashYYYY,
    dateTupleToMMMSpaceDDSpaceYY,
    dateTupleToMSlashDSlashYY,
    dateTupleToMMMSpaceDDSpaceYYYY,
    dateTupleToMMMSpaceDDCommaSpaceYY,
    dateTupleToMMMSpaceDDCommaSpaceYYYY,
    dateTupleToDDDotMMDotYYYY,
    dateTupleToDDotMDotYYYY,
    dateTupleToYYYYDotMMDotDD,
    dateTupleToYYYYDotMDotD,
    dateTupleToYYYYMMDD,
    dateTupleToYYYYDashMDashD,
    dateTupleToDSpaceMMMSpaceYYYY,
    dateTupleToYYYYDashMMDashDD
  ];  // TODO(cais): Add more formats if necessary.

  /**
   * Encode a number of input date strings as a `tf.Tensor`.
   *
   * The encoding is a sequence of one-hot vectors. The sequence is
   * padded at the end to the maximum possible length of any valid
   * input date strings. The padding value is zero.
   *
   * @param {string[]} dateStrings Input date strings. Each element of the array
   *   must be one of the formats listed above. It is okay to mix multiple formats
   *   in the array.
   * @returns {tf.Tensor} One-hot encoded characters as a `tf.Tensor`, of dtype
   *   `float32` and shape `[numExamples, maxInputLength]`, where `maxInputLength`
   *   is the maximum possible input length of all valid input date-string formats.
   */
  function encodeInputDateStrings(dateStrings) {
    const n = dateStrings.length;
    const x = tf.buffer([n, INPUT_LENGTH], 'float32');
    for (let i = 0; i < n; ++i) {
      for (let j = 0; j < INPUT_LENGTH; ++j) {
        if (j < dateStrings[i].length) {
          const char = dateStrings[i][j];
          const index = INPUT_VOCAB.indexOf(char);
          if (index === -1) {
            throw new Error(`Unknown char: ${char}`);
          }
          x.set(index, i, j);
        }
      }
    }
    return x.toTensor();
  }

  /**
   * Encode a number of output date strings as a `tf.Tensor`.
   *
   * The encoding is a sequence of integer indices.
   *
   * @param {string[]} dateStrings An array of output date strings, must be in the
   *   ISO date format (YYYY-MM-DD).
   * @returns {tf.Tensor} Integer indices of the characters as a `tf.Tensor`, of
   *   dtype `int32` and shape `[numExamples, outputLength]`, where `outputLength`
   *   is the length of the standard output format (i.e., `10`).
   */
  function encodeOutputDateStrings(dateStrings, oneHot = false) {
    const n = dateStrings.length;
    const x = tf.buffer([n, OUTPUT_LENGTH], 'int32');
    for (let i = 0; i < n; ++i) {
      tf.util.assert(
          dateStrings[i].length === OUTPUT_LENGTH,
          `Date string is not in ISO format: "${dateStrings[i]}"`);
      for (let j = 0; j < OUTPUT_LENGTH; ++j) {
        const char = dateStrings[i][j];
        const index = OUTPUT_VOCAB.indexOf(char);
        if (index === -1) {
          throw new Error(`Unknown char: ${char}`);
        }
        x.set(index, i, j);
      }
    }
    return x.toTensor();
  }
  return { INPUT_LENGTH, OUTPUT_LENGTH, INPUT_VOCAB, OUTPUT_VOCAB, START_CODE, generateRandomDateTuple, dateTupleToDDMMMYYYY, dateTupleToMMSlashDDSlashYYYY, dateTupleToMSlashDSlashYYYY, dateTupleToMMSlashDDSlashYY, dateTupleToMSlashDSlashYY, dateTupleToMMDDYY, dateTupleToMMMSpaceDDSpaceYY, dateTupleToMMMSpaceDDSpaceYYYY, dateTupleToMMMSpaceDDCommaSpaceYY, dateTupleToMMMSpaceDDCommaSpaceYYYY, dateTupleToDDDashMMDashYYYY, dateTupleToDDashMDashYYYY, dateTupleToDDDotMMDotYYYY, dateTupleToDDotMDotYYYY, dateTupleToYYYYDotMMDotDD, dateTupleToYYYYDotMDotD, dateTupleToYYYYMMDD, dateTupleToYYYYDashMDashD, dateTupleToDSpaceMMMSpaceYYYY, dateTupleToYYYYDashMMDashDD, INPUT_FNS, encodeInputDateStrings, encodeOutputDateStrings };
})();

// ---- date-conversion-attention/model.js (tfjs-examples; imports/exports dropped) ----
/**
 * A custom layer used to obtain the last time step of an RNN sequential
 * output.
 */
class GetLastTimestepLayer extends tf.layers.Layer {
  constructor(config) {
    super(config || {});
    this.supportMasking = true;
  }

  computeOutputShape(inputShape) {
    const outputShape = inputShape.slice();
    outputShape.splice(outputShape.length - 2, 1);
    return outputShape;
  }

  call(input) {
    if (Array.isArray(input)) {
      input = input[0];
    }
    const inputRank = input.shape.length;
    tf.util.assert(inputRank === 3, `Invalid input rank: ${inputRank}`);
    return input.gather([input.shape[1] - 1], 1).squeeze([1]);
  }

  static get className() {
    return 'GetLastTimestepLayer';
  }
}
tf.serialization.registerClass(GetLastTimestepLayer);

/**
 * Create an LSTM-based attention model for date conversion.
 *
 * @param {number} inputVocabSize Input vocabulary size. This includes
 *   the padding symbol. In the context of this model, "vocabulary" means
 *   the set of all unique characters that might appear in the input date
 *   string.
 * @param {number} outputVocabSize Output vocabulary size. This includes
 *   the padding and starting symbols. In the context of this model,
 *   "vocabulary" means the set of all unique characters that might appear in
 *   the output date string.
 * @param {number} inputLength Maximum input length (# of characters). Input
 *   sequences shorter than the length must be padded at the end.
 * @param {number} outputLength Output length (# of characters).
 * @return {tf.Model} A compiled model instance.
 */
function createModel(
    inputVocabSize, outputVocabSize, inputLength, outputLength) {
  const embeddingDims = 64;
  const lstmUnits = 64;

  const encoderInput = tf.input({shape: [inputLength]});
  const decoderInput = tf.input({shape: [outputLength]});

  let encoder = tf.layers.embedding({
    inputDim: inputVocabSize,
    outputDim: embeddingDims,
    inputLength,
    maskZero: true
  }).apply(encoderInput);
  encoder = tf.layers.lstm({
    units: lstmUnits,
    returnSequences: true
  }).apply(encoder);

  const encoderLast = new GetLastTimestepLayer({
    name: 'encoderLast'
  }).apply(encoder);

  let decoder = tf.layers.embedding({
    inputDim: outputVocabSize,
    outputDim: embeddingDims,
    inputLength: outputLength,
    maskZero: true
  }).apply(decoderInput);
  decoder = tf.layers.lstm({
    units: lstmUnits,
    returnSequences: true
  }).apply(decoder, {initialState: [encoderLast, encoderLast]});

  let attention = tf.layers.dot({axes: [2, 2]}).apply([decoder, encoder]);
  attention = tf.layers.activation({
    activation: 'softmax',
    name: 'attention'
  }).apply(attention);

  const context = tf.layers.dot({
    axes: [2, 1],
    name: 'context'
  }).apply([attention, encoder]);
  const decoderCombinedContext =
      tf.layers.concatenate().apply([context, decoder]);
  let output = tf.layers.timeDistributed({
    layer: tf.layers.dense({
      units: lstmUnits,
      activation: 'tanh'
    })
  }).apply(decoderCombinedContext);
  output = tf.layers.timeDistributed({
    layer: tf.layers.dense({
      units: outputVocabSize,
      activation: 'softmax'
    })
  }).apply(output);

  const model = tf.model({
    inputs: [encoderInput, decoderInput],
    outputs: output
  });
  model.compile({
    loss: 'categoricalCrossentropy',
    optimizer: 'adam'
  });
  return model;
}

/**
 * Perform sequence-to-sequence decoding for date conversion.
 *
 * @param {tf.Model} model The model to be used for the sequence-to-sequence
 *   decoding, with two inputs:
 *   1. Encoder input of shape `[numExamples, inputLength]`
 *   2. Decoder input of shape `[numExamples, outputLength]`
 *   and one output:
 *   1. Decoder softmax probability output of shape
 *      `[numExamples, outputLength, outputVocabularySize]`
 * @param {string} inputStr Input date string to be converted.
 * @return {{outputStr: string, attention?: tf.Tensor}}
 *   - The `outputStr` field is the output date string.
 *   - If and only if `getAttention` is `true`, the `attention` field will
 *     be populated by attention matrix as a `tf.Tensor` of
 *     dtype `float32` and shape `[]`.
 */
async function runSeq2SeqInference(
    model, inputStr, getAttention = false) {
  return tf.tidy(() => {
    const encoderInput = dateFormat.encodeInputDateStrings([inputStr]);
    const decoderInput = tf.buffer([1, dateFormat.OUTPUT_LENGTH]);
    decoderInput.set(dateFormat.START_CODE, 0, 0);

    for (let i = 1; i < dateFormat.OUTPUT_LENGTH; ++i) {
      const predictOut = model.predict(
          [encoderInput, decoderInput.toTensor()]);
      const output = predictOut.argMax(2).dataSync()[i - 1];
      predictOut.dispose();
      decoderInput.set(output, 0, i);
    }

    const output = {outputStr: ''};

    // The `tf.Model` instance used for the final time step varies depending on
    // whether the attention matrix is requested or not.
    let finalStepModel = model;
    if (getAttention) {
      // If the attention matrix is requested, construct a two-output model.
      // - The 1st output is the original decoder output.
      // - The 2nd output is the attention matrix.
      finalStepModel = tf.model({
        inputs: model.inputs,
        outputs: model.outputs.concat([model.getLayer('attention').output])
      });
    }

    const finalPredictOut = finalStepModel.predict(
        [encoderInput, decoderInput.toTensor()]);
    let decoderFinalOutput;  // The decoder's final output.
    if (getAttention) {
      decoderFinalOutput = finalPredictOut[0];
      output.attention = finalPredictOut[1];
    } else {
      decoderFinalOutput = finalPredictOut;
    }
    decoderFinalOutput =
    decoderFinalOutput.argMax(2).dataSync()[dateFormat.OUTPUT_LENGTH - 1];

    for (let i = 1; i < decoderInput.shape[1]; ++i) {
      output.outputStr += dateFormat.OUTPUT_VOCAB[decoderInput.get(0, i)];
    }
    output.outputStr += dateFormat.OUTPUT_VOCAB[decoderFinalOutput];
    return output;
  });
}

// ---- date-conversion-attention/train.js (unchanged but the awaited run()) ----
/**
 * Training an attention LSTM sequence-to-sequence decoder to translate
 * various date formats into the ISO date format.
 *
 * Inspired by and loosely based on
 * https://github.com/wanasit/katakana/blob/master/notebooks/Attention-based%20Sequence-to-Sequence%20in%20Keras.ipynb
 */


/**
 * Generate sets of data for training.
 *
 * @param {number} trainSplit Trainining split. Must be >0 and <1.
 * @param {number} valSplit Validatoin split. Must be >0 and <1.
 * @return An `Object` consisting of
 *   - trainEncoderInput, as a `tf.Tensor` of shape
 *     `[numTrainExapmles, inputLength]`
 *   - trainDecoderInput, as a `tf.Tensor` of shape
 *     `[numTrainExapmles, outputLength]`. The first element of every
 *     example has been set as START_CODE (the sequence-start symbol).
 *   - trainDecoderOuptut, as a one-hot encoded `tf.Tensor` of shape
 *     `[numTrainExamples, outputLength, outputVocabSize]`.
 *   - valEncoderInput, same as trainEncoderInput, but for the validation set.
 *   - valDecoderInput, same as trainDecoderInput, but for the validation set.
 *   - valDecoderOutput, same as trainDecoderOuptut, but for the validation
 *     set.
 *   - testDateTuples, date tuples ([year, month, day]) for the test set.
 */
function generateDataForTraining(trainSplit = 0.25, valSplit = 0.15) {
  tf.util.assert(
      trainSplit > 0 && valSplit > 0 && trainSplit + valSplit <= 1,
      `Invalid trainSplit (${trainSplit}) and valSplit (${valSplit})`);

  const dateTuples = [];
  const MIN_YEAR = 1950;
  const MAX_YEAR = 2050;
  for (let date = new Date(MIN_YEAR,0,1);
       date.getFullYear() < MAX_YEAR;
       date.setDate(date.getDate() + 1)) {
    dateTuples.push([date.getFullYear(), date.getMonth() + 1, date.getDate()]);
  }
  tf.util.shuffle(dateTuples);

  const numTrain = Math.floor(dateTuples.length * trainSplit);
  const numVal = Math.floor(dateTuples.length * valSplit);
  console.log(`Number of dates used for training: ${numTrain}`);
  console.log(`Number of dates used for validation: ${numVal}`);
  console.log(
      `Number of dates used for testing: ` +
      `${dateTuples.length - numTrain - numVal}`);

  function dateTuplesToTensor(dateTuples) {
    return tf.tidy(() => {
      const inputs =
          dateFormat.INPUT_FNS.map(fn => dateTuples.map(tuple => fn(tuple)));
      const inputStrings = [];
      inputs.forEach(inputs => inputStrings.push(...inputs));
      const encoderInput =
          dateFormat.encodeInputDateStrings(inputStrings);
      const trainTargetStrings = dateTuples.map(
          tuple => dateFormat.dateTupleToYYYYDashMMDashDD(tuple));
      let decoderInput =
          dateFormat.encodeOutputDateStrings(trainTargetStrings)
          .asType('float32');
      // One-step time shift: The decoder input is shifted to the left by
      // one time step with respect to the encoder input. This accounts for
      // the step-by-step decoding that happens during inference time.
      decoderInput = tf.concat([
        tf.ones([decoderInput.shape[0], 1]).mul(dateFormat.START_CODE),
        decoderInput.slice(
            [0, 0], [decoderInput.shape[0], decoderInput.shape[1] - 1])
      ], 1).tile([dateFormat.INPUT_FNS.length, 1]);
      const decoderOutput = tf.oneHot(
          dateFormat.encodeOutputDateStrings(trainTargetStrings),
          dateFormat.OUTPUT_VOCAB.length).tile(
              [dateFormat.INPUT_FNS.length, 1, 1]);
      return {encoderInput, decoderInput, decoderOutput};
    });
  }

  const {
    encoderInput: trainEncoderInput,
    decoderInput: trainDecoderInput,
    decoderOutput: trainDecoderOutput
  } = dateTuplesToTensor(dateTuples.slice(0, numTrain));
  const {
    encoderInput: valEncoderInput,
    decoderInput: valDecoderInput,
    decoderOutput: valDecoderOutput
  } = dateTuplesToTensor(dateTuples.slice(numTrain, numTrain + numVal));
  const testDateTuples =
      dateTuples.slice(numTrain + numVal, dateTuples.length);
  return {
    trainEncoderInput,
    trainDecoderInput,
    trainDecoderOutput,
    valEncoderInput,
    valDecoderInput,
    valDecoderOutput,
    testDateTuples
  };
}

function parseArguments() {
  const argParser = new argparse.ArgumentParser({
    description:
        'Train an attention-based date-conversion model in TensorFlow.js'
  });
  argParser.addArgument('--gpu', {
    action: 'storeTrue',
    help: 'Use tfjs-node-gpu to train the model. Requires CUDA/CuDNN.'
  });
  argParser.addArgument('--epochs', {
    type: 'int',
    defaultValue: 2,
    help: 'Number of epochs to train the model for'
  });
  argParser.addArgument('--batchSize', {
    type: 'int',
    defaultValue: 128,
    help: 'Batch size to be used during model training'
  });
  argParser.addArgument('--trainSplit ', {
    type: 'float',
    defaultValue: 0.25,
    help: 'Fraction of all possible dates to use for training. Must be ' +
    '> 0 and < 1. Its sum with valSplit must be <1.'
  });
  argParser.addArgument('--valSplit', {
    type: 'float',
    defaultValue: 0.15,
    help: 'Fraction of all possible dates to use for training. Must be ' +
    '> 0 and < 1. Its sum with trainSplit must be <1.'
  });
  argParser.addArgument('--savePath', {
    type: 'string',
    defaultValue: './dist/model',
  });
  argParser.addArgument('--logDir', {
    type: 'string',
    help: 'Optional tensorboard log directory, to which the loss and ' +
    'accuracy will be logged during model training.'
  });
  argParser.addArgument('--logUpdateFreq', {
    type: 'string',
    defaultValue: 'batch',
    optionStrings: ['batch', 'epoch'],
    help: 'Frequency at which the loss and accuracy will be logged to ' +
    'tensorboard.'
  });
  return argParser.parseArgs();
}

async function run() {
  const args = parseArguments();
  let tfn;
  if (args.gpu) {
    console.log('Using GPU');
    tfn = require('@tensorflow/tfjs-node-gpu');
  } else {
    console.log('Using CPU');
    tfn = require('@tensorflow/tfjs-node');
  }

  const model = createModel(
      dateFormat.INPUT_VOCAB.length, dateFormat.OUTPUT_VOCAB.length,
      dateFormat.INPUT_LENGTH, dateFormat.OUTPUT_LENGTH);
  model.summary();

  const {
    trainEncoderInput,
    trainDecoderInput,
    trainDecoderOutput,
    valEncoderInput,
    valDecoderInput,
    valDecoderOutput,
    testDateTuples
  } = generateDataForTraining(args.trainSplit, args.valSplit);

  await model.fit(
      [trainEncoderInput, trainDecoderInput], trainDecoderOutput, {
        epochs: args.epochs,
        batchSize: args.batchSize,
        shuffle: true,
        validationData: [[valEncoderInput, valDecoderInput], valDecoderOutput],
        callbacks: args.logDir == null ? null :
            tfn.node.tensorBoard(args.logDir, {updateFreq: args.logUpdateFreq})
      });

  // Save the model.
  if (args.savePath != null && args.savePath.length) {
    if (!fs.existsSync(args.savePath)) {
      shelljs.mkdir('-p', args.savePath);
    }
    const saveURL = `file://${args.savePath}`
    await model.save(saveURL);
    console.log(`Saved model to ${saveURL}`);
  }

  // Run seq2seq inference tests and print the results to console.
  const numTests = 10;
  for (let n = 0; n < numTests; ++n) {
    for (const testInputFn of dateFormat.INPUT_FNS) {
      const inputStr = testInputFn(testDateTuples[n]);
      console.log('\n-----------------------');
      console.log(`Input string: ${inputStr}`);
      const correctAnswer =
          dateFormat.dateTupleToYYYYDashMMDashDD(testDateTuples[n]);
      console.log(`Correct answer: ${correctAnswer}`);

      const {outputStr} = await runSeq2SeqInference(model, inputStr);
      const isCorrect = outputStr === correctAnswer;
      console.log(
          `Model output: ${outputStr} (${isCorrect ? 'OK' : 'WRONG'})` );
    }
  }
}

await run(); // [corpus] what `if (require.main === module) run();` does, awaited

// ---- [corpus] result ----
console.log = corpusConsoleLog;
const corpusSaved = await tf.loadLayersModel(`file://${corpusSavePath}/model.json`);
const corpusAttention = await runSeq2SeqInference(corpusSaved, '12/25/2020', true);
console.log(JSON.stringify({
  answers: corpusAnswers.ok + corpusAnswers.wrong,
  correct: corpusAnswers.ok,
  savedLayers: corpusSaved.layers.length,
  savedCustomLayer: corpusSaved.getLayer('encoderLast').getClassName(),
  attentionShape: corpusAttention.attention.shape,
}));
