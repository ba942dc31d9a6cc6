/**
 * Forged and broken input sent to a kernel through its five ZeroMQ sockets (and raw TCP), the same
 * for deepts and the reference kernel. Each probe reports what the kernel did with it; a probe
 * fails when a forged message is executed, a replay runs twice, or (for deepts) a request with
 * wrongly typed fields goes unanswered. The caller checks the kernel's health after each.
 */
import { createHmac, randomBytes, randomUUID } from "node:crypto";
import { connect, type Socket } from "node:net";
import * as zmq from "zeromq";
import { endpoint } from "../../src/wire/connection.js";
import { DELIMITER } from "../../src/wire/framing.js";
import { newHeader, type JupyterMessage } from "../../src/wire/message.js";
import type { TestKernel } from "../kernel/client.js";
import { type KernelKind, LANGUAGES, resultOf, sleep } from "./harness.js";

export interface Outcome {
  /** What happened, in a few words (shown in the table). */
  text: string;
  /** false: the kernel did what it must never do (or, for deepts, did not answer a request). */
  ok: boolean;
}

export interface Probe {
  name: string;
  run(k: TestKernel, kind: KernelKind): Promise<Outcome>;
}

type Channel = "shell" | "control" | "stdin";

/** How long a probe waits for a reply that may not come. */
const QUIET_MS = 600;

let flagCounter = 0;
const freshName = (stem: string) => `${stem}_${process.pid}_${++flagCounter}`;

function parts(k: TestKernel, msgType: string, content: unknown, header?: Record<string, unknown>): Buffer[] {
  const h = header ?? newHeader(msgType, k.session, "prober");
  return [JSON.stringify(h), "{}", "{}", JSON.stringify(content)].map((s) => Buffer.from(s));
}

const sign = (k: TestKernel, p: Buffer[]) => Buffer.from(k.signer.sign(p));
const hmacWith = (key: string, p: Buffer[]) => {
  const h = createHmac("sha256", key);
  for (const x of p) h.update(x);
  return Buffer.from(h.digest("hex"));
};

/** Describes a reply for the table. */
function describeReply(reply: JupyterMessage | undefined): string {
  if (!reply) return "dropped";
  const c = reply.content;
  const status = typeof c.status === "string" ? c.status : "no status";
  const detail = status === "error" ? ` (${c.ename}: ${String(c.evalue).slice(0, 60)})` : "";
  return `answered ${reply.header.msg_type} ${status}${detail}`;
}

/** Sends frames that carry msg_id `id` and waits a moment for a reply. */
async function sendAndWatch(
  k: TestKernel,
  channel: Channel,
  frames: Buffer[],
  id: string,
): Promise<JupyterMessage | undefined> {
  const reply = k.waitReply(id, QUIET_MS);
  await k.sendFrames(channel, frames);
  return reply;
}

/** A forged execute_request (signature from `forge`) whose code sets a flag: it must never run. */
function forgedExecute(name: string, forge: (k: TestKernel, p: Buffer[]) => Buffer): Probe {
  return {
    name,
    async run(k, kind) {
      const lang = LANGUAGES[kind];
      const flag = freshName("forged");
      const header = newHeader("execute_request", k.session, "prober");
      const p = parts(k, "execute_request", { code: lang.setFlag(flag), silent: false }, header);
      const reply = await sendAndWatch(k, "shell", [DELIMITER, forge(k, p), ...p], header.msg_id);
      const ran = (await resultOf(k, lang.hasFlag(flag))) === lang.truth;
      return ran ? { text: "EXECUTED", ok: false } : { text: `${describeReply(reply)}; not executed`, ok: true };
    },
  };
}

/** A correctly signed message with broken parts: it may be dropped or answered, never crash the kernel. */
function brokenSigned(name: string, make: (k: TestKernel, id: string) => Buffer[], channel: Channel = "shell"): Probe {
  return {
    name,
    async run(k) {
      const id = randomUUID();
      const p = make(k, id);
      const reply = await sendAndWatch(k, channel, [DELIMITER, sign(k, p), ...p], id);
      return { text: describeReply(reply), ok: true };
    },
  };
}

/** A signed request whose content has a wrongly typed field: deepts must answer it. */
function wronglyTyped(msgType: string, content: Record<string, unknown>, channel: Channel = "shell"): Probe {
  return {
    name: `${msgType} with ${JSON.stringify(content)}`,
    async run(k, kind) {
      const header = newHeader(msgType, k.session, "prober");
      const p = parts(k, msgType, content, header);
      const reply = await sendAndWatch(k, channel, [DELIMITER, sign(k, p), ...p], header.msg_id);
      // A late reply would still be a reply; give a kernel that answers slowly more time.
      const late = reply ?? (await k.waitReply(header.msg_id, 2000));
      return { text: describeReply(late), ok: kind !== "deepts" || late !== undefined };
    },
  };
}

/** Frames that are not a Jupyter message at all. */
function junkFrames(name: string, frames: () => Buffer[], channels: Channel[] = ["shell", "control", "stdin"]): Probe {
  return {
    name: `${name} on ${channels.join(", ")}`,
    async run(k) {
      for (const channel of channels) await k.sendFrames(channel, frames());
      await sleep(QUIET_MS);
      return { text: "dropped", ok: true };
    },
  };
}

