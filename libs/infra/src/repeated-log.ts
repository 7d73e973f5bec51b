/** Where a RepeatedLog writes: a Nest Logger fits. */
export interface WarnSink {
  warn(message: string): void;
}

/**
 * A condition that may repeat on every request (a provider failing, the budget spent) is logged
 * once per interval and key, and the next line says how many it held back. The keys are a
 * handful of failure kinds, so the map stays small.
 */
export class RepeatedLog {
  private readonly seen = new Map<string, { since: number; heldBack: number }>();

  constructor(
    private readonly sink: WarnSink,
    private readonly intervalMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  warn(key: string, message: string): void {
    const now = this.now();
    const entry = this.seen.get(key);
    if (entry && now - entry.since < this.intervalMs) {
      entry.heldBack++;
      return;
    }
    this.seen.set(key, { since: now, heldBack: 0 });
    this.sink.warn(
      entry && entry.heldBack > 0
        ? `${message} (${entry.heldBack} more like it in the last ${Math.round((now - entry.since) / 1000)} s)`
        : message,
    );
  }
}
