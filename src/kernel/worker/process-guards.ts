/**
 * Refuses what a cell could do to end the kernel from inside: `process.exit`, `process.abort`, and
 * signals to the kernel process, its process group, its parent (the Jupyter server), or to every
 * process at once. Signal 0 (a liveness probe) stays allowed. A cell can still start a child
 * process that signals them; this guards against mistakes, not against an attacker.
 */
import { readFileSync } from "node:fs";

/** The kernel's process group id (Linux: field 5 of /proc/self/stat), or undefined where unknown. */
function processGroupId(): number | undefined {
  try {
    const stat = readFileSync("/proc/self/stat", "utf8");
    // "pid (comm) state ppid pgrp …": comm may contain spaces and parentheses, so split after the last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const pgrp = Number(fields[2]);
    return Number.isInteger(pgrp) && pgrp > 0 ? pgrp : undefined;
  } catch {
    return undefined;
  }
}

function forbidden(what: string): never {
  throw new Error(
    `${what} is not allowed in a notebook cell: it would stop the kernel. Use the notebook's "Restart kernel" instead.`,
  );
}

/** What signalling `pid` would hit, when that is the kernel or what it depends on. */
function protectedTarget(pid: number, kernel: number, parent: number, group: number | undefined): string | undefined {
  if (pid === -1) return "every process this user may signal";
  if (pid === 0 || (group !== undefined && pid === -group)) return "the kernel's process group";
  if (pid === kernel || pid === -kernel) return "the kernel itself";
  if (pid === parent || pid === -parent) return "the Jupyter server that started the kernel";
  return undefined;
}

const isProbe = (signal: unknown) => signal === 0 || signal === "0";

/** Installs the guards on this thread's `process` (the evaluation thread's). */
export function installProcessGuards(): void {
  process.exit = (() => forbidden("process.exit()")) as typeof process.exit;
  process.abort = (() => forbidden("process.abort()")) as typeof process.abort;
  const kernel = process.pid;
  const parent = process.ppid;
  const group = processGroupId();
  const check = (pid: unknown, signal: unknown) => {
    const target = protectedTarget(Number(pid), kernel, parent, group);
    if (target && !isProbe(signal))
      forbidden(
        `process.kill(${String(pid)}${signal === undefined ? "" : `, ${JSON.stringify(signal)}`}) of ${target}`,
      );
  };
  const kill = process.kill.bind(process);
  process.kill = ((pid: number, signal?: string | number) => {
    check(pid, signal);
    return kill(pid, signal);
  }) as typeof process.kill;
  // process.kill calls this internal one with a signal number; a cell could call it directly.
  const internal = process as unknown as { _kill?: (pid: number, signal: number) => number };
  const rawKill = internal._kill;
  if (typeof rawKill === "function") {
    internal._kill = (pid: number, signal: number) => {
      check(pid, signal);
      return rawKill.call(process, pid, signal);
    };
  }
}
