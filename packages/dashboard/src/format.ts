import type { CombinedError } from 'urql';

/** A figure the hub withheld (null) because too few people are behind it. */
export function suppressed(minimumGroupSize: number | null | undefined): string {
  return `suppressed (fewer than ${minimumGroupSize ?? 5})`;
}

/**
 * A count as shown: the number, or why there is none. `unavailable` means the service that gives
 * it did not answer (the value is null for that reason, not because it was withheld).
 */
export function count(value: number | null | undefined, minimumGroupSize: number | null | undefined, unavailable = false): string {
  if (value === null || value === undefined) return unavailable ? 'unavailable' : suppressed(minimumGroupSize);
  return String(value);
}

export function decimal(value: number | null | undefined, minimumGroupSize: number | null | undefined, unavailable = false): string {
  if (value === null || value === undefined) return unavailable ? 'unavailable' : suppressed(minimumGroupSize);
  return value.toFixed(2);
}

export function dateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 16)} UTC`;
}

/**
 * The services a query could not reach: SUBGRAPH_UNAVAILABLE errors, a partner's own node
 * (PARTNER_NODE_UNAVAILABLE, naming the organisation), or the gateway itself on a network error.
 */
export function unavailableServices(error: CombinedError | undefined): string[] {
  if (!error) return [];
  const names = new Set<string>();
  if (error.networkError) names.add('the gateway (network error)');
  for (const e of error.graphQLErrors) {
    const ext = (e.extensions ?? {}) as { code?: string; serviceName?: string; organisation?: string };
    if (ext.code === 'SUBGRAPH_UNAVAILABLE') names.add(ext.serviceName ?? 'a service');
    if (ext.code === 'PARTNER_NODE_UNAVAILABLE') names.add(`${ext.organisation ?? 'a partner'}'s partner node`);
  }
  return [...names];
}

/** The current calendar year in UTC, as the demo counts "this year". */
export function thisYear(now = new Date()): { from: string; to: string } {
  const y = now.getUTCFullYear();
  return { from: `${y}-01-01T00:00:00.000Z`, to: `${y + 1}-01-01T00:00:00.000Z` };
}
