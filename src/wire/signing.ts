/** HMAC signatures of Jupyter messages (signature_scheme "hmac-sha256" and friends). */
import { createHmac, timingSafeEqual } from "node:crypto";

export interface Signer {
  /** Hex digest over header, parent header, metadata and content frames; "" when the key is empty. */
  sign(parts: readonly Buffer[]): string;
  /** Constant-time check of a received signature. An empty key accepts only an empty signature. */
  verify(signature: string, parts: readonly Buffer[]): boolean;
}

const SUPPORTED = new Map([
  ["hmac-sha256", "sha256"],
  ["hmac-sha512", "sha512"],
  ["hmac-sha1", "sha1"],
]);

/**
 * Creates a signer for a connection file's `signature_scheme` and `key`.
 *
 * ```ts
 * const signer = createSigner("hmac-sha256", "secret");
 * const sig = signer.sign([header, parent, metadata, content]);
 * ```
 */
export function createSigner(scheme: string, key: string): Signer {
  const algorithm = SUPPORTED.get(scheme);
  if (!algorithm) {
    throw new Error(`Unsupported signature_scheme "${scheme}" (supported: ${[...SUPPORTED.keys()].join(", ")})`);
  }
  const digest = (parts: readonly Buffer[]): Buffer => {
    const hmac = createHmac(algorithm, key);
    for (const part of parts) hmac.update(part);
    return hmac.digest();
  };
  return {
    sign(parts) {
      return key === "" ? "" : digest(parts).toString("hex");
    },
    verify(signature, parts) {
      if (key === "") return signature === "";
      const expected = digest(parts);
      if (!/^[0-9a-fA-F]*$/.test(signature) || signature.length !== expected.length * 2) return false;
      return timingSafeEqual(Buffer.from(signature, "hex"), expected);
    },
  };
}
