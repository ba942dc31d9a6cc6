/** Starts a kernel process: binds the ZeroMQ sockets of a connection file and serves requests until shutdown. */
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { readConnectionFile } from "../wire/connection.js";
import { newHeader } from "../wire/message.js";
import { KernelSockets } from "../wire/sockets.js";
import { endDescendants } from "./descendants.js";
import { HistoryStore } from "./history.js";
import { userDataDir } from "./jupyter-paths.js";
import { Kernel } from "./kernel.js";
import { readLimits } from "./limits.js";
import { WorkerExecutor } from "./worker-executor.js";

/** How long shutdown waits for the evaluation thread to end before it ends the process regardless. */
const CLOSE_LIMIT_MS = 4000;

/** Where history is kept: `$DEEPTS_HISTORY_FILE` ("" turns it off), else `<jupyter data dir>/deepts/history.json`. */
export function historyFile(): string | undefined {
  const configured = process.env.DEEPTS_HISTORY_FILE;
  if (configured !== undefined) return configured === "" ? undefined : configured;
  return join(userDataDir(), "deepts", "history.json");
}

/**
 * Runs the kernel for a connection file; resolves when it has shut down.
 *
 * ```ts
 * await runKernel("/run/user/1000/jupyter/kernel-1234.json");
 * ```
 */
export async function runKernel(connectionFile: string): Promise<void> {
  const info = readConnectionFile(connectionFile);
  const session = randomUUID();
  let kernel: Kernel | undefined;
  const early: [Parameters<Kernel["handle"]>[0], Parameters<Kernel["handle"]>[1]][] = [];
  const grace = Number(process.env.DEEPTS_INTERRUPT_GRACE_MS);
  const limits = readLimits();
  for (const problem of limits.problems) process.stderr.write(`deepts: ${problem}\n`);
  const executor = new WorkerExecutor({
    cwd: process.cwd(),
    interruptGraceMs: grace > 0 ? grace : undefined,
    heapMb: limits.memoryMb,
    cellTimeoutS: limits.cellTimeoutS,
  });
  // Loading the worker (the runtime, TypeScript) is most of the time to a first result: it starts
  // first, and loads on its own thread while this one binds and answers kernel_info.
  executor.start();
  const sockets = await KernelSockets.bind(info, {
    onMessage: (channel, msg) => {
      if (kernel) kernel.handle(channel, msg);
      else early.push([channel, msg]);
    },
    onClientGone: (identity) => kernel?.clientGone(identity),
  });
  const history = new HistoryStore(historyFile());
  void history.load();

  let finished!: () => void;
  const done = new Promise<void>((r) => (finished = r));
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    process.removeListener("SIGINT", onSigint);
    const [closed] = await Promise.allSettled([executor.close(CLOSE_LIMIT_MS), history.flush()]);
    // Processes that cells started (and their children) do not outlive the kernel.
    await endDescendants(process.pid, 1000);
    await sockets.close();
    if (closed.status === "fulfilled" && closed.value) {
      finished();
      return;
    }
    // The evaluation thread is stuck in native code; Node.js would wait for it before exiting.
    process.stderr.write("deepts: the evaluation thread did not stop (it is inside native code); ending the process\n");
    process.kill(process.pid, "SIGKILL");
  };
  // Cells never run on this thread, so an exception here is a kernel bug: log it and keep serving.
  process.on("uncaughtException", (e) => process.stderr.write(`deepts: internal error: ${e.stack ?? e}\n`));
  process.on("unhandledRejection", (e) =>
    process.stderr.write(`deepts: internal error: ${(e as Error)?.stack ?? e}\n`),
  );
  const onSigint = () => kernel?.interrupt();
  process.on("SIGINT", onSigint);
  process.on("SIGTERM", () => void stop());

  kernel = new Kernel({
    transport: sockets,
    executor,
    session,
    history,
    onShutdown: () => void stop(),
  });
  void sockets.send("iopub", {
    identities: [Buffer.from(`kernel.${session}.status`)],
    header: newHeader("status", session, "kernel"),
    parent_header: {},
    content: { execution_state: "starting" },
  });
  for (const [channel, msg] of early.splice(0)) kernel.handle(channel, msg);
  await done;
}
