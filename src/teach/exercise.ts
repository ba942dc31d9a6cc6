/**
 * What an exercise is, and how one answer is graded: the student's function runs on the
 * exercise's cases inside `tf.tidy`; a stub (`check.todo()`) reports "not done yet", a wrong answer
 * reports its first problem, an answer that throws reports the error — none of them throw, so a
 * notebook with unfinished exercises still runs top to bottom.
 */
import * as tf from "../tf.js";
import { CheckResult } from "./result.js";

/** Thrown by `check.todo()`, the body of every exercise stub. */
export class NotDoneYet extends Error {
  override name = "NotDoneYet";
  constructor() {
    super("this exercise is not done yet: replace check.todo() with your code");
  }
}

/** Thrown by a grader at the first problem it finds in an answer. */
export class Wrong extends Error {
  override name = "Wrong";
}

/** Stops grading with `message` as the answer's problem. */
export function wrong(message: string): never {
  throw new Wrong(message);
}

export interface ExerciseSpec<F, X extends unknown[] = []> {
  /** The method of `check` that grades it, e.g. `"softmax"` for `check.softmax(mySoftmax)`. */
  name: string;
  /** The notebook it belongs to, e.g. `"02"`. */
  notebook: string;
  /** One line: what the answer must do. */
  task: string;
  /** Hints, from a nudge to nearly the answer. */
  hints: string[];
  /** TypeScript defining the answer with exactly the stub's names and signature. */
  solution: string;
  /**
   * Runs `answer` on the cases (through {@link call}); throws {@link Wrong} at the first problem.
   * Returns what was checked, completing "correct on …" (e.g. `"4 score matrices"`).
   */
  grade(answer: F, ...extra: X): string;
}

/** An exercise as registered: its spec, without the type of its answer. */
export type AnyExercise = ExerciseSpec<never, never[]>;

const registry = new Map<string, AnyExercise>();
const outcomes = new Map<string, CheckResult>();

/** Every exercise, in the order the notebooks define them. */
export function allExercises(): AnyExercise[] {
  return [...registry.values()];
}

/** The exercise called `name`, or a clear error naming the closest ones. */
export function exerciseNamed(name: string): AnyExercise {
  const found = registry.get(name);
  if (found) return found;
  const names = [...registry.keys()];
  const close = names.filter((n) => editDistance(n.toLowerCase(), String(name).toLowerCase()) <= 2);
  throw new Error(
    `there is no exercise '${name}'` +
      (close.length
        ? `; did you mean ${close.map((n) => `'${n}'`).join(" or ")}?`
        : `; the exercises are ${names.join(", ")}`),
  );
}

/** The number of single-letter edits that turn `a` into `b`. */
function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++)
      next.push(Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    row = next;
  }
  return row[b.length]!;
}

/** The latest result of each exercise checked in this session. */
export function latestOutcome(name: string): CheckResult | undefined {
  return outcomes.get(name);
}

/** Grades one answer (and what the exercise needs with it, e.g. a class); never throws. */
export function runExercise<F, X extends unknown[]>(spec: ExerciseSpec<F, X>, answer: F, extra: X): CheckResult {
  let result: CheckResult;
  if (typeof answer !== "function") {
    result = new CheckResult(
      spec,
      "failed",
      `check.${spec.name} needs your function itself, e.g. check.${spec.name}(myFunction), but got ${describe(answer)}.`,
    );
  } else {
    try {
      const checked = tf.tidy(() => spec.grade(answer, ...extra));
      result = new CheckResult(spec, "passed", `correct on ${checked}.`);
    } catch (e) {
      if (e instanceof NotDoneYet) result = new CheckResult(spec, "todo", "");
      else if (e instanceof Wrong) result = new CheckResult(spec, "failed", e.message);
      else result = new CheckResult(spec, "failed", `checking it failed unexpectedly: ${(e as Error)?.message ?? e}`);
    }
  }
  outcomes.set(spec.name, result);
  return result;
}

/**
 * Calls the student's function; `when` says on which case (e.g. `"for scores [[1, 2]]"`). A stub's
 * NotDoneYet passes through; another error, or a Promise, becomes the answer's problem.
 */
export function call<A extends unknown[], R>(answer: (...args: A) => R, args: A, when: string): R {
  let out: R;
  try {
    out = answer(...args);
  } catch (e) {
    if (e instanceof NotDoneYet || e instanceof Wrong) throw e;
    const err = e instanceof Error ? e : new Error(String(e));
    wrong(`your function threw ${err.name}: ${err.message} (${when}).`);
  }
  if (out instanceof Promise) {
    out.catch(() => {});
    wrong(
      `your function returned a Promise (${when}): make it synchronous; read tensors with dataSync() or arraySync() instead of await data().`,
    );
  }
  return out;
}

/** A short description of any value, for messages. */
export function describe(value: unknown): string {
  if (value === undefined) return "undefined";
  if (value === null) return "null";
  if (value instanceof tf.Tensor) return `a tensor of shape [${value.shape}]`;
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (typeof value === "object") return "an object";
  return `${typeof value} ${String(value).slice(0, 40)}`;
}

/**
 * Declares an exercise: registers it and returns the function that grades an answer, which becomes
 * `check.<name>`.
 */
export function exercise<F, X extends unknown[] = []>(
  spec: ExerciseSpec<F, X>,
): (answer: F, ...extra: X) => CheckResult {
  if (registry.has(spec.name)) throw new Error(`exercise '${spec.name}' is declared twice`);
  registry.set(spec.name, spec as unknown as AnyExercise);
  return (answer: F, ...extra: X) => runExercise(spec, answer, extra);
}
