/** Concurrent callers for one key share one run of the work (in this process). */
export class SingleFlight<T> {
  private readonly running = new Map<string, Promise<T>>();

  run(key: string, work: () => Promise<T>): Promise<T> {
    const existing = this.running.get(key);
    if (existing) return existing;
    const flight = work().finally(() => this.running.delete(key));
    this.running.set(key, flight);
    return flight;
  }
}
