/**
 * Vitest global setup: gives the test run an X display, so headless-gl (the `headlessgl` backend)
 * can create contexts on Linux machines without one (CI, servers). When DISPLAY is unset, the `gl`
 * package is installed and Xvfb is on the PATH, it starts Xvfb on a free display number, exports
 * DISPLAY to the test workers, and stops it when the run ends. Otherwise it does nothing, and the
 * headlessgl tests say why the backend is missing.
 *
 * Xvfb runs under a small shell that holds our end of a pipe: if the test run dies without its
 * teardown, the pipe closes and the shell stops Xvfb, so no server outlives the run.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";

const START_TIMEOUT_MS = 15_000;

export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  if (process.platform !== "linux" || process.env.DISPLAY || !glInstalled() || !xvfbOnPath()) return undefined;
  const server = spawn(
    "sh",
    [
      "-c",
      'Xvfb -displayfd 3 -screen 0 64x64x24 -nolisten tcp & x=$!; trap "kill $x 2>/dev/null" EXIT; cat >/dev/null',
    ],
    { stdio: ["pipe", "ignore", "pipe", "pipe"] },
  );
  let display: string;
  try {
    display = await displayNumber(server);
  } catch (error) {
    console.warn(`x-display: Xvfb did not start (${(error as Error).message}); headlessgl tests will find no display`);
    await stop(server);
    return undefined;
  }
  process.env.DISPLAY = `:${display}`;
  return async () => {
    delete process.env.DISPLAY;
    await stop(server);
  };
}

function glInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve("gl");
    return true;
  } catch {
    return false;
  }
}

function xvfbOnPath(): boolean {
  return spawnSync("sh", ["-c", "command -v Xvfb"], { stdio: "ignore" }).status === 0;
}

/** The display number Xvfb writes to fd 3 once it accepts connections. */
function displayNumber(server: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    let errors = "";
    const timer = setTimeout(() => reject(new Error(`no display after ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
    server.stderr!.on("data", (chunk: Buffer) => (errors += chunk.toString()));
    server.stdio[3]!.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      const match = /^(\d+)\n/.exec(text);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    server.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}: ${errors.trim().split("\n").at(-1) ?? ""}`));
    });
  });
}

function stop(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    server.on("exit", () => resolve());
    server.stdin!.end();
  });
}
