/**
 * A real Jupyter server (Debian's jupyter_server) with the installed kernelspec, driven from Node by
 * @jupyterlab/services as JupyterLab does: start a kernel, execute, interrupt, restart, shut down.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { KernelManager, ServerConnection, type Kernel, type KernelMessage } from "@jupyterlab/services";
import { afterAll, beforeAll, expect, test } from "vitest";
import WebSocket from "ws";
import { freePort, installKernelspec } from "./client.js";

let server: ChildProcess;
let manager: KernelManager;
let serverLog = "";

beforeAll(async () => {
  const { prefix, env } = installKernelspec("server");
  const root = join(prefix, "notebooks");
  mkdirSync(root);
  const port = await freePort();
  const token = randomUUID();
  server = spawn(
    "/usr/bin/python3",
    [
      "-m",
      "jupyter_server",
      `--ServerApp.token=${token}`,
      `--port=${port}`,
      "--ip=127.0.0.1",
      "--no-browser",
      "--allow-root",
      `--ServerApp.root_dir=${root}`,
    ],
    {
      stdio: ["ignore", "pipe", "pipe"],
      env,
    },
  );
  server.stdout!.on("data", (d: Buffer) => (serverLog += d.toString()));
  server.stderr!.on("data", (d: Buffer) => (serverLog += d.toString()));
  const baseUrl = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const r = await fetch(`${baseUrl}api/status?token=${token}`);
      if (r.ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`jupyter_server did not start:\n${serverLog}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  const serverSettings = ServerConnection.makeSettings({
    baseUrl,
    wsUrl: `ws://127.0.0.1:${port}/`,
    token,
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
    fetch: globalThis.fetch.bind(globalThis),
  });
  manager = new KernelManager({ serverSettings });
  await manager.ready;
}, 120_000);

afterAll(async () => {
  manager?.dispose();
  if (server && server.exitCode === null) {
    server.kill("SIGTERM");
    await new Promise((r) => server.once("exit", r));
  }
});

async function run(
  kernel: Kernel.IKernelConnection,
  code: string,
): Promise<{ reply: KernelMessage.IExecuteReplyMsg; outputs: KernelMessage.IIOPubMessage[] }> {
  const outputs: KernelMessage.IIOPubMessage[] = [];
  const future = kernel.requestExecute({ code });
  future.onIOPub = (m) => {
    if (m.header.msg_type !== "status" && m.header.msg_type !== "execute_input") outputs.push(m);
  };
  const reply = (await future.done) as KernelMessage.IExecuteReplyMsg;
  return { reply, outputs };
}

const resultText = (outputs: KernelMessage.IIOPubMessage[]) =>
  (
    outputs.find((m) => m.header.msg_type === "execute_result")?.content as
      | { data?: Record<string, string> }
      | undefined
  )?.data?.["text/plain"];

test("start, execute, interrupt, restart and shut down a deepts kernel through Jupyter server", async () => {
  const kernel = await manager.startNew({ name: "deepts" });
  try {
    const info = await kernel.info;
    expect(info.language_info.name).toBe("typescript");

    const a = await run(kernel, "let n: number = 20; console.log('from the server'); n + 1");
    expect(a.reply.content.status).toBe("ok");
    expect(resultText(a.outputs)).toBe("21");
    expect(
      a.outputs.some(
        (m) => m.header.msg_type === "stream" && (m.content as { text: string }).text.includes("from the server"),
      ),
    ).toBe(true);

    const spinning = run(kernel, "while (true) {}");
    await new Promise((r) => setTimeout(r, 500));
    await kernel.interrupt();
    const interrupted = await spinning;
    expect(interrupted.reply.content.status).toBe("error");
    expect((interrupted.reply.content as { ename?: string }).ename).toBe("InterruptError");
    // Stopped by the cell's own interrupt checks, not by the forced stop.
    expect((interrupted.reply.content as { evalue?: string }).evalue).not.toMatch(/stopped where it was/);
    expect(resultText((await run(kernel, "n")).outputs)).toBe("20");

    await kernel.restart();
    const after = await run(kernel, "typeof (globalThis as any).n");
    expect(resultText(after.outputs)).toBe("'undefined'");
  } finally {
    await kernel.shutdown();
  }
  const running = await (
    await fetch(`${manager.serverSettings.baseUrl}api/kernels?token=${manager.serverSettings.token}`)
  ).json();
  expect(running).toEqual([]);
}, 180_000);

test("widgets through @jupyterlab/services, as JupyterLab's widget manager talks to the kernel", async () => {
  const kernel = await manager.startNew({ name: "deepts" });
  try {
    await kernel.info;
    // The manager opens the control comm on connect and asks for every live widget.
    const control = kernel.createComm("jupyter.widget.control");
    const states = new Promise<Record<string, unknown>>((resolve) => {
      control.onMsg = (m) => resolve(m.content.data as Record<string, unknown>);
    });
    control.open({}, { version: "1.0.0" });

    const opened: { comm: Kernel.IComm; msg: KernelMessage.ICommOpenMsg }[] = [];
    kernel.registerCommTarget("jupyter.widget", (comm, msg) => void opened.push({ comm, msg }));
    const made = await run(
      kernel,
      'const s = new widgets.IntSlider({ value: 3, description: "n" });\nlet seen = 0;\ns.observe(({ new: v }) => { seen = v as number; });\ns',
    );
    expect(made.reply.content.status).toBe("ok");
    const slider = opened.find(
      ({ msg }) => (msg.content.data as { state: { _model_name: string } }).state._model_name === "IntSliderModel",
    )!;
    expect(slider.msg.metadata).toEqual({ version: "2.1.0" });
    const modelId = slider.msg.content.comm_id;

    // An update from the frontend on the widget's comm, as a dragged slider sends it.
    const sliderComm = slider.comm;
    const echoes: unknown[] = [];
    sliderComm.onMsg = (m) => void echoes.push(m.content.data);
    const future = sliderComm.send({ method: "update", state: { value: 8 }, buffer_paths: [] });
    await future.done; // resolves on the idle status parented by this comm message
    expect(echoes).toContainEqual({ method: "echo_update", state: { value: 8 }, buffer_paths: [] });
    expect(resultText((await run(kernel, "[s.value, seen]")).outputs)?.replace(/\s/g, "")).toBe("[8,8]");

    control.send({ method: "request_states" });
    const update = await states;
    expect(update.method).toBe("update_states");
    expect((update.states as Record<string, { state: { value: number } }>)[modelId]!.state.value).toBe(8);
    control.close();
  } finally {
    await kernel.shutdown();
  }
}, 180_000);
