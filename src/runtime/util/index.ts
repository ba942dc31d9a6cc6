/**
 * `tf.util`: the helpers TF.js exposes as `tf.util`, for Node. Not here: `fingerPrint64` and
 * `hexToLong` (64-bit hashing with TF.js's Long type, used by its string ops), and `fetch`,
 * which fails with an error saying deepts does not download.
 */
export * from "./arrays.js";
export * from "./shapes.js";
export * from "./dtypes.js";

/**
 * Milliseconds, high resolution.
 *
 * ```ts
 * const t0 = tf.util.now(); … ; console.log(tf.util.now() - t0, "ms");
 * ```
 */
export function now(): number {
  return performance.now();
}

/**
 * Resolves once `checkFn()` returns true, trying again after `delayFn(tries)` milliseconds
 * (0 by default); rejects after `maxCounter` failed tries.
 *
 * ```ts
 * await tf.util.repeatedTry(() => fs.existsSync("done.flag"), () => 100, 50);
 * ```
 */
export function repeatedTry(
  checkFn: () => boolean,
  delayFn: (counter: number) => number = () => 0,
  maxCounter?: number,
  scheduleFn: (fn: () => void, delay: number) => void = (fn, delay) => void setTimeout(fn, delay),
): Promise<void> {
  return new Promise((resolve, reject) => {
    let tries = 0;
    const attempt = () => {
      if (checkFn()) return resolve();
      tries++;
      if (maxCounter !== undefined && maxCounter !== null && tries >= maxCounter)
        return reject(new Error(`repeatedTry: the check still failed after ${tries} tries`));
      scheduleFn(attempt, delayFn(tries));
    };
    attempt();
  });
}

/** Not available: deepts does not download. Read local files with `node:fs` or `tf.data.csv`. */
export async function fetch(path: string, _requestInits?: unknown): Promise<never> {
  throw new Error(
    `tf.util.fetch('${path}'): deepts works offline and does not download; read local files with node:fs (or tf.data.csv for CSV)`,
  );
}
