/**
 * The processes a kernel leaves behind: children that cells started (`child_process.spawn`, a
 * shell's background jobs) and their own children. Ended at shutdown so that none outlive the
 * kernel. Linux only (read from /proc); elsewhere there is nothing to find.
 */
import { readdirSync, readFileSync } from "node:fs";

/** Parent pid of every process visible in /proc. */
function parentsByPid(): Map<number, number> {
  const parents = new Map<number, number>();
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return parents;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // "pid (comm) state ppid …": comm may hold spaces and parentheses.
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parents.set(Number(entry), ppid);
    } catch {
      // the process ended meanwhile
    }
  }
  return parents;
}

/** Every process below `pid` (children, their children, …). */
export function descendantsOf(pid: number): number[] {
  const parents = parentsByPid();
  const found: number[] = [];
  const frontier = [pid];
  while (frontier.length > 0) {
    const parent = frontier.pop()!;
    for (const [child, ppid] of parents) {
      if (ppid === parent && !found.includes(child)) {
        found.push(child);
        frontier.push(child);
      }
    }
  }
  return found;
}

function signal(pid: number, sig: NodeJS.Signals | 0): boolean {
  try {
    process.kill(pid, sig);
    return true;
  } catch {
    return false;
  }
}

/** Sends `sig` to every descendant of `pid`; returns how many there were. */
export function signalDescendants(pid: number, sig: NodeJS.Signals): number {
  const all = descendantsOf(pid);
  for (const p of all) signal(p, sig);
  return all.length;
}

/**
 * Sends SIGTERM to every descendant of `pid`, then SIGKILL to those still there after `graceMs`.
 * Resolves with how many there were.
 *
 * ```ts
 * await endDescendants(process.pid, 1000);
 * ```
 */
export async function endDescendants(pid: number, graceMs: number): Promise<number> {
  const all = descendantsOf(pid);
  if (all.length === 0) return 0;
  for (const p of all) signal(p, "SIGTERM");
  const deadline = Date.now() + graceMs;
  let alive = all;
  while (alive.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    alive = alive.filter((p) => signal(p, 0) && !isZombie(p));
  }
  for (const p of alive) signal(p, "SIGKILL");
  return all.length;
}

function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return true;
  }
}
