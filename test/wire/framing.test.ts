import { createHmac } from "node:crypto";
import { describe, expect, test } from "vitest";
import { decodeMessage, DELIMITER, encodeMessage, WireError } from "../../src/wire/framing.js";
import { newHeader } from "../../src/wire/message.js";
import { createSigner } from "../../src/wire/signing.js";

const key = "8d0a1f0e-secret";
const signer = createSigner("hmac-sha256", key);

function sample(identities: Buffer[] = [Buffer.from("client-1")]) {
  const header = newHeader("execute_request", "sess-1", "alice");
  return encodeMessage(
    {
      identities,
      header,
      parent_header: {},
      metadata: { m: 1 },
      content: { code: "1+1", silent: false },
      buffers: [Buffer.from([1, 2, 3])],
    },
    signer,
  );
}

describe("signing", () => {
  test("signature is the hex HMAC-SHA256 of header, parent, metadata, content", () => {
    const frames = sample();
    const expected = createHmac("sha256", key)
      .update(frames[3]!)
      .update(frames[4]!)
      .update(frames[5]!)
      .update(frames[6]!)
      .digest("hex");
    expect(frames[2]!.toString()).toBe(expected);
  });

  test("verify accepts the right signature and rejects a wrong, truncated, or non-hex one", () => {
    const parts = [Buffer.from("{}"), Buffer.from("{}"), Buffer.from("{}"), Buffer.from('{"a":1}')];
    const sig = signer.sign(parts);
    expect(signer.verify(sig, parts)).toBe(true);
    expect(signer.verify(sig.toUpperCase(), parts)).toBe(true);
    expect(signer.verify(sig.slice(0, -2) + (sig.endsWith("00") ? "11" : "00"), parts)).toBe(false);
    expect(signer.verify(sig.slice(0, 10), parts)).toBe(false);
    expect(signer.verify("z".repeat(sig.length), parts)).toBe(false);
    expect(signer.verify("", parts)).toBe(false);
    expect(createSigner("hmac-sha256", "other").verify(sig, parts)).toBe(false);
  });

  test("an empty key means unsigned messages", () => {
    const none = createSigner("hmac-sha256", "");
    expect(none.sign([Buffer.from("x")])).toBe("");
    expect(none.verify("", [Buffer.from("x")])).toBe(true);
    expect(none.verify("abcd", [Buffer.from("x")])).toBe(false);
  });

  test("other schemes work and unknown ones are a clear error", () => {
    const sha512 = createSigner("hmac-sha512", key);
    expect(sha512.sign([Buffer.from("x")])).toHaveLength(128);
    expect(() => createSigner("md5", key)).toThrow(/Unsupported signature_scheme "md5"/);
  });
});

describe("framing", () => {
  test("round trip keeps identities, all four dicts and buffers", () => {
    const ids = [Buffer.from("router-a"), Buffer.from([0, 1, 2, 255])];
    const msg = decodeMessage(sample(ids), signer);
    expect(msg.identities).toEqual(ids);
    expect(msg.header.msg_type).toBe("execute_request");
    expect(msg.header.version).toBe("5.3");
    expect(msg.parent_header).toEqual({});
    expect(msg.metadata).toEqual({ m: 1 });
    expect(msg.content).toEqual({ code: "1+1", silent: false });
    expect(msg.buffers).toEqual([Buffer.from([1, 2, 3])]);
  });

  test("no identities is fine (DEALER peers)", () => {
    const frames = sample([]);
    expect(frames[0]!.equals(DELIMITER)).toBe(true);
    expect(decodeMessage(frames, signer).identities).toEqual([]);
  });

  test("the delimiter is found even when an identity looks like JSON", () => {
    const ids = [Buffer.from("{}")];
    expect(decodeMessage(sample(ids), signer).identities).toEqual(ids);
  });

  test("missing delimiter, missing frames, bad or missing signature are rejected", () => {
    const frames = sample();
    expect(() =>
      decodeMessage(
        frames.filter((f) => !f.equals(DELIMITER)),
        signer,
      ),
    ).toThrow(WireError);
    expect(() => decodeMessage(frames.slice(0, 5), signer)).toThrow(/expected 5 frames/);
    const tampered = [...frames];
    tampered[6] = Buffer.from('{"code":"process.exit()"}');
    expect(() => decodeMessage(tampered, signer)).toThrow(/invalid signature/);
    const unsigned = [...frames];
    unsigned[2] = Buffer.alloc(0);
    expect(() => decodeMessage(unsigned, signer)).toThrow(/missing signature/);
  });

  test("signed but malformed JSON or header is rejected", () => {
    const parts = [Buffer.from("{not json"), Buffer.from("{}"), Buffer.from("{}"), Buffer.from("{}")];
    expect(() => decodeMessage([DELIMITER, Buffer.from(signer.sign(parts)), ...parts], signer)).toThrow(
      /header is not valid JSON/,
    );
    const noType = [Buffer.from('{"msg_id":"1"}'), Buffer.from("{}"), Buffer.from("{}"), Buffer.from("[]")];
    expect(() => decodeMessage([DELIMITER, Buffer.from(signer.sign(noType)), ...noType], signer)).toThrow(/msg_type/);
  });
});
