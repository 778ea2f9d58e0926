/** Feedback from fewer people than the program's minimum group size is never shown (docs/access.md "Anonymous feedback"). */
export const DEFAULT_MINIMUM_GROUP_SIZE = 5;
export const LOWEST_MINIMUM_GROUP_SIZE = 3;

/**
 * The minimum group size to apply: the program's (which the gateway fetches from the partners
 * subgraph for every field that `@requires` it), never below 3; the default 5 when it is not known
 * (a program the partners subgraph does not know, or a request that did not go through the gateway's plan).
 */
export function groupSizeOf(program: { minimumGroupSize?: number | null } | null | undefined): number {
  const given = program?.minimumGroupSize;
  return Math.max(LOWEST_MINIMUM_GROUP_SIZE, typeof given === 'number' && Number.isInteger(given) ? given : DEFAULT_MINIMUM_GROUP_SIZE);
}

/** The `@requires` of every field that suppresses small groups: the program's minimum group size. */
export const REQUIRES_GROUP_SIZE = '@requires(fields: "program { minimumGroupSize }")';
