import { randomUUID } from "node:crypto";

/** A fresh display id. */
export function newDisplayId(): string {
  return `deepts-${randomUUID()}`;
}
