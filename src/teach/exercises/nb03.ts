/** Exercises of notebook 03 (optimizer steps, L2, dropout, early stopping, softened targets). */
import * as tf from "../../tf.js";
import { call, exercise, wrong } from "../exercise.js";
import { allClose, close, fmt, numberOf, tensorOf, valuesOf, vectorOf } from "../grading.js";

type Step = { theta: number[]; v: number[] };
type AdamState = { theta: number[]; m: number[]; v: number[] };

/** The fields of an answer object, each as numbers of the expected length. */
function fieldsOf<K extends string>(value: unknown, keys: K[], length: number, what: string): Record<K, number[]> {
  if (value === null || typeof value !== "object")
    wrong(`${what} should be an object { ${keys.join(", ")} }, but it is ${String(value)}.`);
  const out = {} as Record<K, number[]>;
  for (const k of keys) out[k] = vectorOf((value as Record<string, unknown>)[k], `${k} in ${what}`, length);
  return out;
}

/** Early stopping as TF.js and Keras do it: stop when `patience` epochs in a row did not improve. */
function simulateEarlyStop(losses: number[], patience: number): { stopAfter: number; best: number } {
  let best = 0;
  let wait = 0;
  for (let i = 0; i < losses.length; i++) {
    if (i === 0 || losses[i]! < losses[best - 1]!) {
      best = i + 1;
      wait = 0;
    } else if (++wait >= patience) return { stopAfter: i + 1, best };
  }
  return { stopAfter: losses.length, best };
}

