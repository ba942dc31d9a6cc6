/**
 * `tf.einsum`: Einstein summation over any number of operands, as transposes, sums and batched
 * matrix products (so gradients come from those).
 */
import type { Tensor, TensorLike } from "../tensor.js";
import { convert } from "./convert.js";
import { matMul } from "./linalg.js";
import { sum } from "./reduction.js";
import { reshape, transpose } from "./shape.js";
import { shapeStr } from "./util.js";

interface Term {
  t: Tensor;
  letters: string[];
}

function parse(equation: string, count: number): { inputs: string[][]; output: string[] } {
  const eq = equation.replace(/\s+/g, "");
  if (eq.includes(".")) throw new Error(`einsum: ellipsis ('...') is not supported in '${equation}'`);
  const [lhs, rhs, extra] = eq.split("->");
  if (extra !== undefined) throw new Error(`einsum: '${equation}' has more than one '->'`);
  const inputs = lhs.split(",").map((s) => s.split(""));
  if (inputs.length !== count) {
    throw new Error(`einsum: '${equation}' names ${inputs.length} operand(s), but ${count} tensor(s) were given`);
  }
  for (const letters of inputs) {
    if (letters.some((c) => !/^[a-zA-Z]$/.test(c)))
      throw new Error(`einsum: subscripts must be letters, got '${equation}'`);
    if (new Set(letters).size !== letters.length) {
      throw new Error(`einsum: a subscript repeated within one operand (a diagonal) is not supported: '${equation}'`);
    }
  }
  let output: string[];
  if (rhs === undefined) {
    // Implicit output: the letters that appear once, in alphabetical order.
    const counts = new Map<string, number>();
    for (const c of inputs.flat()) counts.set(c, (counts.get(c) ?? 0) + 1);
    output = [...counts.entries()]
      .filter(([, n]) => n === 1)
      .map(([c]) => c)
      .sort();
  } else {
    output = rhs.split("");
    if (new Set(output).size !== output.length) throw new Error(`einsum: output subscripts repeat in '${equation}'`);
    for (const c of output) {
      if (!inputs.some((l) => l.includes(c)))
        throw new Error(`einsum: output subscript '${c}' appears in no input of '${equation}'`);
    }
  }
  return { inputs, output };
}

/** Sums `term` over its letters that are not in `keep`. */
function sumOut(term: Term, keep: Set<string>): Term {
  const axes = term.letters.map((c, i) => (keep.has(c) ? -1 : i)).filter((i) => i >= 0);
  if (axes.length === 0) return term;
  return { t: sum(term.t, axes), letters: term.letters.filter((c) => keep.has(c)) };
}

function permuted(term: Term, order: string[]): Tensor {
  const perm = order.map((c) => term.letters.indexOf(c));
  return perm.every((p, i) => p === i) ? term.t : transpose(term.t, perm);
}

/** Contracts two terms over their shared letters not in `keep`, as one batched matMul. */
function contract(a: Term, b: Term, keep: Set<string>, size: Map<string, number>): Term {
  const inB = new Set(b.letters);
  const inA = new Set(a.letters);
  const batch = a.letters.filter((c) => inB.has(c) && keep.has(c));
  const summed = a.letters.filter((c) => inB.has(c) && !keep.has(c));
  const aOnly = a.letters.filter((c) => !inB.has(c));
  const bOnly = b.letters.filter((c) => !inA.has(c));
  const prod = (cs: string[]) => cs.reduce((p, c) => p * size.get(c)!, 1);
  const a3 = reshape(permuted(a, [...batch, ...aOnly, ...summed]), [prod(batch), prod(aOnly), prod(summed)]);
  const b3 = reshape(permuted(b, [...batch, ...summed, ...bOnly]), [prod(batch), prod(summed), prod(bOnly)]);
  const letters = [...batch, ...aOnly, ...bOnly];
  return {
    t: reshape(
      matMul(a3, b3),
      letters.map((c) => size.get(c)!),
    ),
    letters,
  };
}

/**
 * Einstein summation: `equation` names each operand's axes with letters; letters missing from the
 * output (after `->`; without it, the letters used once, sorted) are summed over.
 * Examples: `tf.einsum("ij,jk->ik", a, b)` (matMul), `tf.einsum("bij,bjk->bik", a, b)`,
 * `tf.einsum("i,i->", x, y)` (dot), `tf.einsum("ij->ji", m)` (transpose).
 */
export function einsum(equation: string, ...tensors: TensorLike[]): Tensor {
  if (typeof equation !== "string") throw new Error("einsum: the first argument must be the equation string");
  const { inputs, output } = parse(equation, tensors.length);
  const size = new Map<string, number>();
  const terms: Term[] = tensors.map((x, k) => {
    const t = convert(x, `tensors[${k}]`, "einsum");
    const letters = inputs[k];
    if (letters.length !== t.rank) {
      throw new Error(`einsum: operand ${k} has shape ${shapeStr(t.shape)} but subscripts '${letters.join("")}'`);
    }
    letters.forEach((c, i) => {
      const d = size.get(c);
      if (d !== undefined && d !== t.shape[i]) {
        throw new Error(`einsum: subscript '${c}' has length ${d} in one operand and ${t.shape[i]} in another`);
      }
      size.set(c, t.shape[i]);
    });
    return { t, letters };
  });
  const needed = (from: number) => new Set([...output, ...terms.slice(from).flatMap((t) => t.letters)]);
  let acc = sumOut(terms[0], needed(1));
  for (let k = 1; k < terms.length; k++) {
    const keep = needed(k + 1);
    acc = contract(acc, sumOut(terms[k], new Set([...keep, ...acc.letters])), keep, size);
  }
  acc = sumOut(acc, new Set(output));
  const result = permuted(acc, output);
  return result === terms[0].t ? reshape(result, result.shape) : result;
}
