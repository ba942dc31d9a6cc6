/** Turning messages into ZeroMQ multipart frames and back (identities, `<IDS|MSG>`, signature, four JSON frames, buffers). */
import type { JupyterMessage, MessageHeader } from "./message.js";
import type { ReplayGuard } from "./replay.js";
import type { Signer } from "./signing.js";

export const DELIMITER = Buffer.from("<IDS|MSG>");

/** A message that cannot be accepted (malformed, unsigned, or wrongly signed). */
export class WireError extends Error {
  override name = "WireError";
}

export interface OutgoingMessage {
  identities?: Buffer[];
  header: MessageHeader;
  parent_header: Partial<MessageHeader> | Record<string, never>;
  metadata?: Record<string, unknown>;
  content: unknown;
  buffers?: Buffer[];
}

/** Encodes and signs a message into frames ready for `socket.send`. */
export function encodeMessage(message: OutgoingMessage, signer: Signer): Buffer[] {
  const parts = [
    Buffer.from(JSON.stringify(message.header)),
    Buffer.from(JSON.stringify(message.parent_header ?? {})),
    Buffer.from(JSON.stringify(message.metadata ?? {})),
    Buffer.from(JSON.stringify(message.content ?? {})),
  ];
  return [
    ...(message.identities ?? []),
    DELIMITER,
    Buffer.from(signer.sign(parts)),
    ...parts,
    ...(message.buffers ?? []),
  ];
}

function parseJsonObject(frame: Buffer, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(frame.toString("utf8"));
  } catch {
    throw new WireError(`${what} is not valid JSON`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value))
    throw new WireError(`${what} is not a JSON object`);
  return value as Record<string, unknown>;
}

/**
 * Verifies and decodes received frames; throws WireError when they are not an acceptable message.
 * With `replays`, a correctly signed message whose signature was accepted before is refused too.
 */
export function decodeMessage(frames: readonly Buffer[], signer: Signer, replays?: ReplayGuard): JupyterMessage {
  const split = frames.findIndex((f) => f.equals(DELIMITER));
  if (split < 0) throw new WireError("no <IDS|MSG> delimiter");
  if (frames.length < split + 6)
    throw new WireError(`expected 5 frames after the delimiter, got ${frames.length - split - 1}`);
  const signature = frames[split + 1]!.toString("ascii");
  const parts = frames.slice(split + 2, split + 6);
  if (!signer.verify(signature, parts))
    throw new WireError(signature === "" ? "missing signature" : "invalid signature");
  if (replays && !replays.accept(signature)) throw new WireError("replayed message (its signature was used before)");
  const header = parseJsonObject(parts[0]!, "header");
  if (typeof header.msg_type !== "string" || typeof header.msg_id !== "string") {
    throw new WireError("header lacks msg_type or msg_id");
  }
  return {
    identities: frames.slice(0, split).map((f) => Buffer.from(f)),
    header: header as MessageHeader,
    parent_header: parseJsonObject(parts[1]!, "parent_header"),
    metadata: parseJsonObject(parts[2]!, "metadata"),
    content: parseJsonObject(parts[3]!, "content"),
    buffers: frames.slice(split + 6).map((f) => Buffer.from(f)),
  };
}
