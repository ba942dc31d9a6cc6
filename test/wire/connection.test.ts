import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { endpoint, parseConnectionInfo, readConnectionFile } from "../../src/wire/connection.js";

const good = {
  ip: "127.0.0.1",
  transport: "tcp",
  shell_port: 5001,
  iopub_port: 5002,
  stdin_port: 5003,
  control_port: 5004,
  hb_port: 5005,
  key: "k",
  signature_scheme: "hmac-sha256",
};

describe("connection file", () => {
  test("reads a valid file and builds endpoints", () => {
    const dir = mkdtempSync(join(tmpdir(), "deepts-cf-"));
    const file = join(dir, "c.json");
    writeFileSync(file, JSON.stringify(good));
    const info = readConnectionFile(file);
    expect(endpoint(info, "shell")).toBe("tcp://127.0.0.1:5001");
    expect(endpoint(info, "hb")).toBe("tcp://127.0.0.1:5005");
    expect(endpoint({ ...info, transport: "ipc", ip: "/tmp/k" }, "iopub")).toBe("ipc:///tmp/k-5002");
  });

  test("bad files give errors naming the problem", () => {
    expect(() => parseConnectionInfo({ ...good, shell_port: "x" })).toThrow(/"shell_port" must be a port number/);
    expect(() => parseConnectionInfo({ ...good, transport: "udp" })).toThrow(/transport/);
    expect(() => parseConnectionInfo({ ...good, key: undefined })).toThrow(/missing "key"/);
    expect(() => readConnectionFile("/nonexistent/deepts.json")).toThrow(/Cannot read connection file/);
    const dir = mkdtempSync(join(tmpdir(), "deepts-cf-"));
    writeFileSync(join(dir, "bad.json"), "{");
    expect(() => readConnectionFile(join(dir, "bad.json"))).toThrow(/not valid JSON/);
  });
});