const ports = (k: TestKernel) =>
  [k.info.shell_port, k.info.iopub_port, k.info.stdin_port, k.info.control_port, k.info.hb_port] as const;

/** Opens a raw TCP connection to each of the five ports, writes `bytes`, and closes. */
function rawTcp(name: string, bytes: () => Buffer): Probe {
  return {
    name: `${name} on all five ports (raw TCP)`,
    async run(k) {
      if (k.info.transport !== "tcp") return { text: "not a tcp kernel", ok: true };
      const answers: number[] = [];
      await Promise.all(
        ports(k).map(
          (port) =>
            new Promise<void>((resolve) => {
              let got = 0;
              const s = connect(port, k.info.ip, () => s.write(bytes()));
              s.on("data", (d) => (got += d.length));
              s.on("error", () => resolve());
              s.on("close", () => {
                answers.push(got);
                resolve();
              });
              setTimeout(() => s.destroy(), QUIET_MS).unref();
            }),
        ),
      );
      return { text: "connections dropped", ok: true };
    },
  };
}

/** Holds `n` idle TCP connections on every port while the kernel must go on answering. */
function idleConnections(n: number): Probe {
  return {
    name: `${n} idle TCP connections on each of the five ports`,
    async run(k) {
      if (k.info.transport !== "tcp") return { text: "not a tcp kernel", ok: true };
      const sockets: Socket[] = [];
      for (const port of ports(k))
        for (let i = 0; i < n; i++) sockets.push(connect(port, k.info.ip).on("error", () => undefined));
      await sleep(1000);
      const t0 = performance.now();
      let answered = false;
      try {
        await k.request("shell", "kernel_info_request", {}, 10_000);
        answered = true;
      } catch {
        // reported below
      }
      const ms = performance.now() - t0;
      for (const s of sockets) s.destroy();
      return answered
        ? { text: `kernel_info answered in ${ms.toFixed(0)} ms while they were open`, ok: true }
        : { text: "kernel_info unanswered while they were open", ok: false };
    },
  };
}

/** A message on the iopub port (a PUB socket takes none) and a signed message on heartbeat. */
const otherSockets: Probe = {
  name: "a signed bogus message on iopub and on heartbeat",
  async run(k) {
    const dealer = new zmq.Dealer({ linger: 0, sendTimeout: 500 });
    dealer.connect(endpoint(k.info, "iopub"));
    const p = parts(k, "bogus_request", {});
    await dealer.send([DELIMITER, sign(k, p), ...p]).catch(() => undefined);
    dealer.close();
    const req = new zmq.Request({ linger: 0, receiveTimeout: 2000, sendTimeout: 2000 });
    req.connect(endpoint(k.info, "hb"));
    let echoed = false;
    try {
      await req.send([DELIMITER, sign(k, p), ...p]);
      const back = await req.receive();
      echoed = back.length === p.length + 2;
    } catch {
      // no echo
    } finally {
      req.close();
    }
    return { text: `iopub: dropped; heartbeat: ${echoed ? "echoed" : "no echo"}`, ok: true };
  },
};

/** The same correctly signed message sent twice: the second copy must not run. */
const replay: Probe = {
  name: "a correctly signed execute_request sent twice (replay)",
  async run(k, kind) {
    const lang = LANGUAGES[kind];
    const counter = freshName("replayed");
    const header = newHeader("execute_request", k.session, "prober");
    const p = parts(k, "execute_request", { code: lang.count(counter), silent: false }, header);
    const frames = [DELIMITER, sign(k, p), ...p];
    const firstReply = k.waitReply(header.msg_id, 10_000);
    await k.sendFrames("shell", frames);
    const first = await firstReply;
    const second = await sendAndWatch(k, "shell", frames, header.msg_id);
    const runs = await resultOf(k, lang.read(counter));
    const ok = runs === "1";
    return {
      text: `first ${first ? "answered" : "dropped"}; copy ${second ? "answered" : "dropped"}; ran ${runs} time${runs === "1" ? "" : "s"}`,
      ok,
    };
  },
};

const unknownType = (channel: Channel): Probe =>
  brokenSigned(
    `an unknown message type on ${channel}`,
    (k, id) => parts(k, "", {}, { ...newHeader("bogus_request", k.session, "prober"), msg_id: id }),
    channel,
  );

const replyToKernel = (msgType: string, channel: Channel, content: Record<string, unknown>): Probe =>
  brokenSigned(
    `a ${msgType} sent to the kernel on ${channel}`,
    (k, id) => parts(k, "", content, { ...newHeader(msgType, k.session, "prober"), msg_id: id }),
    channel,
  );

