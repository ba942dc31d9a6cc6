/**
 * `input()` and `prompt()` for cells: read a line from the notebook frontend (Jupyter input_request).
 * The executor worker binds them to the kernel's stdin channel with `bindStdin`.
 */

type PromptFn = (message: string, password: boolean) => string;

let impl: PromptFn | undefined;

/** Installs the function that does the stdin round trip (the executor worker does this). */
export function bindStdin(fn: PromptFn | undefined): void {
  impl = fn;
}

/**
 * Asks the user for a line of text and waits (blocking the cell) for the answer.
 *
 * ```ts
 * const name = prompt("Your name?");
 * ```
 */
export function prompt(message = "", options: { password?: boolean } = {}): string {
  if (!impl) throw new Error("prompt() is only available in a deepts notebook kernel cell");
  return impl(String(message), options.password === true);
}

/**
 * Asks the user for a line of text.
 *
 * ```ts
 * const answer = await input("How many epochs? ");
 * ```
 */
export async function input(message = "", options: { password?: boolean } = {}): Promise<string> {
  return prompt(message, options);
}
