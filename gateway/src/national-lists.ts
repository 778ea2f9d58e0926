import type { NodeSubgraphName } from '@hub/core';
import { Kind, type DocumentNode, type FieldNode, type OperationDefinitionNode, type SelectionNode } from 'graphql';

/**
 * National root lists answered by the hub and every partner node in the caller's reach and merged
 * into one page: each is ordered by a keyset whose values its cursors hold (`packages/core`
 * `encodeCursor`), so a cursor of the merged list means the same on every deployment. Names are
 * ordered by a lower-case key compared byte by byte (collation "C") on every deployment, which is
 * the code-point order the merge compares them in, whatever each server's locale.
 */
export const NATIONAL_LISTS: Record<string, { subgraph: NodeSubgraphName; direction: 'ASC' | 'DESC'; numeric?: number[] }> = {
  sessions: { subgraph: 'sessions', direction: 'ASC' }, // SESSION_ORDER: starts_at, id
  communities: { subgraph: 'sessions', direction: 'ASC' }, // COMMUNITY_ORDER: name_key, id
  facilitators: { subgraph: 'facilitators', direction: 'ASC' }, // facilitatorOrder: names hidden?, family_key, given_key, id
  polls: { subgraph: 'feedback', direction: 'DESC' }, // POLL_ORDER: created_at, id, newest first
  // searchPage: ts_rank (6 decimals, a string in the cursor) then id, best first. ts_rank weighs a
  // document against the query alone (no statistics of the rest of the table), so ranks from
  // different deployments compare; they are compared as numbers.
  searchLearnings: { subgraph: 'sessions', direction: 'DESC', numeric: [0] },
  searchResources: { subgraph: 'sessions', direction: 'DESC', numeric: [0] },
};

/** Root fields whose answer is the hub's alone: the same everywhere, or the program's own catalogue. */
export const HUB_ONLY_FIELDS = new Set(['sessionTemplates', 'maturityQuiz', 'trainingCourses']);

const CURSORS = '__hubCursors';
const PAGE = '__hubPage';

export const field = (alias: string, name: string, inner: string[]): FieldNode => ({
  kind: Kind.FIELD,
  alias: { kind: Kind.NAME, value: alias },
  name: { kind: Kind.NAME, value: name },
  selectionSet: { kind: Kind.SELECTION_SET, selections: inner.map((n) => ({ kind: Kind.FIELD, name: { kind: Kind.NAME, value: n } })) },
});

function operationOf(document: DocumentNode): OperationDefinitionNode | undefined {
  return document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
}

const rootFields = (document: DocumentNode): FieldNode[] =>
  (operationOf(document)?.selectionSet.selections ?? []).filter((s: SelectionNode): s is FieldNode => s.kind === Kind.FIELD);

export const isNationalList = (f: FieldNode, subgraph: NodeSubgraphName) => NATIONAL_LISTS[f.name.value]?.subgraph === subgraph;

/** The list field also asking for each item's cursor and whether more follow, as the merge needs. */
export function withListKeys(f: FieldNode): FieldNode {
  if (!f.selectionSet) return f;
  return { ...f, selectionSet: { ...f.selectionSet, selections: [...f.selectionSet.selections, field(CURSORS, 'edges', ['cursor']), field(PAGE, 'pageInfo', ['hasNextPage'])] } };
}

/**
 * The operation with every national list also asking for each item's cursor and whether more
 * follow, which the merge needs whatever the client selected; null when it has no national list.
 */
export function withMergeKeys(document: DocumentNode, subgraph: NodeSubgraphName): DocumentNode | null {
  const operation = operationOf(document);
  if (!operation || !rootFields(document).some((f) => isNationalList(f, subgraph))) return null;
  const selections = operation.selectionSet.selections.map((s) => (s.kind === Kind.FIELD && isNationalList(s, subgraph) ? withListKeys(s) : s));
  return { ...document, definitions: document.definitions.map((d) => (d === operation ? { ...operation, selectionSet: { ...operation.selectionSet, selections } } : d)) };
}

/** The `first` a list was asked for (20 when not given, as PageArgs). */
export function firstOf(f: FieldNode, variables: Record<string, unknown>): number {
  const argument = f.arguments?.find((a) => a.name.value === 'first')?.value;
  if (argument?.kind === Kind.INT) return Number(argument.value);
  if (argument?.kind === Kind.VARIABLE && typeof variables[argument.name.value] === 'number') return variables[argument.name.value] as number;
  return 20;
}

