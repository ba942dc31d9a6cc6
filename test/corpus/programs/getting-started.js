// Corpus program: getting-started (the smallest train/predict: a one-unit dense layer learns y = 2x - 1).
// Source: tensorflow/tfjs-examples@0521725666e4504948eed00fe372b92510cc74f9, getting-started/index.js.
// Changes: the page's output element is a stand-in; the last call is awaited; the result is printed as JSON.

// ---- [corpus] stand-in for the page ----
const corpusOut = {};
const document = { getElementById: () => corpusOut };

// ---- getting-started/index.js (unchanged but the last call) ----
// This tiny example illustrates how little code is necessary build /
// train / predict from a model in TensorFlow.js.  Edit this code
// and refresh the index.html to quickly explore the API.

// Tiny TFJS train / predict example.
async function run() {
  // Create a simple model.
  const model = tf.sequential();
  model.add(tf.layers.dense({units: 1, inputShape: [1]}));

  // Prepare the model for training: Specify the loss and the optimizer.
  model.compile({loss: 'meanSquaredError', optimizer: 'sgd'});

  // Generate some synthetic data for training. (y = 2x - 1)
  const xs = tf.tensor2d([-1, 0, 1, 2, 3, 4], [6, 1]);
  const ys = tf.tensor2d([-3, -1, 1, 3, 5, 7], [6, 1]);

  // Train the model using the data.
  await model.fit(xs, ys, {epochs: 250});

  // Use the model to do inference on a data point the model hasn't seen.
  // Should print approximately 39.
  document.getElementById('micro-out-div').innerText =
      model.predict(tf.tensor2d([20], [1, 1])).dataSync();
}

await run(); // [corpus] awaited, so the cell ends when training has

// ---- [corpus] result: the prediction for x = 20 (about 39) ----
console.log(JSON.stringify({ prediction: Number(corpusOut.innerText[0]) }));
