/**
 * Teaching material for the tutorial notebooks: the resident `check` (exercises with graded
 * answers, hints and solutions). Not part of the runtime: it uses `tf` like a notebook does.
 */
export { check, type ExerciseName } from "./check.js";
export { allExercises, NotDoneYet, type ExerciseSpec, type AnyExercise } from "./exercise.js";
export { CheckResult, Note, type Status } from "./result.js";
