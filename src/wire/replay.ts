/**
 * Replay protection: a correctly signed message that arrives a second time (someone on the network
 * captured and resent it) is refused, as the reference kernel does. Every message carries a fresh
 * msg_id and date, so a legitimate client never repeats a signature. The kernel remembers the most
 * recent signatures it accepted.
 */

/**
 * ```ts
 * const guard = new ReplayGuard();
 * guard.accept("3fa2…"); // true
 * guard.accept("3fa2…"); // false: a replay
 * ```
 */
export class ReplayGuard {
  private readonly seen = new Set<string>();

  /** `capacity`: how many recent signatures are remembered (the oldest are forgotten first). */
  constructor(private readonly capacity = 65_536) {}

  /**
   * Records a verified message's signature; false when it was seen before. Unsigned messages (a
   * connection without a key) cannot be told apart and are always accepted.
   */
  accept(signature: string): boolean {
    if (signature === "") return true;
    // Hex digits compare case-insensitively in verification, so "AB…" must not pass as new.
    const key = signature.toLowerCase();
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    if (this.seen.size > this.capacity) this.seen.delete(this.seen.values().next().value!);
    return true;
  }
}
