// Kernel latency: start → kernel_info_reply, first `1+1` result, and the median `1+1` execute round trip,
// for deepts and tslab in the same run. Needs `npm run build` first.
// Usage: node bench/kernel.js [--runs 100] [--starts 5] [--kernels deepts,tslab] [--json file]  (--json: also write the figures, in ms, there)
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as zmq from "zeromq";
import { decodeMessage, encodeMessage } from "../dist/wire/framing.js";
import { newHeader } from "../dist/wire/message.js";
import { createSigner } from "../dist/wire/signing.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const RUNS = arg("--runs", 100);
const STARTS = arg("--starts", 5);
const CODE = "1+1";
/** The same cell without type checking separates protocol cost from the language service's. */
const NOCHECK = "// @ts-nocheck\n1+1";

const KERNELS = {
  deepts: (cf) => [process.execPath, join(root, "dist/cli/main.js"), "kernel", cf],
  tslab: (cf) => [join(root, "node_modules/.bin/tslab"), "kernel", "--config-path", cf],
};

/** Distinct free ports, all held open until every one is chosen. */
const freePorts = async (n) => {
  const servers = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise((res) => {
          const s = createServer().listen(0, "127.0.0.1", () => res(s));
        }),
    ),
  );
  const ports = servers.map((s) => s.address().port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
};

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Starts a kernel, times kernel_info and `1+1` round trips, shuts it down. */
async function session(name, runs, code = CODE) {
  const dir = mkdtempSync(join(tmpdir(), `bench-${name}-`));
  const [shell_port, iopub_port, stdin_port, control_port, hb_port] = await freePorts(5);
  const info = {
    transport: "tcp",
    ip: "127.0.0.1",
    key: randomUUID(),
    signature_scheme: "hmac-sha256",
    shell_port,
    iopub_port,
    stdin_port,
    control_port,
    hb_port,
  };
  const cf = join(dir, "connection.json");
  writeFileSync(cf, JSON.stringify(info));
  const signer = createSigner(info.signature_scheme, info.key);
  const clientSession = randomUUID();
  const shell = new zmq.Dealer({ linger: 0, reconnectInterval: 1, routingId: clientSession });
  const iopub = new zmq.Subscriber({ linger: 0, reconnectInterval: 1 });
  const control = new zmq.Dealer({ linger: 0, reconnectInterval: 1 });
  shell.connect(`tcp://127.0.0.1:${info.shell_port}`);
  control.connect(`tcp://127.0.0.1:${info.control_port}`);
  iopub.connect(`tcp://127.0.0.1:${info.iopub_port}`);
  iopub.subscribe();

  const waiters = new Map();
  const idleWaiters = new Map();
  for (const socket of [shell, control]) {
    (async () => {
      for await (const frames of socket) {
        const m = decodeMessage(frames, signer);
        waiters.get(m.parent_header.msg_id)?.(m);
      }
    })().catch(() => {});
  }
  (async () => {
    for await (const frames of iopub) {
      const m = decodeMessage(frames, signer);
      if (m.header.msg_type === "status" && m.content.execution_state === "idle")
        idleWaiters.get(m.parent_header.msg_id)?.(m);
    }
  })().catch(() => {});
  const request = (socket, msgType, content, waitIdle) => {
    const header = newHeader(msgType, clientSession, "bench");
    const reply = new Promise((r) => waiters.set(header.msg_id, r));
    const idle = waitIdle ? new Promise((r) => idleWaiters.set(header.msg_id, r)) : undefined;
    void socket.send(encodeMessage({ header, parent_header: {}, content }, signer));
    return waitIdle ? Promise.all([reply, idle]).then(([m]) => m) : reply;
  };
  const execute = (code) =>
    request(
      shell,
      "execute_request",
      { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true },
      true,
    );

  const argv = KERNELS[name](cf);
  const t0 = performance.now();
  const proc = spawn(argv[0], argv.slice(1), {
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, DEEPTS_HISTORY_FILE: "" },
    cwd: dir,
  });
  let stderr = "";
  proc.stderr.on("data", (d) => (stderr += d));
  const exited = new Promise((r) => proc.once("exit", r));
  const infoReply = await Promise.race([
    request(shell, "kernel_info_request", {}, false),
    exited.then(() => {
      throw new Error(`${name} exited: ${stderr}`);
    }),
  ]);
  const kernelInfoMs = performance.now() - t0;
  if (infoReply.header.msg_type !== "kernel_info_reply") throw new Error(`${name}: no kernel_info_reply`);
  // Make sure iopub is subscribed before timing executes (idle status must not be missed).
  for (;;) {
    const header = newHeader("kernel_info_request", clientSession, "bench");
    const idle = new Promise((r) => idleWaiters.set(header.msg_id, r));
    void shell.send(encodeMessage({ header, parent_header: {}, content: {} }, signer));
    if (await Promise.race([idle.then(() => true), new Promise((r) => setTimeout(() => r(false), 100))])) break;
  }
  const first = await execute("1+1");
  const firstMs = performance.now() - t0;
  if (first.content.status !== "ok") throw new Error(`${name}: 1+1 failed: ${JSON.stringify(first.content)}`);
  const trips = [];
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    await execute(code);
    trips.push(performance.now() - s);
  }
  await request(control, "shutdown_request", { restart: false }, false);
  const killer = setTimeout(() => proc.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(killer);
  for (const s of [shell, iopub, control]) s.close();
  return { kernelInfoMs, firstMs, trips };
}

