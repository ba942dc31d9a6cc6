/** Exercises of notebook 06 (counting bigrams, smoothing, sampling, likelihood, contexts, causal attention). */
import * as tf from "../../tf.js";
import { call, exercise, wrong } from "../exercise.js";
import {
  allClose,
  caseMatrix,
  close,
  expectShape,
  firstDifference,
  fmt,
  matrixOf,
  numberOf,
  tensorOf,
  valuesOf,
} from "../grading.js";

/** The notebook's alphabet: "." (start and end of a word) is 0, "a" … "z" are 1 … 26. */
const ALPHABET = ".abcdefghijklmnopqrstuvwxyz";
const id = (c: string) => ALPHABET.indexOf(c);

function counts(words: string[]): number[][] {
  const m = Array.from({ length: 27 }, () => new Array<number>(27).fill(0));
  for (const w of words) {
    const s = `.${w}.`;
    for (let i = 0; i + 1 < s.length; i++) m[id(s[i]!)]![id(s[i + 1]!)]! += 1;
  }
  return m;
}

function normalizeRows(m: number[][], k: number): number[][] {
  return m.map((row) => {
    const s = row.reduce((a, b) => a + b + k, 0);
    return row.map((c) => (c + k) / s);
  });
}

/** The causal self-attention of one head: row i of the output mixes the rows j ≤ i of V. */
function attention(Q: tf.Tensor, K: tf.Tensor, V: tf.Tensor, options: { mask: boolean; scale: boolean }): tf.Tensor {
  const [T, d] = Q.shape as [number, number];
  let scores = Q.matMul(K.transpose());
  if (options.scale) scores = scores.div(Math.sqrt(d));
  if (options.mask) {
    const m = Array.from({ length: T }, (_, i) => Array.from({ length: T }, (_, j) => (j <= i ? 0 : -1e9)));
    scores = scores.add(tf.tensor(m));
  }
  return tf.softmax(scores).matMul(V);
}

