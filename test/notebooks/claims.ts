/**
 * What each tutorial notebook claims to show, asserted on its executed outputs: the numbers it
 * printed and the figures it drew, as a reader sees them.
 */
import { expect } from "vitest";
import { figure, figures, numbersFrom, printed, type StoredNotebook, trace } from "./outputs.js";

const increasing = (ys: number[]) => ys.every((y, i) => i === 0 || y > ys[i - 1]!);

export const claims: Record<string, (nb: StoredNotebook) => void> = {
  "01-neural-networks-and-deep-learning"(nb) {
    // Cross-entropy corrects a confidently wrong neuron much faster than squared error.
    const [ce, mse] = numbersFrom(nb, /steps to reach 90 % accuracy: cross-entropy (\d+), squared error (\d+)/);
    expect(ce).toBeLessThanOrEqual(10);
    expect(mse).toBeGreaterThan(3 * ce!);
    const run = figure(nb, "One neuron, started confidently wrong");
    expect(trace(run, "cross-entropy").y!.at(-1)).toBeGreaterThanOrEqual(0.95);
    // SGD and Adam reach the noise floor (0.01) in 30 epochs; full-batch GD lags behind.
    const [gd, sgd, adam] = numbersFrom(nb, /final MSE — GD ([\d.]+), SGD ([\d.]+), Adam ([\d.]+)/);
    expect(Math.max(sgd!, adam!)).toBeLessThan(0.02);
    expect(gd).toBeGreaterThan(sgd!);
    expect(numbersFrom(nb, /test accuracy: ([\d.]+) %/)[0]).toBeGreaterThanOrEqual(92);
  },

  "02-backpropagation-step-by-step"(nb) {
    expect(numbersFrom(nb, /test accuracy of the hand-trained network: ([\d.]+) %/)[0]).toBeGreaterThanOrEqual(87);
    // The scalar autograd engine agrees with tf.grads, on one neuron and on every parameter of a trained MLP.
    expect(numbersFrom(nb, /∂o\/∂\(w1, w2, b\):.*largest difference ([\d.e+-]+)/)[0]).toBeLessThan(1e-6);
    const [count, scale, gap] = numbersFrom(
      nb,
      /(\d+) gradients: largest \|gradient\| ([\d.e+-]+), largest difference Value vs tf\.grads ([\d.e+-]+)/,
    );
    expect(count).toBe(67);
    expect(scale).toBeGreaterThan(1e-3);
    expect(gap).toBeLessThan(1e-5);
    const [lossBefore, lossAfter, accuracy] = numbersFrom(nb, /loss ([\d.]+) → ([\d.]+), training accuracy (\d+) %/);
    expect(lossAfter).toBeLessThan(lossBefore! / 5);
    expect(accuracy).toBeGreaterThanOrEqual(90);
    // The traced graph is drawn with the variables' names.
    const graph = nb.cells
      .flatMap((c) => c.outputs ?? [])
      .find((o) => o.data?.["image/svg+xml"] && [o.data["text/plain"]].flat().join("").startsWith("Mul(x1, w1)"));
    expect(graph, "the tf.trace graph of the neuron").toBeDefined();
    expect([graph!.data!["image/svg+xml"]].flat().join("")).toContain("grad 0.05822");
    expect(numbersFrom(nb, /test loss [\d.]+, test accuracy ([\d.]+) %/)[0]).toBeGreaterThanOrEqual(88);
  },

  "03-optimizers-and-regularization"(nb) {
    for (const name of ["Momentum", "AdaGrad", "Adam"])
      expect(numbersFrom(nb, new RegExp(`${name}\\s+ends (\\d+)× closer`))[0]).toBeGreaterThan(10);
    // Over-fitting shown: without regularization the validation loss turns and climbs while the training loss falls.
    const curves = figure(nb, "Training vs validation loss: no regularization and three cures");
    const noneValidation = trace(curves, "validation").y!;
    expect(noneValidation.at(-1)! - Math.min(...noneValidation)).toBeGreaterThan(0.05);
    expect(trace(curves, "training").y!.at(-1)).toBeLessThan(0.02);
    // Each cure ends with a lower validation loss than no regularization.
    const final = (cure: string) =>
      numbersFrom(
        nb,
        new RegExp(`${cure}\\s+\\d+ epochs · training MSE [\\d.]+ · validation MSE of the final model ([\\d.]+)`),
      )[0]!;
    for (const cure of ["L2", "dropout", "early stopping"])
      expect(final(cure), cure).toBeLessThan(final("none") - 0.03);
    // Memorizing random labels: training loss falls, held-out loss stays at chance.
    const [memoTrain, memoHeldOut] = numbersFrom(
      nb,
      /random labels, epoch 10: training loss ([\d.]+), held-out loss ([\d.]+)/,
    );
    expect(memoTrain).toBeLessThan(2);
    expect(memoHeldOut).toBeGreaterThan(Math.log(10) - 0.1);
    // Augmentation: shifted copies make the network far better on shifted digits.
    const [, plainShifted] = numbersFrom(
      nb,
      /trained on the digits as they are:\s+test ([\d.]+) %, shifted test ([\d.]+) %/,
    );
    const [augmentedTest, augmentedShifted] = numbersFrom(
      nb,
      /trained with shifted copies:\s+test ([\d.]+) %, shifted test ([\d.]+) %/,
    );
    expect(augmentedShifted).toBeGreaterThan(plainShifted! + 15);
    expect(augmentedTest).toBeGreaterThan(80);
    // Distillation: the teacher's softened outputs teach a small student more than the labels.
    const [fromLabels] = numbersFrom(nb, /student learning from true labels\s*: ([\d.]+) %/);
    const [fromTeacher] = numbersFrom(nb, /student learning from teacher, T = 3\s*: ([\d.]+) %/);
    expect(fromTeacher).toBeGreaterThan(fromLabels! + 10);
  },

  "04-regression-cnn-rnn"(nb) {
    const [gd0, gd1] = numbersFrom(nb, /gradient descent: θ0 = ([-\d.]+), θ1 = ([-\d.]+)/);
    const [ne0, ne1] = numbersFrom(nb, /normal equations: θ0 = ([-\d.]+), θ1 = ([-\d.]+)/);
    expect(Math.abs(gd0! - ne0!) + Math.abs(gd1! - ne1!)).toBeLessThan(0.02);
    // A network draws a curved boundary that a straight line cannot.
    const [network, logistic] = numbersFrom(
      nb,
      /the network after 120 epochs: ([\d.]+) % .*\(logistic regression: ([\d.]+) %\)/,
    );
    expect(network).toBeGreaterThanOrEqual(95);
    expect(logistic).toBeLessThan(90);
    const boundary = figure(nb, "A curved decision boundary forming during training");
    expect(boundary.data.filter((t) => t.type === "heatmap").length).toBe(4);
    expect(numbersFrom(nb, /test accuracy on 500 coloured digits: ([\d.]+) %/)[0]).toBeGreaterThanOrEqual(85);
    expect(numbersFrom(nb, /test accuracy: ([\d.]+) % \(always answering/)[0]).toBeGreaterThanOrEqual(75);
  },

  "05-activations-init-cnn-backprop"(nb) {
    // Through depth: with sigmoids the gradient falls at every layer on its way back to the input.
    const depth = figure(nb, "Gradient size per layer, before training");
    const sigmoid = trace(depth, "sigmoid, Glorot").y!;
    expect(increasing(sigmoid), `log₁₀ norms by layer: ${sigmoid}`).toBe(true);
    expect(sigmoid[9]! - sigmoid[0]!).toBeGreaterThan(3);
    const he = trace(depth, "ReLU, He").y!;
    expect(Math.max(...he) - Math.min(...he)).toBeLessThan(1);
    const tooLarge = trace(depth, "ReLU, 2 × He (too large)").y!;
    expect(tooLarge.every((y, l) => y > he[l]! + 2)).toBe(true);
    // Through time: small recurrent weights make early inputs vanish; large ones make them explode.
    const time = figure(nb, "How much each input step reaches the final state");
    const small = trace(time, "U = 0.5 × rotation").y!;
    expect(small[29]! - small[0]!).toBeGreaterThan(6);
    const large = trace(time, "U = 3 × rotation").y!;
    expect(large[0]).toBeGreaterThan(large[29]!);
    // The subclassed model's summary knows its shapes.
    const summary = nb.cells
      .flatMap((c) => c.outputs ?? [])
      .map((o) => [o.data?.["text/plain"] ?? ""].flat().join(""))
      .find((t) => t.startsWith("Model: model"));
    expect(summary).toMatch(/dense_\d+ \(Dense\)\s+\[null,64\]/);
    expect(summary).not.toMatch(/\s\?\s/);
    expect(numbersFrom(nb, /test accuracy of the custom-loop model: ([\d.]+) %/)[0]).toBeGreaterThanOrEqual(88);
  },

  "06-character-language-model"(nb) {
    const nll = (name: string) => numbersFrom(nb, new RegExp(`${name}\\s+([\\d.]+) nats per symbol`))[0]!;
    const [uniform, bigram, mlp, gru] = [
      nll("uniform"),
      nll("bigram"),
      nll("MLP \\(3 symbols\\)"),
      nll("GRU \\(whole word\\)"),
    ];
    expect(uniform).toBeCloseTo(Math.log(27), 3);
    expect(bigram).toBeLessThan(uniform - 0.5);
    expect(mlp).toBeLessThan(bigram - 0.1);
    expect(gru).toBeLessThan(mlp - 0.1);
    const bars = figure(nb, "Average negative log-likelihood per symbol, validation words (lower is better)");
    expect(bars.data[0]!.y).toEqual([uniform, bigram, mlp, gru].map((v) => expect.closeTo(v, 2)));
    // The models write: 24 words of letters each.
    for (const name of ["bigram model", "MLP, 3 symbols of context", "GRU, T = 1"]) {
      const line = new RegExp(`^${name}: (.*)$`, "m").exec(printed(nb))?.[1] ?? "";
      expect(line.split(" ").filter((w) => /^[a-z]+$/.test(w)).length, name).toBeGreaterThanOrEqual(20);
    }
    expect(figures(nb).length).toBeGreaterThanOrEqual(4);
  },
};