const kernelsIndex = process.argv.indexOf("--kernels");
const NAMES =
  kernelsIndex > 0 ? process.argv[kernelsIndex + 1].split(",").filter((n) => n in KERNELS) : Object.keys(KERNELS);
/** A session that hangs (a kernel that never answers) fails after this long instead of blocking the run. */
const SESSION_LIMIT_MS = 120_000;
const limited = (p, name) =>
  Promise.race([
    p,
    new Promise((_, reject) =>
      setTimeout(
        () => reject(new Error(`${name}: no answer within ${SESSION_LIMIT_MS / 1000} s`)),
        SESSION_LIMIT_MS,
      ).unref(),
    ),
  ]);

const results = {};
for (const name of NAMES) {
  try {
    results[name] = await measureKernel(name);
  } catch (e) {
    process.stderr.write(`${e.message ?? e}\n`);
    results[name] = { error: String(e.message ?? e) };
  }
}

async function measureKernel(name) {
  const starts = [];
  const firsts = [];
  let trips = [];
  for (let i = 0; i < STARTS; i++) {
    const r = await limited(session(name, i === 0 ? RUNS : 0), name);
    starts.push(r.kernelInfoMs);
    firsts.push(r.firstMs);
    if (i === 0) trips = r.trips;
  }
  const nocheck = (await limited(session(name, RUNS, NOCHECK), name)).trips;
  return { start: median(starts), first: median(firsts), trip: median(trips), nocheck: median(nocheck) };
}

const rows = [
  [`start → kernel_info_reply (median of ${STARTS})`, "start"],
  [`start → first \`1+1\` result (median of ${STARTS})`, "first"],
  [`\`1+1\` execute round trip (median of ${RUNS})`, "trip"],
  [`\`// @ts-nocheck\` + \`1+1\` round trip (median of ${RUNS})`, "nocheck"],
];
const fmt = (ms) => (typeof ms === "number" ? `${ms.toFixed(ms < 10 ? 2 : 0)} ms` : "error");
const both = results.deepts && results.tslab;
const lines = [
  `| measure | ${NAMES.join(" | ")} |${both ? " tslab / deepts |" : ""}`,
  `|---|${NAMES.map(() => "---:|").join("")}${both ? "---:|" : ""}`,
  ...rows.map(([label, key]) => {
    const ratio = both
      ? ` ${typeof results.tslab[key] === "number" && typeof results.deepts[key] === "number" ? (results.tslab[key] / results.deepts[key]).toFixed(2) + "×" : "—"} |`
      : "";
    return `| ${label} | ${NAMES.map((n) => fmt(results[n][key])).join(" | ")} |${ratio}`;
  }),
];
console.log(lines.join("\n"));
const jsonIndex = process.argv.indexOf("--json");
if (jsonIndex > 0)
  writeFileSync(
    process.argv[jsonIndex + 1],
    JSON.stringify({ runs: RUNS, starts: STARTS, unit: "ms", results }, null, 1),
  );