export const nb06 = {
  /**
   * Exercise 06·1: count the bigrams of a list of words, with "." marking the start and end of each word.
   * @example check.bigramCounts(myBigramCounts)
   */
  bigramCounts: exercise<(words: string[]) => number[][]>({
    name: "bigramCounts",
    notebook: "06",
    task: 'return the 27×27 matrix N where N[i][j] counts how often character j follows character i in ".word." over all words (index 0 is ".", 1–26 are a–z)',
    hints: [
      'Surround each word with dots: "ab" becomes ".ab.", whose pairs are (., a), (a, b), (b, .).',
      'Use `".abcdefghijklmnopqrstuvwxyz".indexOf(c)` for a character\'s index, and add 1 at [index of the first][index of the second] for every pair.',
    ],
    solution: `function myBigramCounts(words: string[]): number[][] {
  const abc = ".abcdefghijklmnopqrstuvwxyz";
  const N = Array.from({ length: 27 }, () => new Array<number>(27).fill(0));
  for (const w of words) {
    const s = "." + w + ".";
    for (let i = 0; i + 1 < s.length; i++) N[abc.indexOf(s[i])][abc.indexOf(s[i + 1])] += 1;
  }
  return N;
}`,
    grade(answer) {
      const words = ["emma", "olivia", "ava", "anna", "zoe"];
      const when = `for the words ${words.join(", ")}`;
      const got = matrixOf(call(answer, [words.slice()], when), `your counts ${when}`, 27, 27);
      const expected = counts(words);
      if (allClose(got.flat(), expected.flat(), 0)) return "five words, start and end marks included";
      const total = got.flat().reduce((a, b) => a + b, 0);
      const pairs = words.reduce((s, w) => s + w.length + 1, 0);
      if (got[0]!.every((c) => c === 0) && got.every((row) => row[0] === 0))
        wrong(
          `${when} nothing starts or ends at ".": surround each word with dots, so the model also learns how words begin and end.`,
        );
      if (
        allClose(
          got.flat(),
          expected[0]!.flatMap((_, j) => expected.map((row) => row[j]!)),
          0,
        )
      )
        wrong(
          `${when} your matrix is transposed: row = the first character of a pair, column = the one that follows it.`,
        );
      if (total !== pairs)
        wrong(
          `${when} your counts add up to ${total}, but ${words.length} words give ${pairs} pairs (a word of n letters has n + 1, the dots included).`,
        );
      const i = firstDifference(got.flat(), expected.flat(), 0);
      return wrong(
        `${when} N[${Math.floor(i / 27)}][${i % 27}] (the pair "${ALPHABET[Math.floor(i / 27)]}${ALPHABET[i % 27]}") should be ${expected.flat()[i]}, yours is ${got.flat()[i]}.`,
      );
    },
  }),

  /**
   * Exercise 06·2: probabilities from counts with add-k smoothing.
   * @example check.smoothProbabilities(mySmooth)
   */
  smoothProbabilities: exercise<(counts: number[][], k: number) => number[][]>({
    name: "smoothProbabilities",
    notebook: "06",
    task: "return P[i][j] = (N[i][j] + k) / Σⱼ (N[i][j] + k): each row a probability distribution, no zero when k > 0",
    hints: [
      "Add k to every count first, then divide each entry by the sum of its (smoothed) row.",
      'Each row of the result sums to 1; every row is one "what comes after character i" distribution.',
    ],
    solution: `function mySmooth(counts: number[][], k: number): number[][] {
  return counts.map((row) => {
    const total = row.reduce((s, c) => s + c + k, 0);
    return row.map((c) => (c + k) / total);
  });
}`,
    grade(answer) {
      const N = [
        [0, 3, 1],
        [2, 0, 0],
        [5, 5, 10],
      ];
      for (const k of [1, 0.5, 0]) {
        const when = `for counts ${fmt(N)} and k = ${k}`;
        const got = matrixOf(call(answer, [N.map((r) => r.slice()), k], when), `your probabilities ${when}`, 3, 3);
        const expected = normalizeRows(N, k);
        if (allClose(got.flat(), expected.flat())) continue;
        const rowSums = got.map((r) => r.reduce((a, b) => a + b, 0));
        const bad = rowSums.findIndex((s) => !close(s, 1));
        if (bad >= 0) {
          const cols = got[0]!.map((_, j) => got.reduce((s, r) => s + r[j]!, 0));
          if (cols.every((s) => close(s, 1)))
            wrong(`${when} your columns sum to 1; normalise each row instead (a row is what follows one character).`);
          wrong(
            `${when} row ${bad + 1} sums to ${fmt(rowSums[bad]!)}, not 1: add k to every count before summing the row.`,
          );
        }
        wrong(`${when} expected ${fmt(expected)}, got ${fmt(got)}.`);
      }
      return "a 3×3 count matrix with zeros, for k = 1, 0.5 and 0";
    },
  }),

  /**
   * Exercise 06·3: the average negative log-likelihood per character of a word under a bigram model.
   * @example check.wordNll(myWordNll)
   */
  wordNll: exercise<(word: string, probs: number[][]) => number>({
    name: "wordNll",
    notebook: "06",
    task: 'return −(1/(n+1))·Σ log P(next | previous) over the n + 1 pairs of ".word." (natural log)',
    hints: [
      'Walk over the pairs of "." + word + ".": a word of n letters has n + 1 of them, the final one predicting the end.',
      "Add up −Math.log(probs[i][j]) for each pair (i, j) of character indices, then divide by the number of pairs.",
    ],
    solution: `function myWordNll(word: string, probs: number[][]): number {
  const abc = ".abcdefghijklmnopqrstuvwxyz";
  const s = "." + word + ".";
  let total = 0;
  for (let i = 0; i + 1 < s.length; i++) total -= Math.log(probs[abc.indexOf(s[i])][abc.indexOf(s[i + 1])]);
  return total / (s.length - 1);
}`,
    grade(answer) {
      const P = normalizeRows(counts(["emma", "olivia", "ava", "anna", "zoe", "mia", "liam", "noah"]), 1);
      for (const word of ["anna", "zoe", "x"]) {
        const when = `for "${word}"`;
        const got = numberOf(call(answer, [word, P.map((r) => r.slice())], when), `your likelihood ${when}`);
        const s = `.${word}.`;
        const terms = Array.from({ length: s.length - 1 }, (_, i) => -Math.log(P[id(s[i]!)]![id(s[i + 1]!)]!));
        const expected = terms.reduce((a, b) => a + b) / terms.length;
        if (close(got, expected)) continue;
        if (close(got, expected * terms.length))
          wrong(`${when} you returned the total; divide by the number of pairs (${terms.length}).`);
        if (close(got, -expected))
          wrong(
            `${when} the sign is flipped: log-probabilities are negative, the negative log-likelihood is positive.`,
          );
        const noEnd = terms.slice(0, -1);
        if (noEnd.length && close(got, noEnd.reduce((a, b) => a + b) / noEnd.length))
          wrong(
            `${when} the final pair (last letter → ".") is missing: predicting where a word ends is part of the model.`,
          );
        wrong(`${when} the average negative log-likelihood is ${fmt(expected)}, yours is ${fmt(got)}.`);
      }
      return "three words, one of a single letter, under a small smoothed bigram model";
    },
  }),

  /**
   * Exercise 06·4: draw a category from probabilities, given one uniform random number u in [0, 1).
   * @example check.sampleIndex(mySampleIndex)
   */
  sampleIndex: exercise<(probs: number[], u: number) => number>({
    name: "sampleIndex",
    notebook: "06",
    task: "return the first index i whose running total probs[0] + … + probs[i] is greater than u (the last index if rounding leaves the total just below u)",
    hints: [
      "Lay the probabilities end to end on [0, 1): category 0 covers [0, p₀), category 1 covers [p₀, p₀ + p₁), and so on. Return the one that contains u.",
      "Keep a running total; return i as soon as `u < total`. After the loop, return the last index (sums of floats can fall a hair short of 1).",
    ],
    solution: `function mySampleIndex(probs: number[], u: number): number {
  let total = 0;
  for (let i = 0; i < probs.length; i++) {
    total += probs[i];
    if (u < total) return i;
  }
  return probs.length - 1;
}`,
    grade(answer) {
      const cases: [number[], number, number][] = [
        [[0.2, 0.5, 0.3], 0, 0],
        [[0.2, 0.5, 0.3], 0.19, 0],
        [[0.2, 0.5, 0.3], 0.2, 1],
        [[0.2, 0.5, 0.3], 0.69, 1],
        [[0.2, 0.5, 0.3], 0.95, 2],
        [[0, 0, 1, 0], 0.5, 2],
        [[0.1, 0.2, 0.3, 0.39999999], 0.999999995, 3],
      ];
      for (const [probs, u, expected] of cases) {
        const when = `for probabilities ${fmt(probs)} and u = ${u}`;
        const got = numberOf(call(answer, [probs.slice(), u], when), `your index ${when}`);
        if (got === expected) continue;
        if (u === 0.2 && got === 0)
          wrong(
            `${when} you returned 0, but category 0 covers [0, 0.2), which does not include 0.2: compare with u < total, not u ≤ total.`,
          );
        if (got === expected + 1 && u < 0.95)
          wrong(`${when} you returned ${got}, one too far: return the index as soon as the running total passes u.`);
        if (u > 0.99)
          wrong(
            `${when} you returned ${got}: the probabilities add up to a hair less than u here, so fall back to the last index.`,
          );
        wrong(`${when} the sample is category ${expected}, not ${got}.`);
      }
      return `${cases.length} draws, including values of u exactly on a boundary and beyond a total that rounds below 1`;
    },
  }),

  /**
   * Exercise 06·5: the (context, next character) training pairs of one word, for a context of blockSize characters.
   * @example check.contexts(myContexts)
   */
  contexts: exercise<(word: string, blockSize: number) => [string, string][]>({
    name: "contexts",
    notebook: "06",
    task: 'return the pairs [context, next] for every character of word + ".", each context being the blockSize characters before it, padded on the left with "."',
    hints: [
      "Start with a context of blockSize dots; after each character, drop the context's first character and append the one just predicted.",
      '"ab" with blockSize 3 gives ["...", "a"], ["..a", "b"], [".ab", "."]: the last pair predicts the end.',
    ],
    solution: `function myContexts(word: string, blockSize: number): [string, string][] {
  const pairs: [string, string][] = [];
  let context = ".".repeat(blockSize);
  for (const next of word + ".") {
    pairs.push([context, next]);
    context = context.slice(1) + next;
  }
  return pairs;
}`,
    grade(answer) {
      const make = (word: string, b: number) => {
        const out: [string, string][] = [];
        let c = ".".repeat(b);
        for (const ch of `${word}.`) {
          out.push([c, ch]);
          c = c.slice(1) + ch;
        }
        return out;
      };
      for (const [word, b] of [
        ["emma", 3],
        ["ab", 3],
        ["olivia", 2],
      ] as [string, number][]) {
        const when = `for "${word}" with blockSize ${b}`;
        const got = call(answer, [word, b], when);
        const expected = make(word, b);
        if (!Array.isArray(got) || !got.every((p) => Array.isArray(p) && p.length === 2))
          wrong(`${when} return a list of [context, next] pairs.`);
        if (got.length === expected.length - 1)
          wrong(`${when} you have ${got.length} pairs, one short: the last pair predicts the end mark ".".`);
        if (got.length !== expected.length)
          wrong(`${when} a word of ${word.length} letters gives ${expected.length} pairs, you have ${got.length}.`);
        const bad = expected.findIndex((p, i) => p[0] !== got[i]![0] || p[1] !== got[i]![1]);
        if (bad >= 0)
          wrong(
            `${when} pair ${bad + 1} should be ["${expected[bad]![0]}", "${expected[bad]![1]}"], yours is ["${got[bad]![0]}", "${got[bad]![1]}"].`,
          );
      }
      return "three words with context sizes 2 and 3";
    },
  }),

  /**
   * Exercise 06·6 (stretch): one head of causal self-attention, softmax(mask(Q·Kᵀ/√d))·V.
   * @example check.causalAttention(myAttention)
   */
  causalAttention: exercise<(Q: tf.Tensor, K: tf.Tensor, V: tf.Tensor) => tf.Tensor>({
    name: "causalAttention",
    notebook: "06",
    task: "for Q, K, V of shape [T, d], return softmax(Q·Kᵀ/√d + mask)·V, where the mask is −∞ (say −1e9) above the diagonal so position i only looks at positions ≤ i",
    hints: [
      "Scores: `Q.matMul(K.transpose()).div(Math.sqrt(d))` is [T, T]; row i says how much position i attends to each position j.",
      "A language model must not look ahead: add a large negative number to every score with j > i before the softmax, so its weight becomes 0.",
      "`tf.softmax(scores)` normalises each row (the last axis); multiply by V to mix the values.",
    ],
    solution: `function myAttention(Q: tf.Tensor, K: tf.Tensor, V: tf.Tensor): tf.Tensor {
  const [T, d] = Q.shape;
  const mask = tf.tensor(Array.from({ length: T }, (_, i) => Array.from({ length: T }, (_, j) => (j <= i ? 0 : -1e9))));
  const scores = Q.matMul(K.transpose()).div(Math.sqrt(d)).add(mask);
  return tf.softmax(scores).matMul(V);
}`,
    grade(answer) {
      const [T, d] = [5, 4];
      const [Q, K, V] = [
        tf.tensor(caseMatrix(T, d, 71, -2, 2)),
        tf.tensor(caseMatrix(T, d, 72, -2, 2)),
        tf.tensor(caseMatrix(T, d, 73)),
      ];
      const when = `for T = ${T} positions of size d = ${d}`;
      const out = tensorOf(call(answer, [Q, K, V], when), `your output ${when}`);
      expectShape(out, [T, d], `your output ${when}`, "One mixed value vector per position.");
      const got = valuesOf(out);
      const variant = (mask: boolean, scale: boolean) => valuesOf(attention(Q, K, V, { mask, scale }));
      if (allClose(got, variant(true, true), 1e-4)) return "5 positions: the mask, the 1/√d scale and the mixing of V";
      if (!allClose(got.slice(0, d), valuesOf(V).slice(0, d), 1e-4))
        wrong(
          `${when} position 1 may only look at itself, so its output must equal V's first row; yours mixes in later positions: the future leaks in. Mask the scores above the diagonal.`,
        );
      if (allClose(got, variant(true, false), 1e-4))
        wrong(
          `${when} the scores are not divided by √d = ${Math.sqrt(d)}; without it, larger d makes the softmax needlessly peaked.`,
        );
      const colSoftmax = valuesOf(
        tf
          .softmax(
            Q.matMul(K.transpose())
              .div(Math.sqrt(d))
              .add(
                tf.tensor(
                  Array.from({ length: T }, (_, i) => Array.from({ length: T }, (_, j) => (j <= i ? 0 : -1e9))),
                ),
              )
              .transpose(),
          )
          .transpose()
          .matMul(V),
      );
      if (allClose(got, colSoftmax, 1e-4))
        wrong(`${when} the softmax normalised the columns; each row (one position's attention weights) must sum to 1.`);
      return wrong(
        `${when} row 2 should be ${fmt(variant(true, true).slice(d, 2 * d))}, yours is ${fmt(got.slice(d, 2 * d))}.`,
      );
    },
  }),
};
