/**
 * `check`: the notebooks' exercise helper, resident in every cell. One method per exercise grades
 * the student's function (`check.softmax(mySoftmax)`); `hint`, `solution` and `progress` help along;
 * `todo()` is the body of every exercise stub.
 */
import { allExercises, exerciseNamed, latestOutcome, NotDoneYet } from "./exercise.js";
import { nb01 } from "./exercises/nb01.js";
import { nb02 } from "./exercises/nb02.js";
import { nb03 } from "./exercises/nb03.js";
import { nb04 } from "./exercises/nb04.js";
import { nb05 } from "./exercises/nb05.js";
import { nb06 } from "./exercises/nb06.js";
import { Note } from "./result.js";

/** Every exercise's check, typed per notebook so each keeps its doc comment (Shift-Tab). */
type Exercises = typeof nb01 & typeof nb02 & typeof nb03 & typeof nb04 & typeof nb05 & typeof nb06;
const exercises: Exercises = { ...nb01, ...nb02, ...nb03, ...nb04, ...nb05, ...nb06 };

/** The name of an exercise, e.g. `"softmax"`. */
export type ExerciseName = keyof Exercises;

const hintsShown = new Map<string, number>();

/** Help with the exercises: hints, solutions, progress, and the stub body. */
const helpers = {
  /**
   * The next hint for an exercise (each call shows one more), or hint number `n` (from 1).
   * @example check.hint("softmax")
   */
  hint(name: ExerciseName, n?: number): Note {
    const ex = exerciseNamed(name);
    if (n !== undefined && !(Number.isInteger(n) && n >= 1 && n <= ex.hints.length))
      throw new Error(`check.hint: "${name}" has hints 1 to ${ex.hints.length}, not ${n}`);
    const k = n ?? Math.min((hintsShown.get(name) ?? 0) + 1, ex.hints.length);
    hintsShown.set(name, Math.max(k, hintsShown.get(name) ?? 0));
    const more =
      k < ex.hints.length
        ? ` Run it again for hint ${k + 1}.`
        : ` That was the last one; \`check.solution("${name}")\` shows an answer.`;
    const text = `Hint ${k} of ${ex.hints.length} for ${name}: ${ex.hints[k - 1]}`;
    return new Note(
      `**Hint ${k} of ${ex.hints.length}** for \`${name}\`: ${ex.hints[k - 1]}${more}`,
      (text + more).replace(/`/g, ""),
    );
  },

  /**
   * One answer to an exercise, as code you can read (or paste over your attempt).
   * @example check.solution("softmax")
   */
  solution(name: ExerciseName): Note {
    const ex = exerciseNamed(name);
    return new Note(
      `**A solution for \`${name}\`** (notebook ${ex.notebook}): ${ex.task}.\n\n\`\`\`ts\n${ex.solution}\n\`\`\``,
      `A solution for ${name} (notebook ${ex.notebook}):\n${ex.solution}`,
    );
  },

  /**
   * The exercises (of one notebook, e.g. `"03"`, or all) with what happened to each in this session.
   * @example check.progress("02")
   */
  progress(notebook?: string): Note {
    const list = allExercises().filter((e) => notebook === undefined || e.notebook === notebook);
    if (list.length === 0) throw new Error(`check.progress: there are no exercises for notebook '${notebook}'`);
    const mark = (name: string) => {
      const r = latestOutcome(name);
      return r === undefined
        ? "· not tried"
        : r.status === "passed"
          ? "✓ passed"
          : r.status === "todo"
            ? "✎ not done yet"
            : "✗ not yet right";
    };
    const rows = list.map((e) => [e.notebook, `check.${e.name}`, e.task, mark(e.name)] as const);
    const done = list.filter((e) => latestOutcome(e.name)?.passed).length;
    const title = `${done} of ${list.length} exercises passed${notebook ? ` in notebook ${notebook}` : ""}.`;
    const md = [
      title,
      "",
      "| notebook | exercise | task | status |",
      "| --- | --- | --- | --- |",
      ...rows.map(([nb, n, task, status]) => `| ${nb} | \`${n}\` | ${task.replace(/\|/g, "\\|")} | ${status} |`),
    ].join("\n");
    return new Note(md, [title, ...rows.map(([nb, n, , status]) => `  ${nb} ${n.padEnd(28)} ${status}`)].join("\n"));
  },

  /**
   * The body of an exercise stub: checking a function that still calls it reports "not done yet".
   * @example function mySoftmax(scores: tf.Tensor): tf.Tensor { return check.todo(); }
   */
  todo(): never {
    throw new NotDoneYet();
  },
};

/**
 * Exercises for the tutorial notebooks. Write the function an exercise asks for, then pass it to
 * its check, which runs it on test cases and says what is wrong, if anything:
 *
 * ```ts
 * function mySoftmax(scores: tf.Tensor): tf.Tensor {
 *   return check.todo(); // your code here
 * }
 * check.softmax(mySoftmax)        // ✎ not done yet / ✗ row 2 does not sum to 1 / ✓ passed
 * check.hint("softmax")           // one more hint each time
 * check.solution("softmax")       // an answer
 * check.progress("02")            // what you have done so far
 * ```
 */
export const check: Exercises & typeof helpers = { ...exercises, ...helpers };
