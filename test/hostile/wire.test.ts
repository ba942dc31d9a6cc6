/**
 * Hostile and broken input on the wire, sent through the five ZeroMQ sockets to deepts and to the
 * reference kernel (ipykernel) side by side; the results table goes to docs/hostile-probes.md.
 * deepts must pass every probe: nothing forged or replayed runs, every request with wrongly typed
 * fields is answered, the kernel never stops answering, the key and the connection file path are
 * in no message, it listens on exactly its five ports, and the ipc transport works.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { TestKernel } from "../kernel/client.js";
import {
  ipykernelMissing,
  type KernelKind,
  type ProbeRow,
  resultOf,
  startKernel,
  unhealthy,
  writeReportSection,
} from "./harness.js";
import { type Outcome, wireProbes } from "./wire-probes.js";

const missing = ipykernelMissing();
const kinds: KernelKind[] = missing ? ["deepts"] : ["deepts", "ipykernel"];
const kernels = new Map<KernelKind, TestKernel>();
const rows: ProbeRow[] = [];
/** Messages seen per kernel, and how many contained its key or its connection file's path. */
const leaks = new Map<KernelKind, { messages: number; key: number; path: number }>();

async function start(kind: KernelKind): Promise<TestKernel> {
  const k = await startKernel(kind);
  const key = Buffer.from(k.info.key);
  const path = Buffer.from(join(k.dir, "connection.json"));
  const seen = leaks.get(kind) ?? { messages: 0, key: 0, path: 0 };
  leaks.set(kind, seen);
  k.onFrames = (_channel, frames) => {
    seen.messages++;
    if (frames.some((f) => f.includes(key))) seen.key++;
    if (frames.some((f) => f.includes(path))) seen.path++;
  };
  await k.execute("1", {}, 60_000);
  kernels.set(kind, k);
  return k;
}

beforeAll(async () => {
  await Promise.all(kinds.map(start));
}, 120_000);

afterAll(async () => {
  const rest = rows.map((r) => ({ ...r, ipykernel: missing ? `not run (${missing})` : r.ipykernel }));
  writeReportSection(
    "wire",
    "Forged and broken input on the wire",
    "Each probe, then a health check (heartbeat and kernel_info); a kernel that ended is restarted for the next probe.",
    rest,
  );
  await Promise.all([...kernels.values()].map((k) => k.shutdown()));
}, 60_000);

/** Runs a probe on one kernel, then checks its health (restarting a reference kernel that ended). */
async function probeOne(kind: KernelKind, run: (k: TestKernel) => Promise<Outcome>): Promise<Outcome> {
  const k = kernels.get(kind)!;
  let outcome: Outcome;
  try {
    outcome = await run(k);
  } catch (e) {
    outcome = { text: `probe failed: ${(e as Error).message}`, ok: false };
  }
  const problem = await unhealthy(k);
  if (problem === undefined) return outcome;
  if (kind !== "deepts") {
    await k.shutdown().catch(() => undefined);
    await start(kind);
  }
  return { text: `${outcome.text}; then ${problem}`, ok: false };
}

describe("forged and broken input through the five sockets", () => {
  for (const probe of wireProbes()) {
    test(probe.name, async () => {
      const outcomes = await Promise.all(kinds.map((kind) => probeOne(kind, (k) => probe.run(k, kind))));
      const [mine, reference] = outcomes;
      rows.push({
        probe: probe.name,
        deepts: `${mine!.ok ? "pass" : "FAIL"}: ${mine!.text}`,
        ipykernel: reference ? `${reference.ok ? "pass" : "FAIL"}: ${reference.text}` : "",
      });
      expect(mine, probe.name).toMatchObject({ ok: true });
    }, 60_000);
  }
});

describe("what the kernel exposes", () => {
  test("the key and the connection file path are in no message, and the key is not in the log", () => {
    const describe = (kind: KernelKind) => {
      const l = leaks.get(kind)!;
      const ok = l.key === 0 && l.path === 0;
      return { ok, text: `${ok ? "pass" : "FAIL"}: ${l.messages} messages; key in ${l.key}, path in ${l.path}` };
    };
    const mine = describe("deepts");
    const log = kernels.get("deepts")!.stderr;
    const keyInLog = log.includes(kernels.get("deepts")!.info.key);
    rows.push({
      probe: "the key and the connection file path never appear in a message (all messages of this run)",
      deepts: `${mine.text}${keyInLog ? "; KEY IN LOG" : ""}`,
      ipykernel: kinds.includes("ipykernel") ? describe("ipykernel").text : "",
    });
    expect(mine.ok).toBe(true);
    expect(keyInLog).toBe(false);
  });

  test("the kernel listens on exactly its five ports, on the connection file's address", () => {
    const listening = (pid: number) => {
      const out = execFileSync("ss", ["-H", "-ltnp"], { encoding: "utf8" });
      return out
        .split("\n")
        .filter((line) => line.includes(`pid=${pid},`))
        .map((line) => line.trim().split(/\s+/)[3]!)
        .sort();
    };
    const expected = (k: TestKernel) =>
      [k.info.shell_port, k.info.iopub_port, k.info.stdin_port, k.info.control_port, k.info.hb_port]
        .map((p) => `${k.info.ip}:${p}`)
        .sort();
    const check = (kind: KernelKind) => {
      const k = kernels.get(kind)!;
      const got = listening(k.proc.pid!);
      const ok = JSON.stringify(got) === JSON.stringify(expected(k));
      return { ok, got, text: `${ok ? "pass" : "FAIL"}: ${got.join(", ")}` };
    };
    const mine = check("deepts");
    rows.push({
      probe: "listening sockets of the kernel process (ss -ltnp)",
      deepts: mine.text,
      ipykernel: kinds.includes("ipykernel") ? check("ipykernel").text : "",
    });
    expect(mine.got).toEqual(expected(kernels.get("deepts")!));
  });

  test("the ipc transport works", async () => {
    const run = async (kind: KernelKind) => {
      const k = await startKernel(kind, { transport: "ipc" });
      try {
        const value = await resultOf(k, "6 * 7", 60_000);
        const files = existsSync(`${k.info.ip}-${k.info.shell_port}`);
        return { ok: value === "42" && files, text: `6 * 7 → ${value}; socket files ${files ? "present" : "missing"}` };
      } finally {
        await k.shutdown();
      }
    };
    const [mine, reference] = await Promise.all(kinds.map(run));
    rows.push({
      probe: "a kernel on the ipc transport runs a cell",
      deepts: `${mine!.ok ? "pass" : "FAIL"}: ${mine!.text}`,
      ipykernel: reference ? `${reference.ok ? "pass" : "FAIL"}: ${reference.text}` : "",
    });
    expect(mine!.ok).toBe(true);
  }, 120_000);
});