function keyOf(cursor: string): unknown[] {
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    return Array.isArray(values) ? values : [];
  } catch {
    return [];
  }
}

/** Strings by code point, as PostgreSQL compares text in collation "C" (UTF-8 bytes); numbers by value. */
export function compare(a: unknown[], b: unknown[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const [x, y] = [a[i], b[i]];
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return byCodePoint(String(x ?? ''), String(y ?? ''));
  }
  return 0;
}

function byCodePoint(x: string, y: string): number {
  const [a, b] = [x[Symbol.iterator](), y[Symbol.iterator]()];
  for (;;) {
    const [p, q] = [a.next(), b.next()];
    if (p.done || q.done) return p.done && q.done ? 0 : p.done ? -1 : 1;
    const d = p.value.codePointAt(0)! - q.value.codePointAt(0)!;
    if (d !== 0) return d;
  }
}

export type Connection = Record<string, unknown> & {
  [CURSORS]?: { cursor: string }[];
  [PAGE]?: { hasNextPage: boolean };
  nodes?: unknown[];
  edges?: unknown[];
  totalCount?: number;
  pageInfo?: Record<string, unknown>;
};

/**
 * One page of a national list from each deployment's page: items merged in the list's order and
 * cut at `first`; totals added; `endCursor` the last item's (valid on every deployment) and
 * `hasNextPage` true when any deployment had more or the merge left some out.
 */
export function mergeConnection(pages: (Connection | null | undefined)[], first: number, direction: 'ASC' | 'DESC', numeric: number[] = []): Connection | null {
  const present = pages.filter((p): p is Connection => !!p);
  if (!present.length) return null;
  const key = (cursor: string) => keyOf(cursor).map((v, i) => (numeric.includes(i) ? Number(v) : v));
  const items = present.flatMap((p) => (p[CURSORS] ?? []).map((e, j) => ({ key: key(e.cursor), cursor: e.cursor, node: p.nodes?.[j], edge: p.edges?.[j] })));
  items.sort((a, b) => (direction === 'ASC' ? 1 : -1) * compare(a.key, b.key));
  const taken = items.slice(0, first);
  const { [CURSORS]: _cursors, [PAGE]: _page, ...merged } = present[0];
  if ('totalCount' in merged) merged.totalCount = present.reduce((n, p) => n + (p.totalCount ?? 0), 0);
  if ('nodes' in merged) merged.nodes = taken.map((i) => i.node);
  if ('edges' in merged) merged.edges = taken.map((i) => i.edge);
  if (merged.pageInfo) {
    const more = items.length > first || present.some((p) => p[PAGE]?.hasNextPage);
    merged.pageInfo = {
      ...merged.pageInfo,
      ...('hasNextPage' in merged.pageInfo ? { hasNextPage: more } : {}),
      ...('endCursor' in merged.pageInfo ? { endCursor: taken.at(-1)?.cursor ?? null } : {}),
    };
  }
  return merged;
}

/**
 * The data of a root fetch answered by the hub (`parts[0]`) and partner nodes: national lists
 * merged, every other root field as the hub answered it.
 */
export function mergeNationalLists(
  document: DocumentNode,
  subgraph: NodeSubgraphName,
  variables: Record<string, unknown>,
  parts: (Record<string, unknown> | null | undefined)[],
): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const f of rootFields(document)) {
    const key = f.alias?.value ?? f.name.value;
    data[key] = isNationalList(f, subgraph)
      ? mergeConnection(parts.map((p) => p?.[key] as Connection | null | undefined), firstOf(f, variables), NATIONAL_LISTS[f.name.value].direction, NATIONAL_LISTS[f.name.value].numeric)
      : (parts[0]?.[key] ?? null);
  }
  return data;
}

/** Does the operation ask for records the hub alone cannot give (a root field neither merged nor the hub's only)? */
export function lacksNodeRecords(document: DocumentNode, subgraph: NodeSubgraphName): boolean {
  return rootFields(document).some((f) => !isNationalList(f, subgraph) && !HUB_ONLY_FIELDS.has(f.name.value) && f.name.value !== '__typename');
}
