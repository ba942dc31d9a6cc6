/** Jupyter messaging protocol (v5.3) message shapes. */
import { randomUUID } from "node:crypto";

export const PROTOCOL_VERSION = "5.3";

export interface MessageHeader {
  msg_id: string;
  session: string;
  username: string;
  date: string;
  msg_type: string;
  version: string;
  [extra: string]: unknown;
}

/** A decoded message. `identities` are the ROUTER routing frames before `<IDS|MSG>`. */
export interface JupyterMessage<C = Record<string, unknown>> {
  identities: Buffer[];
  header: MessageHeader;
  /** Empty object when the message has no parent. */
  parent_header: Partial<MessageHeader>;
  metadata: Record<string, unknown>;
  content: C;
  buffers: Buffer[];
}

/**
 * Builds a header for a new message.
 *
 * ```ts
 * const h = newHeader("status", session, "kernel");
 * ```
 */
export function newHeader(msgType: string, session: string, username: string): MessageHeader {
  return {
    msg_id: randomUUID(),
    session,
    username,
    date: new Date().toISOString(),
    msg_type: msgType,
    version: PROTOCOL_VERSION,
  };
}
