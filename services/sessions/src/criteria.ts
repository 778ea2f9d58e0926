/**
 * The set criteria of a filter as a plain object, so that equal filters given in different ways
 * (left out, or null) batch into the same GROUP BY.
 */
export function compact<T extends object>(criteria: T): T {
  return Object.fromEntries(Object.entries(criteria).filter(([, v]) => v !== undefined && v !== null)) as T;
}
