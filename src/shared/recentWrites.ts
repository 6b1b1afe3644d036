/**
 * Remembers, per process, documents this process recently wrote, so a launch can skip writing what is already
 * stored (same tenant, same course title) instead of paying a database round trip on every launch. Only for
 * records no other code path changes behind our back; on a miss or a difference, callers write as usual.
 */
export class RecentWrites<Value> {
  private readonly entries = new Map<string, { value: Value; at: number }>();

  constructor(
    private readonly maxEntries = 5000,
    private readonly ttlMs = 10 * 60_000,
  ) {}

  /** The remembered value for `key`, if written within the TTL. */
  get(key: string, now = Date.now()): Value | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (now - entry.at > this.ttlMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: Value, now = Date.now()): void {
    if (this.entries.size >= this.maxEntries) {
      // Maps iterate in insertion order: the first key is the oldest.
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.delete(key);
    this.entries.set(key, { value, at: now });
  }

  clear(): void {
    this.entries.clear();
  }
}
