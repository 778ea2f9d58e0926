import { Kind, type DocumentNode, type FieldNode, type SelectionNode, type SelectionSetNode } from 'graphql';
import { firstOf, mergeConnection, withListKeys, type Connection } from './national-lists';
import { foldRows, PROGRAM_FOLDS, withFoldFields } from './program-folds';

/** How one field of an entity combines when the hub and partner nodes each answer it for their own organisations. */
export type MergeRule = 'sum' | 'by-organisation' | 'list' | 'fold';

/**
 * Entity fields of the facilitators, sessions and feedback subgraphs that the hub and every
 * partner node in the caller's reach each answer for their own organisations, and how they
 * combine: counts are added; per-organisation rows are put together in organisation order (each
 * organisation's rows come whole from the one deployment that holds it, with small-group
 * suppression already applied to its own polls, so nothing suppressed becomes visible by
 * merging); lists are merged into one page in their order, as the national root lists are; rows
 * keyed by session number, period or tier are folded (program-folds.ts: counts added, ratios and
 * averages worked out again from them).
 * - `Program`: every partner's records. Not listed: `engagementOverlaps` (overlaps between
 *   organisations' plans) needs every organisation's records at once and stays the hub's.
 * - `Community` of a hub-hosted organisation (a national community of practice): its members
 *   include node-hosted partners' facilitators, whose memberships their nodes hold. Not listed:
 *   `membershipRules` (kept with the community at the hub) and `ruleBreaches` (checks members
 *   against them) stay the hub's.
 */
export const ENTITY_MERGE: Record<string, Record<string, MergeRule>> = {
  Program: {
    communities: 'list',
    forumItems: 'list',
    sessionCount: 'sum',
    pollCount: 'sum',
    feedbackResponseCount: 'sum',
    participationByPartner: 'by-organisation',
    outcomeSummary: 'by-organisation',
    retention: 'fold',
    attendanceTrend: 'fold',
    forumSummary: 'fold',
  },
  Community: {
    members: 'list',
    memberCount: 'sum',
  },
};

/** The order each merged list is paged in by its subgraph (COMMUNITY_ORDER, FORUM_ITEM_ORDER, MEMBERSHIP_ORDER). */
const LIST_DIRECTION: Record<string, 'ASC' | 'DESC'> = { communities: 'ASC', forumItems: 'DESC', members: 'ASC' };

const IGNORED = new Set(['__typename', 'id', 'minimumGroupSize']);

/** The fields of `typename` an `_entities` operation selects. */
export function entityFields(document: DocumentNode, typename: string): FieldNode[] {
  const fields: FieldNode[] = [];
  const visit = (set: SelectionSetNode | undefined, onType: boolean) => {
    for (const s of set?.selections ?? []) {
      if (s.kind === Kind.INLINE_FRAGMENT) visit(s.selectionSet, s.typeCondition?.name.value === typename);
      else if (s.kind === Kind.FIELD && s.name.value === '_entities') visit(s.selectionSet, false);
      else if (s.kind === Kind.FIELD && onType && !IGNORED.has(s.name.value)) fields.push(s);
    }
  };
  for (const d of document.definitions) if (d.kind === Kind.OPERATION_DEFINITION) visit(d.selectionSet, false);
  return fields;
}

/** The fields of `typename` the hub and the nodes answer together. */
export const mergedFields = (document: DocumentNode, typename: string) => entityFields(document, typename).filter((f) => ENTITY_MERGE[typename]?.[f.name.value]);

/** Does merging these fields of `typename` need more than the client selected (list cursors, the counts a fold works from)? */
export const needsMergeFields = (fields: FieldNode[], typename: string) => fields.some((f) => ['list', 'fold'].includes(ENTITY_MERGE[typename]?.[f.name.value] ?? ''));

/** The `_entities` operation with the lists and folds of `typename` to merge also asking for what the merge needs. */
export function withMergeFields(document: DocumentNode, typename: string): DocumentNode {
  const rules = ENTITY_MERGE[typename] ?? {};
  const rewrite = (set: SelectionSetNode, onType: boolean): SelectionSetNode => ({
    ...set,
    selections: set.selections.map((s): SelectionNode => {
      if (s.kind === Kind.INLINE_FRAGMENT) return { ...s, selectionSet: rewrite(s.selectionSet, s.typeCondition?.name.value === typename) };
      if (s.kind === Kind.FIELD && s.name.value === '_entities' && s.selectionSet) return { ...s, selectionSet: rewrite(s.selectionSet, false) };
      if (s.kind === Kind.FIELD && onType && rules[s.name.value] === 'list') return withListKeys(s);
      if (s.kind === Kind.FIELD && onType && rules[s.name.value] === 'fold') return withFoldFields(s, PROGRAM_FOLDS[s.name.value]);
      return s;
    }),
  });
  return { ...document, definitions: document.definitions.map((d) => (d.kind === Kind.OPERATION_DEFINITION ? { ...d, selectionSet: rewrite(d.selectionSet, false) } : d)) };
}

type Entity = Record<string, unknown> | null;
const organisationOf = (row: unknown) => String((row as { organisation?: { id?: unknown } } | null)?.organisation?.id ?? '');

/**
 * Entities of `typename` as the hub (`parts[0]`) and the nodes answered them, merged field by
 * field; `applies(i)` says which of them are of that type (the others stay as the hub gave them).
 */
export function mergeEntities(typename: string, fields: FieldNode[], parts: Entity[][], variables: Record<string, unknown>, applies: (i: number) => boolean = () => true): Entity[] {
  const rules = ENTITY_MERGE[typename] ?? {};
  return (parts[0] ?? []).map((hub, i) => {
    if (!hub || !applies(i)) return hub;
    const merged: Record<string, unknown> = { ...hub };
    for (const f of fields) {
      const key = f.alias?.value ?? f.name.value;
      const values = parts.map((p) => p[i]?.[key]).filter((v) => v !== null && v !== undefined);
      const rule = rules[f.name.value];
      if (rule === 'sum') merged[key] = values.length ? values.reduce((n: number, v) => n + (v as number), 0) : null;
      if (rule === 'by-organisation') merged[key] = values.length ? (values as unknown[][]).flat().sort((a, b) => organisationOf(a).localeCompare(organisationOf(b))) : null;
      // with the hub alone (no node in reach), it was asked as the client asked and its answer stands
      if ((rule === 'list' || rule === 'fold') && parts.length === 1) merged[key] = values[0] ?? null;
      else if (rule === 'list') merged[key] = mergeConnection(values as Connection[], firstOf(f, variables), LIST_DIRECTION[f.name.value]);
      else if (rule === 'fold') merged[key] = foldRows(f, PROGRAM_FOLDS[f.name.value], parts.map((p) => p[i]?.[key] as Record<string, unknown>[] | null | undefined));
    }
    return merged;
  });
}
