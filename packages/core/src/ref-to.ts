/**
 * A reference to a record another subgraph owns: an instance of this subgraph's stub class for its
 * type carrying only the ID, which the gateway completes from the owner.
 */
export function refTo<T extends { id: string }>(stub: new () => T, id: string): T {
  return Object.assign(new stub(), { id });
}