export const nb03 = {
  /**
   * Exercise 03·1: one momentum step, v ← μ·v + g, θ ← θ − η·v.
   * @example check.momentumStep(myMomentumStep)
   */
  momentumStep: exercise<(theta: number[], g: number[], v: number[], eta: number, mu: number) => Step>({
    name: "momentumStep",
    notebook: "03",
    task: "return { theta, v } after one step: first v ← μ·v + g, then θ ← θ − η·v (element by element)",
    hints: [
      "Update the velocity first, then move θ with the *new* velocity.",
      "`const vNew = v.map((vi, i) => mu * vi + g[i]);` then `theta.map((t, i) => t - eta * vNew[i])`.",
    ],
    solution: `function myMomentumStep(theta: number[], g: number[], v: number[], eta: number, mu: number): { theta: number[]; v: number[] } {
  const vNew = v.map((vi, i) => mu * vi + g[i]);
  return { theta: theta.map((t, i) => t - eta * vNew[i]), v: vNew };
}`,
    grade(answer) {
      const cases: [number[], number[], number[], number, number][] = [
        [[1, -1], [0.5, -0.2], [0, 0], 0.1, 0.9],
        [[0.3, 2, -1], [1, 0, -2], [0.4, -0.1, 0.2], 0.05, 0.9],
      ];
      for (const [theta, g, v, eta, mu] of cases) {
        const when = `for θ = ${fmt(theta)}, g = ${fmt(g)}, v = ${fmt(v)}, η = ${eta}, μ = ${mu}`;
        const got = fieldsOf(
          call(answer, [theta.slice(), g.slice(), v.slice(), eta, mu], when),
          ["theta", "v"],
          theta.length,
          `your result ${when}`,
        );
        const vNew = v.map((vi, i) => mu * vi + g[i]!);
        const tNew = theta.map((t, i) => t - eta * vNew[i]!);
        if (!allClose(got.v, vNew))
          wrong(`${when} the new velocity should be μ·v + g = ${fmt(vNew)}, but yours is ${fmt(got.v)}.`);
        if (allClose(got.theta, tNew)) continue;
        if (
          allClose(
            got.theta,
            theta.map((t, i) => t - eta * v[i]!),
          )
        )
          wrong(`${when} θ moved with the old velocity; update v first and step with the new one.`);
        if (
          allClose(
            got.theta,
            theta.map((t, i) => t + eta * vNew[i]!),
          )
        )
          wrong(`${when} θ moved uphill: subtract η·v.`);
        wrong(`${when} θ should become ${fmt(tNew)}, yours is ${fmt(got.theta)}.`);
      }
      return `${cases.length} steps, one starting with a velocity already built up`;
    },
  }),

  /**
   * Exercise 03·2: one Adam step with bias correction (β₁ = 0.9, β₂ = 0.999, ε = 1e-7).
   * @example check.adamStep(myAdamStep)
   */
  adamStep: exercise<(theta: number[], g: number[], m: number[], v: number[], t: number, eta: number) => AdamState>({
    name: "adamStep",
    notebook: "03",
    task: "return { theta, m, v } after Adam's step number t (t counts from 1), with β₁ = 0.9, β₂ = 0.999, ε = 1e-7",
    hints: [
      "Four lines, element by element: m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; m̂ = m/(1−β₁ᵗ); v̂ = v/(1−β₂ᵗ).",
      "Then θ ← θ − η·m̂/(√v̂ + ε). The returned m and v are the uncorrected ones (the state for the next step).",
      "Without the corrections the first steps are far too large: m and v start at 0 and need many steps to warm up.",
    ],
    solution: `function myAdamStep(theta: number[], g: number[], m: number[], v: number[], t: number, eta: number): { theta: number[]; m: number[]; v: number[] } {
  const [beta1, beta2, eps] = [0.9, 0.999, 1e-7];
  const mNew = m.map((mi, i) => beta1 * mi + (1 - beta1) * g[i]);
  const vNew = v.map((vi, i) => beta2 * vi + (1 - beta2) * g[i] ** 2);
  const thetaNew = theta.map((th, i) => {
    const mHat = mNew[i] / (1 - beta1 ** t), vHat = vNew[i] / (1 - beta2 ** t);
    return th - (eta * mHat) / (Math.sqrt(vHat) + eps);
  });
  return { theta: thetaNew, m: mNew, v: vNew };
}`,
    grade(answer) {
      const [b1, b2, eps] = [0.9, 0.999, 1e-7];
      const cases: [number[], number[], number[], number[], number, number][] = [
        [[1, -2], [0.5, -3], [0, 0], [0, 0], 1, 0.1],
        [[0.2, 0.4, -0.6], [0.1, -0.2, 0.05], [0.05, -0.1, 0.01], [0.002, 0.01, 0.0004], 5, 0.01],
      ];
      for (const [theta, g, m, v, t, eta] of cases) {
        const when = `for step t = ${t} with θ = ${fmt(theta)}, g = ${fmt(g)}, m = ${fmt(m)}, v = ${fmt(v)}, η = ${eta}`;
        const got = fieldsOf(
          call(answer, [theta.slice(), g.slice(), m.slice(), v.slice(), t, eta], when),
          ["theta", "m", "v"],
          theta.length,
          `your result ${when}`,
        );
        const mNew = m.map((mi, i) => b1 * mi + (1 - b1) * g[i]!);
        const vNew = v.map((vi, i) => b2 * vi + (1 - b2) * g[i]! ** 2);
        if (!allClose(got.m, mNew, 1e-5))
          wrong(`${when} m should become β₁m + (1−β₁)g = ${fmt(mNew)}, yours is ${fmt(got.m)}.`);
        if (!allClose(got.v, vNew, 1e-5))
          wrong(`${when} v should become β₂v + (1−β₂)g² = ${fmt(vNew)}, yours is ${fmt(got.v)}.`);
        const step = (correct: boolean) =>
          theta.map((th, i) => {
            const mh = correct ? mNew[i]! / (1 - b1 ** t) : mNew[i]!;
            const vh = correct ? vNew[i]! / (1 - b2 ** t) : vNew[i]!;
            return th - (eta * mh) / (Math.sqrt(vh) + eps);
          });
        if (allClose(got.theta, step(true), 1e-5)) continue;
        if (got.theta.some((x) => !Number.isFinite(x)))
          wrong(`${when} θ became ${fmt(got.theta)}: t counts from 1, so 1 − β₁ᵗ is never 0.`);
        if (allClose(got.theta, step(false), 1e-5))
          wrong(
            `${when} θ moved without the bias correction (m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ)); at t = 1 that makes the step about 3× too large.`,
          );
        wrong(`${when} θ should become ${fmt(step(true))}, yours is ${fmt(got.theta)}.`);
      }
      return `${cases.length} steps: the first (where the bias correction matters most) and a later one`;
    },
  }),

  /**
   * Exercise 03·3: the L2 penalty λ·Σw² over a list of weight tensors.
   * @example check.l2Penalty(myL2Penalty)
   */
  l2Penalty: exercise<(weights: tf.Tensor[], lambda: number) => tf.Tensor>({
    name: "l2Penalty",
    notebook: "03",
    task: "return λ times the sum of the squares of every entry of every tensor in weights, as a scalar",
    hints: [
      "For one tensor: `w.square().sum()`. Add those up over the list, then multiply by λ.",
      "`tf.addN(weights.map((w) => w.square().sum())).mul(lambda)` does it in one line.",
    ],
    solution: `function myL2Penalty(weights: tf.Tensor[], lambda: number): tf.Tensor {
  return tf.addN(weights.map((w) => w.square().sum())).mul(lambda);
}`,
    grade(answer) {
      const ws = [
        [
          [0.5, -1],
          [2, 0],
        ],
        [0.1, -0.3, 0.2],
        [[3]],
      ];
      const lambda = 0.01;
      const when = `for a 2×2, a length-3 and a 1×1 weight tensor, λ = ${lambda}`;
      const out = tensorOf(call(answer, [ws.map((w) => tf.tensor(w)), lambda], when), `your penalty ${when}`);
      if (out.size !== 1) wrong(`${when} your penalty has shape [${out.shape}]; it should be one number.`);
      const got = valuesOf(out)[0]!;
      const flat = ws.flat(2) as number[];
      const sq = flat.reduce((s, v) => s + v * v, 0);
      if (close(got, lambda * sq)) return "three tensors of different shapes";
      if (close(got, lambda * flat.reduce((s, v) => s + Math.abs(v), 0)))
        wrong(`${when} you summed |w|: that is the L1 penalty; L2 squares each weight.`);
      if (close(got, sq)) wrong(`${when} λ is missing.`);
      const firstOnly = (ws[0]!.flat() as number[]).reduce((s, v) => s + v * v, 0) * lambda;
      if (close(got, firstOnly))
        wrong(`${when} only the first tensor counted; add the penalty of every tensor in the list.`);
      return wrong(`${when} the penalty is ${fmt(lambda * sq)}, yours is ${fmt(got)}.`);
    },
  }),

  /**
   * Exercise 03·4: inverted dropout at training time: zero each entry with probability `rate`, scale the rest by 1/(1 − rate).
   * @example check.dropout(myDropout)
   */
  dropout: exercise<(x: tf.Tensor, rate: number) => tf.Tensor>({
    name: "dropout",
    notebook: "03",
    task: "set each entry of x to 0 with probability rate and divide the others by (1 − rate), so the mean stays the same",
    hints: [
      "A random mask: `tf.randomUniform(x.shape).greaterEqual(rate)` is true with probability 1 − rate.",
      "Multiply x by the mask (cast to float32) and divide by (1 − rate): the survivors make up for the dropped ones.",
    ],
    solution: `function myDropout(x: tf.Tensor, rate: number): tf.Tensor {
  const keep = tf.randomUniform(x.shape).greaterEqual(rate).cast("float32");
  return x.mul(keep).div(1 - rate);
}`,
    grade(answer) {
      const x = tf.range(1, 20001).reshape([200, 100]);
      const xs = valuesOf(x);
      for (const rate of [0.3, 0.5]) {
        const when = `for a 200×100 input and rate ${rate}`;
        const out = tensorOf(call(answer, [x, rate], when), `your output ${when}`);
        if (out.shape.join() !== x.shape.join())
          wrong(`${when} your output has shape [${out.shape}]; dropout keeps the shape.`);
        const got = valuesOf(out);
        const zeros = got.filter((v) => v === 0).length / got.length;
        if (Math.abs(zeros - (1 - rate)) < 0.03 && rate !== 0.5)
          wrong(
            `${when} ${fmt(zeros * 100)} % of the entries are 0: you kept entries with probability rate; rate is the share to *drop*.`,
          );
        if (Math.abs(zeros - rate) > 0.03)
          wrong(`${when} ${fmt(zeros * 100)} % of the entries are 0, but about ${rate * 100} % should be.`);
        const kept = got.map((v, i) => (v === 0 ? undefined : v / xs[i]!)).filter((r): r is number => r !== undefined);
        if (kept.every((r) => close(r, 1)))
          wrong(
            `${when} the surviving entries were not scaled: divide them by (1 − rate) = ${1 - rate}, so the expected value of each entry stays x.`,
          );
        const bad = kept.find((r) => !close(r, 1 / (1 - rate)));
        if (bad !== undefined)
          wrong(
            `${when} a surviving entry became ${fmt(bad)}× its input; it should be 1/(1 − rate) = ${fmt(1 / (1 - rate))}×.`,
          );
      }
      const same = valuesOf(tensorOf(call(answer, [x, 0], "for rate 0"), "your output for rate 0"));
      if (!allClose(same, xs)) wrong("with rate 0 nothing may be dropped: the output should equal the input.");
      return "20 000 entries at rates 0.3, 0.5 and 0 (share dropped, scaling of the survivors)";
    },
  }),

  /**
   * Exercise 03·5: early stopping: after which epoch does training stop, and which epoch was best?
   * @example check.earlyStop(myEarlyStop)
   */
  earlyStop: exercise<(valLosses: number[], patience: number) => { stopAfter: number; best: number }>({
    name: "earlyStop",
    notebook: "03",
    task: "given the validation loss after each epoch (epoch 1 first), return { stopAfter, best }: the epoch after which training stops (patience epochs in a row without a new lowest loss) and the epoch of the lowest loss seen",
    hints: [
      "Walk through the epochs keeping the best loss so far and a counter of epochs since it improved.",
      "A new lowest loss resets the counter and becomes `best`; otherwise the counter goes up, and when it reaches `patience` training stops after that epoch.",
      "Epochs are numbered from 1 here (the epoch at index i is epoch i + 1). If the counter never reaches patience, training runs every epoch.",
    ],
    solution: `function myEarlyStop(valLosses: number[], patience: number): { stopAfter: number; best: number } {
  let best = 0, wait = 0;
  for (let i = 0; i < valLosses.length; i++) {
    if (i === 0 || valLosses[i] < valLosses[best - 1]) {
      best = i + 1;
      wait = 0;
    } else if (++wait >= patience) {
      return { stopAfter: i + 1, best };
    }
  }
  return { stopAfter: valLosses.length, best };
}`,
    grade(answer) {
      const losses = [1.0, 0.8, 0.7, 0.72, 0.71, 0.69, 0.75, 0.8, 0.9];
      const curves: [number[], number][] = [
        [losses, 2],
        [losses, 3],
        [[0.5, 0.4, 0.3], 2],
        [[0.5, 0.6, 0.4, 0.45], 1],
      ];
      const cases = curves.map(([vl, p]) => {
        const r = simulateEarlyStop(vl, p);
        return [vl, p, r.stopAfter, r.best] as const;
      });
      for (const [vl, patience, stopAfter, best] of cases) {
        const when = `for losses ${fmt(vl)} and patience ${patience}`;
        const got = call(answer, [vl.slice(), patience], when);
        if (got === null || typeof got !== "object")
          wrong(`${when} return an object { stopAfter, best }, not ${String(got)}.`);
        const s = numberOf(got.stopAfter, `stopAfter ${when}`);
        const b = numberOf(got.best, `best ${when}`);
        if (s === stopAfter && b === best) continue;
        const late = simulateEarlyStop(vl, patience + 1);
        if (s === late.stopAfter && b === late.best && s !== stopAfter)
          wrong(
            `${when} you stop after epoch ${s}, but training stops as soon as ${patience} epoch(s) in a row brought no new lowest loss: after epoch ${stopAfter}. Stop when the counter *reaches* patience.`,
          );
        if (patience > 1) {
          const early = simulateEarlyStop(vl, patience - 1);
          if (s === early.stopAfter && b === early.best)
            wrong(
              `${when} you stop one epoch too soon, after epoch ${s}: wait for ${patience} epoch(s) without improvement (stop after epoch ${stopAfter}).`,
            );
        }
        if (b === best - 1) wrong(`${when} best is ${b}: number the epochs from 1 (the first loss is epoch 1).`);
        if (b !== best) wrong(`${when} the lowest loss before stopping is at epoch ${best}, not ${b}.`);
        wrong(`${when} training stops after epoch ${stopAfter}, not ${s}.`);
      }
      return `${cases.length} loss curves: stopping early, after a late improvement, never, and with patience 1`;
    },
  }),

  /**
   * Exercise 03·6: softened probabilities for distillation, softmax(z / T).
   * @example check.softTargets(mySoftTargets)
   */
  softTargets: exercise<(logits: number[], T: number) => number[]>({
    name: "softTargets",
    notebook: "03",
    task: "return softmax(z / T) of the logits z at temperature T: probabilities that flatten as T grows",
    hints: [
      "Divide every logit by T, then take the usual softmax: exponentiate and divide by the sum.",
      "`const e = logits.map((z) => Math.exp(z / T)); const s = e.reduce((a, b) => a + b); return e.map((v) => v / s);`",
    ],
    solution: `function mySoftTargets(logits: number[], T: number): number[] {
  const top = Math.max(...logits);
  const e = logits.map((z) => Math.exp((z - top) / T));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}`,
    grade(answer) {
      const z = [4, 1, 0.5, -2];
      for (const T of [1, 3, 10]) {
        const when = `for logits ${fmt(z)} at T = ${T}`;
        const got = vectorOf(call(answer, [z.slice(), T], when), `your probabilities ${when}`, z.length);
        const e = z.map((v) => Math.exp(v / T));
        const s = e.reduce((a, b) => a + b);
        const expected = e.map((v) => v / s);
        if (allClose(got, expected)) continue;
        const sum = got.reduce((a, b) => a + b, 0);
        if (!close(sum, 1))
          wrong(`${when} your probabilities sum to ${fmt(sum)}, not 1: divide by the sum of the exponentials.`);
        const times = z.map((v) => Math.exp(v * T));
        const ts = times.reduce((a, b) => a + b);
        if (
          allClose(
            got,
            times.map((v) => v / ts),
          )
        )
          wrong(
            `${when} you multiplied the logits by T; divide them by T (a high temperature should flatten the distribution).`,
          );
        wrong(`${when} expected ${fmt(expected)}, got ${fmt(got)}.`);
      }
      return "temperatures 1, 3 and 10";
    },
  }),
};
