import DataLoader from 'dataloader';

/**
 * A loader keyed by ID whose batch function returns rows in any order: results are put back in
 * the order of the keys, with null where nothing was found.
 */
export function loaderById<K, V>(
  fetch: (keys: readonly K[]) => Promise<V[]>,
  keyOf: (row: V) => K,
): DataLoader<K, V | null> {
  return new DataLoader<K, V | null>(async (keys) => {
    const rows = await fetch(keys);
    const byKey = new Map(rows.map((r) => [keyOf(r), r]));
    return keys.map((k) => byKey.get(k) ?? null);
  });
}

/** A loader that groups rows by a key: each key gets the (possibly empty) list of its rows. */
export function loaderGrouped<K, V>(
  fetch: (keys: readonly K[]) => Promise<V[]>,
  keyOf: (row: V) => K,
): DataLoader<K, V[]> {
  return new DataLoader<K, V[]>(async (keys) => {
    const rows = await fetch(keys);
    const groups = new Map<K, V[]>(keys.map((k) => [k, []]));
    for (const r of rows) groups.get(keyOf(r))?.push(r);
    return keys.map((k) => groups.get(k) ?? []);
  });
}

export interface AggregateKey<F> {
  id: string;
  filter: F;
}

/**
 * A loader for aggregates (counts, sums) of many records at once: keys that share a filter are
 * answered by one GROUP BY query (`fetch` returns a value per ID); IDs without rows get `empty`.
 */
export function aggregateLoader<F, V>(
  fetch: (ids: string[], filter: F) => Promise<Map<string, V>>,
  empty: V,
): DataLoader<AggregateKey<F>, V, string> {
  return new DataLoader<AggregateKey<F>, V, string>(
    async (keys) => {
      const byFilter = new Map<string, { filter: F; ids: string[] }>();
      for (const k of keys) {
        const fk = JSON.stringify(k.filter ?? null);
        const group = byFilter.get(fk) ?? { filter: k.filter, ids: [] };
        group.ids.push(k.id);
        byFilter.set(fk, group);
      }
      const results = new Map<string, Map<string, V>>();
      await Promise.all(
        [...byFilter].map(async ([fk, g]) => results.set(fk, await fetch([...new Set(g.ids)], g.filter))),
      );
      return keys.map((k) => results.get(JSON.stringify(k.filter ?? null))?.get(k.id) ?? empty);
    },
    { cacheKeyFn: (k) => JSON.stringify([k.id, k.filter ?? null]) },
  );
}
