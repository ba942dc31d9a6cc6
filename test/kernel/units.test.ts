import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { HistoryStore } from "../../src/kernel/history.js";
import { kernelsDir, userDataDir } from "../../src/kernel/jupyter-paths.js";
import { OutputBatcher, type StreamName } from "../../src/kernel/worker/output-batcher.js";
import { DisplayUpdates, type DisplayUpdate } from "../../src/kernel/worker/display-updates.js";
import { ReplayGuard } from "../../src/wire/replay.js";

describe("OutputBatcher", () => {
  const make = (maxChars = 1000) => {
    const out: [StreamName, string][] = [];
    const b = new OutputBatcher({ emit: (n, t) => out.push([n, t]), maxChars, delayMs: 1 });
    return { b, out };
  };

  test("coalesces consecutive writes of a stream and keeps stdout/stderr order", () => {
    const { b, out } = make();
    b.write("stdout", "a");
    b.write("stdout", "b");
    b.write("stderr", "E");
    b.write("stdout", "c");
    expect(out).toEqual([]);
    b.flush();
    expect(out).toEqual([
      ["stdout", "ab"],
      ["stderr", "E"],
      ["stdout", "c"],
    ]);
  });

  test("flushes by itself after a short delay", async () => {
    const { b, out } = make();
    b.write("stdout", "later");
    await new Promise((r) => setTimeout(r, 20));
    expect(out).toEqual([["stdout", "later"]]);
  });

  test("caps a cell's output with one notice, and resets for the next cell", () => {
    const { b, out } = make(10);
    b.write("stdout", "12345678");
    b.write("stdout", "ABCDEF");
    b.write("stdout", "dropped");
    b.flush();
    expect(out[0]).toEqual(["stdout", "12345678AB"]);
    expect(out[1]![0]).toBe("stderr");
    expect(out[1]![1]).toMatch(/output truncated/);
    expect(out).toHaveLength(2);
    b.startCell();
    b.write("stdout", "again");
    b.flush();
    expect(out[2]).toEqual(["stdout", "again"]);
  });
});

describe("HistoryStore", () => {
  test("persists sessions to a file and numbers the next session after them", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "deepts-hist-")), "sub", "history.json");
    const first = new HistoryStore(file);
    await first.load();
    first.add(1, "let a = 1", null);
    first.add(2, "a + 1", "2");
    await first.flush();
    expect(JSON.parse(readFileSync(file, "utf8")).entries).toHaveLength(2);
    const second = new HistoryStore(file);
    await second.load();
    expect(second.session).toBe(2);
    second.add(1, "a * 3", "3");
    expect(second.query({ hist_access_type: "tail", n: 3 })).toEqual([
      [1, 1, "let a = 1"],
      [1, 2, "a + 1"],
      [2, 1, "a * 3"],
    ]);
    expect(second.query({ hist_access_type: "range", session: -1, start: 2, stop: 3, output: true })).toEqual([
      [1, 2, ["a + 1", "2"]],
    ]);
    expect(second.query({ hist_access_type: "range", session: 0 })).toEqual([[2, 1, "a * 3"]]);
  });

  test("a corrupt file starts fresh", async () => {
    const dir = mkdtempSync(join(tmpdir(), "deepts-hist-"));
    const file = join(dir, "history.json");
    (await import("node:fs")).writeFileSync(file, "{garbage");
    const h = new HistoryStore(file);
    await h.load();
    expect(h.session).toBe(1);
  });
});

describe("Jupyter paths", () => {
  const home = "/home/ada";
  test("user data dir per platform and JUPYTER_DATA_DIR", () => {
    expect(userDataDir({ platform: "linux", env: {}, home })).toBe("/home/ada/.local/share/jupyter");
    expect(userDataDir({ platform: "linux", env: { XDG_DATA_HOME: "/xdg" }, home })).toBe("/xdg/jupyter");
    expect(userDataDir({ platform: "darwin", env: {}, home })).toBe("/home/ada/Library/Jupyter");
    expect(userDataDir({ platform: "win32", env: { APPDATA: "C:\\Users\\ada\\AppData\\Roaming" }, home })).toMatch(
      /Roaming[\\/]jupyter$/,
    );
    expect(userDataDir({ platform: "linux", env: { JUPYTER_DATA_DIR: "/custom" }, home })).toBe("/custom");
  });

  test("kernels dir for --user and --prefix", () => {
    expect(kernelsDir({ kind: "user" }, { platform: "linux", env: {}, home })).toBe(
      "/home/ada/.local/share/jupyter/kernels",
    );
    expect(kernelsDir({ kind: "prefix", dir: "/opt/env" })).toBe("/opt/env/share/jupyter/kernels");
  });
});

describe("ReplayGuard", () => {
  test("refuses a signature seen before, in any case of hex digits; forgets the oldest beyond its capacity", () => {
    const guard = new ReplayGuard(3);
    expect(guard.accept("aa01")).toBe(true);
    expect(guard.accept("aa01")).toBe(false);
    expect(guard.accept("AA01")).toBe(false);
    for (const s of ["bb", "cc", "dd"]) expect(guard.accept(s)).toBe(true);
    // "aa01" was the oldest of four: forgotten.
    expect(guard.accept("aa01")).toBe(true);
    expect(guard.accept("dd")).toBe(false);
  });

  test("unsigned messages (no key) are never taken for replays", () => {
    const guard = new ReplayGuard();
    expect(guard.accept("")).toBe(true);
    expect(guard.accept("")).toBe(true);
  });
});

describe("DisplayUpdates", () => {
  const update = (displayId: string, n: number): DisplayUpdate => ({
    displayId,
    data: { "text/plain": String(n) },
    metadata: {},
  });

  test("10,000 updates of one display in a loop send a handful of messages, the last state last", () => {
    const sent: DisplayUpdate[] = [];
    const u = new DisplayUpdates({ emit: (x) => sent.push(x), intervalMs: 50 });
    const t0 = Date.now();
    for (let i = 0; i < 10_000; i++) u.update(update("d", i));
    u.flush();
    const elapsed = Date.now() - t0;
    expect(sent.at(-1)!.data["text/plain"]).toBe("9999");
    expect(sent.length).toBeLessThanOrEqual(2 + Math.ceil(elapsed / 50));
  });

  test("keeps the latest state of each display, in the order they last changed", () => {
    const sent: DisplayUpdate[] = [];
    const u = new DisplayUpdates({ emit: (x) => sent.push(x), intervalMs: 1000 });
    u.update(update("a", 1)); // first one goes out at once
    u.update(update("b", 1));
    u.update(update("a", 2));
    u.update(update("b", 2));
    u.update(update("a", 3));
    u.flush();
    expect(sent.map((x) => `${x.displayId}${x.data["text/plain"]}`)).toEqual(["a1", "b2", "a3"]);
  });

  test("an update held back goes out by itself after the interval", async () => {
    const sent: DisplayUpdate[] = [];
    const u = new DisplayUpdates({ emit: (x) => sent.push(x), intervalMs: 20 });
    u.update(update("a", 1));
    u.update(update("a", 2));
    expect(sent).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 60));
    expect(sent.map((x) => x.data["text/plain"])).toEqual(["1", "2"]);
  });
});
