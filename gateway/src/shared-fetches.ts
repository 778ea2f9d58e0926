/**
 * Identical subgraph queries in flight at the same time share one request: the first goes out, the
 * others wait for its answer and each gets its own copy. Dashboards are opened by many people at
 * once (a Monday morning), and every one of them asks the subgraphs the same entity fetches; with
 * this the subgraphs and their databases answer each once. Apollo Router calls this query
 * deduplication. The key is the caller's signed scope, the operation and its variables, so only
 * callers with the very same scope share, and a mutation never does (the data source decides).
 */
export class SharedFetches<T> {
  private readonly inFlight = new Map<string, Promise<T>>();
  /** Fetches answered by another's request instead of their own (tests and metrics read it). */
  sharedCount = 0;

  /** `run()`'s answer, from a request already in flight under `key` when there is one; a fresh copy for every caller. */
  async share(key: string, run: () => Promise<T>): Promise<T> {
    let pending = this.inFlight.get(key);
    if (pending) this.sharedCount++;
    else {
      pending = run().finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    // every caller merges the answer into its own result tree: nobody may see another's changes
    return structuredClone(await pending);
  }

  get inFlightCount(): number {
    return this.inFlight.size;
  }
}