/** Every probe, in the order they run. */
export function wireProbes(): Probe[] {
  const headerWithout = (field: string) => (k: TestKernel, id: string) => {
    const h: Record<string, unknown> = { ...newHeader("kernel_info_request", k.session, "prober"), msg_id: id };
    delete h[field];
    return parts(k, "", {}, h);
  };
  const withPart = (index: number, text: string) => (k: TestKernel, id: string) => {
    const p = parts(k, "", {}, { ...newHeader("kernel_info_request", k.session, "prober"), msg_id: id });
    p[index] = Buffer.from(text);
    return p;
  };
  return [
    forgedExecute("execute_request with an empty signature", () => Buffer.alloc(0)),
    forgedExecute("execute_request with a wrong HMAC", () => Buffer.from(randomBytes(32).toString("hex"))),
    forgedExecute("execute_request with a non-hex signature", () => Buffer.from("zz".repeat(32))),
    forgedExecute("execute_request signed with an empty key (the kernel has a key)", (_k, p) => hmacWith("", p)),
    forgedExecute("execute_request signed with another key", (_k, p) => hmacWith("not-the-key", p)),
    forgedExecute("execute_request with a valid signature of other content", (k, p) =>
      sign(k, [p[0]!, p[1]!, p[2]!, Buffer.from("{}")]),
    ),
    replay,
    brokenSigned("header without msg_id", headerWithout("msg_id")),
    brokenSigned("header without msg_type", headerWithout("msg_type")),
    brokenSigned("header without session, username, date and version", (k, id) =>
      parts(k, "", {}, { msg_id: id, msg_type: "kernel_info_request" }),
    ),
    brokenSigned("header is not JSON", withPart(0, "{not json")),
    brokenSigned("header is a JSON array", withPart(0, "[1,2]")),
    brokenSigned("parent_header is not JSON", withPart(1, "\u0000\u00ff")),
    brokenSigned("parent_header is a JSON string", withPart(1, '"parent"')),
    brokenSigned("metadata is JSON null", withPart(2, "null")),
    brokenSigned("content is not JSON", withPart(3, "{")),
    brokenSigned("content is a JSON number", withPart(3, "5")),
    brokenSigned("msg_id and msg_type are numbers", (k, id) =>
      parts(k, "", {}, { ...newHeader("x", k.session, "prober"), msg_id: 7, msg_type: 8, id }),
    ),
    wronglyTyped("execute_request", { code: 42, silent: false }),
    wronglyTyped("execute_request", { code: "1", user_expressions: [1, 2] }),
    wronglyTyped("execute_request", { silent: false }),
    wronglyTyped("complete_request", { code: null, cursor_pos: "end" }),
    wronglyTyped("inspect_request", { code: "x", cursor_pos: "x", detail_level: "full" }),
    wronglyTyped("history_request", { hist_access_type: "search", pattern: 5, output: false, raw: true }),
    wronglyTyped("history_request", { hist_access_type: "tail", n: "ten", output: false, raw: true }),
    wronglyTyped("history_request", { hist_access_type: ["range"], output: false, raw: true }),
    wronglyTyped("is_complete_request", { code: { text: "1" } }),
    wronglyTyped("comm_info_request", { target_name: 5 }),
    wronglyTyped("kernel_info_request", { unexpected: [1, { deep: true }] }),
    wronglyTyped("interrupt_request", { now: "please" }, "control"),
    brokenSigned("comm_open with a numeric comm_id", (k, id) =>
      parts(
        k,
        "",
        { comm_id: 5, target_name: 6, data: "x" },
        { ...newHeader("comm_open", k.session, "prober"), msg_id: id },
      ),
    ),
    brokenSigned("comm_msg for a comm that does not exist", (k, id) =>
      parts(k, "", { comm_id: "nope", data: {} }, { ...newHeader("comm_msg", k.session, "prober"), msg_id: id }),
    ),
    unknownType("shell"),
    unknownType("control"),
    unknownType("stdin"),
    otherSockets,
    replyToKernel("execute_reply", "shell", { status: "ok", execution_count: 1 }),
    replyToKernel("kernel_info_reply", "control", { status: "ok" }),
    replyToKernel("input_reply", "stdin", { value: "nobody asked" }),
    junkFrames("one junk frame", () => [Buffer.from("garbage")]),
    junkFrames("the delimiter alone", () => [DELIMITER]),
    junkFrames("delimiter and five random frames", () => [
      DELIMITER,
      ...Array.from({ length: 5 }, () => randomBytes(64)),
    ]),
    junkFrames("1,000 empty frames", () => Array.from({ length: 1000 }, () => Buffer.alloc(0))),
    junkFrames("a 10 MB random frame", () => [randomBytes(10 * 2 ** 20)]),
    rawTcp("an HTTP request", () => Buffer.from("GET / HTTP/1.1\r\nHost: kernel\r\n\r\n")),
    rawTcp("64 KB of random bytes", () => randomBytes(65536)),
    rawTcp("a ZMTP greeting followed by junk", () =>
      Buffer.concat([Buffer.from([0xff, 0, 0, 0, 0, 0, 0, 0, 1, 0x7f, 3, 0]), randomBytes(4096)]),
    ),
    idleConnections(100),
    // Last: a kernel that takes it as a shutdown request ends here.
    wronglyTyped("shutdown_request", { restart: "maybe" }, "control"),
  ];
}
