/** Reading a Jupyter connection file. */
import { readFileSync } from "node:fs";

export interface ConnectionInfo {
  transport: "tcp" | "ipc";
  ip: string;
  shell_port: number;
  iopub_port: number;
  stdin_port: number;
  control_port: number;
  hb_port: number;
  key: string;
  signature_scheme: string;
  kernel_name?: string;
}

export type Channel = "shell" | "control" | "iopub" | "stdin" | "hb";

const PORTS = ["shell_port", "iopub_port", "stdin_port", "control_port", "hb_port"] as const;

/** Validates parsed connection-file JSON; throws an Error naming the bad field. */
export function parseConnectionInfo(json: unknown, source = "connection file"): ConnectionInfo {
  if (json === null || typeof json !== "object") throw new Error(`${source}: expected a JSON object`);
  const o = json as Record<string, unknown>;
  const transport = o.transport ?? "tcp";
  if (transport !== "tcp" && transport !== "ipc")
    throw new Error(`${source}: transport must be "tcp" or "ipc", got ${JSON.stringify(transport)}`);
  if (typeof o.ip !== "string" || o.ip === "") throw new Error(`${source}: missing "ip"`);
  for (const p of PORTS) {
    const v = o[p];
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > 65535)
      throw new Error(`${source}: "${p}" must be a port number, got ${JSON.stringify(v)}`);
  }
  if (typeof o.key !== "string") throw new Error(`${source}: missing "key"`);
  const scheme = o.signature_scheme ?? "hmac-sha256";
  if (typeof scheme !== "string") throw new Error(`${source}: "signature_scheme" must be a string`);
  return { ...(o as unknown as ConnectionInfo), transport, signature_scheme: scheme };
}

export function readConnectionFile(path: string): ConnectionInfo {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new Error(`Cannot read connection file ${path}: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`Connection file ${path} is not valid JSON: ${(e as Error).message}`);
  }
  return parseConnectionInfo(json, path);
}

/** The ZeroMQ endpoint of one channel, e.g. `tcp://127.0.0.1:5555` or `ipc://kernel-ipc-1`. */
export function endpoint(info: ConnectionInfo, channel: Channel): string {
  const port = info[`${channel}_port` as const];
  return info.transport === "tcp" ? `tcp://${info.ip}:${port}` : `ipc://${info.ip}-${port}`;
}
