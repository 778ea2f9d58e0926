import { Kind, type DocumentNode, type FieldNode, type SelectionNode, type SelectionSetNode } from 'graphql';
import { withoutUnusedDefinitions } from './unused-definitions';
import { compare, field, firstOf, mergeConnection, withListKeys, type Connection } from './national-lists';
import { foldRows, PROGRAM_FOLDS, withFoldFields } from './program-folds';

/** How one field of an entity combines when the hub and partner nodes each answer it for their own organisations. */
export type MergeRule = 'sum' | 'by-organisation' | 'list' | 'fold' | 'hub' | 'rows';

/**
 * Entity fields of the facilitators, sessions and feedback subgraphs that the hub and every
 * partner node in the caller's reach each answer for their own organisations, and how they
 * combine: counts are added; per-organisation rows are put together in organisation order (each
 * organisation's rows come whole from the one deployment that holds it, with small-group
 * suppression already applied to its own polls, so nothing suppressed becomes visible by
 * merging); lists are merged into one page in their order, as the national root lists are; rows
 * keyed by session number, period or tier are folded (program-folds.ts: counts added, ratios and
 * averages worked out again from them).
 * - `Program`: every partner's records. `engagementOverlaps` (overlaps between organisations'
 *   plans) needs every organisation's plans at once: the hub's subgraph matches its own with the
 *   plans each node lets the caller see, which the gateway hands it (`hub`); so does
 *   `Organisation.engagementOverlaps`, for an organisation on a node too.
 * - `Community`: its members (facilitators subgraph) include other deployments' facilitators,
 *   whose memberships their organisations' deployments hold (a node-hosted partner's facilitators
 *   in a national community of practice); its forum items (sessions subgraph) include items other
 *   organisations escalated into it, which live with the organisation of the forum they were
 *   raised in. Not listed: `membershipRules` (kept with the community) and `ruleBreaches` (checks
 *   members against them) are the holding deployment's alone.
 *   `ruleBreaches` (`rows`): each deployment checks the members it holds against the community's
 *   rules (vouched for by the gateway where the community is held elsewhere), and the rows are put
 *   together in the order the members joined (ROW_ORDER).
 * The deployment holding the entity answers every field; the others are asked for the merged
 * fields only (`mergedFieldsOnly`), with a scope saying they may hold records of a community they
 * do not hold.
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
    engagementOverlaps: 'hub',
  },
  Organisation: {
    engagementOverlaps: 'hub',
  },
  Community: {
    members: 'list',
    memberCount: 'sum',
    forumItems: 'list',
    ruleBreaches: 'rows',
  },
};

/** The order of rows put together from every deployment (`rows`): the fields of one of each row's fields, compared in turn. */
const ROW_ORDER: Record<string, { field: string; keys: string[] }> = { ruleBreaches: { field: 'membership', keys: ['joinedOn', 'id'] } };
const ROW_KEY = '__hubRowKey';

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
export const needsMergeFields = (fields: FieldNode[], typename: string) => fields.some((f) => ['list', 'fold', 'rows'].includes(ENTITY_MERGE[typename]?.[f.name.value] ?? ''));

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
      if (s.kind === Kind.FIELD && onType && rules[s.name.value] === 'rows' && s.selectionSet) {
        const order = ROW_ORDER[s.name.value];
        return { ...s, selectionSet: { ...s.selectionSet, selections: [...s.selectionSet.selections, field(ROW_KEY, order.field, order.keys)] } };
      }
      return s;
    }),
  });
  return { ...document, definitions: document.definitions.map((d) => (d.kind === Kind.OPERATION_DEFINITION ? { ...d, selectionSet: rewrite(d.selectionSet, false) } : d)) };
}

/**
 * The `_entities` operation asking only for the fields of `typename` that merge (and `__typename`),
 * for the deployments that do not hold the entities: what they add is in those fields alone (the
 * hub's fields, `hub`, are asked of the hub only).
 */
export function mergedFieldsOnly(document: DocumentNode, typename: string, atHub: boolean): DocumentNode {
  const rules = ENTITY_MERGE[typename] ?? {};
  const merges = (name: string) => rules[name] && (atHub || rules[name] !== 'hub');
  const keep = (s: SelectionNode, onType: boolean) => s.kind === Kind.FIELD && (s.name.value === '__typename' || (onType && (s.name.value === 'id' || merges(s.name.value))));
  const rewrite = (set: SelectionSetNode, onType: boolean): SelectionSetNode => ({
    ...set,
    selections: set.selections.flatMap((s): SelectionNode[] => {
      if (s.kind === Kind.INLINE_FRAGMENT) return [{ ...s, selectionSet: rewrite(s.selectionSet, s.typeCondition?.name.value === typename) }];
      if (s.kind === Kind.FIELD && s.name.value === '_entities' && s.selectionSet) return [{ ...s, selectionSet: rewrite(s.selectionSet, false) }];
      return keep(s, onType) ? [s] : [];
    }),
  });
  return withoutUnusedDefinitions({ ...document, definitions: document.definitions.map((d) => (d.kind === Kind.OPERATION_DEFINITION ? { ...d, selectionSet: rewrite(d.selectionSet, false) } : d)) });
}

type Entity = Record<string, unknown> | null;
const organisationOf = (row: unknown) => String((row as { organisation?: { id?: unknown } } | null)?.organisation?.id ?? '');

/**
 * Entities of `typename` as the deployment holding them (`parts[0]`) and the others answered them,
 * merged field by field; `applies(i)` says which of them are of that type (the others stay as the
 * holding deployment gave them); `parts[hub]` is the hub's answer.
 */
export function mergeEntities(typename: string, fields: FieldNode[], parts: Entity[][], variables: Record<string, unknown>, applies: (i: number) => boolean = () => true, hub = 0): Entity[] {
  const rules = ENTITY_MERGE[typename] ?? {};
  return (parts[0] ?? []).map((held, i) => {
    if (!held || !applies(i)) return held;
    const merged: Record<string, unknown> = { ...held };
    for (const f of fields) {
      const key = f.alias?.value ?? f.name.value;
      const values = parts.map((p) => p[i]?.[key]).filter((v) => v !== null && v !== undefined);
      const rule = rules[f.name.value];
      if (rule === 'hub') merged[key] = parts[hub]?.[i]?.[key] ?? null;
      if (rule === 'sum') merged[key] = values.length ? values.reduce((n: number, v) => n + (v as number), 0) : null;
      if (rule === 'by-organisation') merged[key] = values.length ? (values as unknown[][]).flat().sort((a, b) => organisationOf(a).localeCompare(organisationOf(b))) : null;
      // with the hub alone (no node in reach), it was asked as the client asked and its answer stands
      if ((rule === 'list' || rule === 'fold') && parts.length === 1) merged[key] = values[0] ?? null;
      else if (rule === 'list') merged[key] = mergeConnection(values as Connection[], firstOf(f, variables), LIST_DIRECTION[f.name.value]);
      else if (rule === 'fold') merged[key] = foldRows(f, PROGRAM_FOLDS[f.name.value], parts.map((p) => p[i]?.[key] as Record<string, unknown>[] | null | undefined));
      // the holder's answer decides whether there are rows at all (null: not for this caller)
      if (rule === 'rows') merged[key] = Array.isArray(held[key]) ? orderedRows(f.name.value, values as Record<string, unknown>[][]) : (held[key] ?? null);
    }
    return merged;
  });
}

/** Rows from every deployment in ROW_ORDER, without the key the gateway asked for. */
function orderedRows(name: string, parts: Record<string, unknown>[][]): Record<string, unknown>[] {
  const { keys } = ROW_ORDER[name];
  const keyOf = (row: Record<string, unknown>) => keys.map((k) => (row[ROW_KEY] as Record<string, unknown> | undefined)?.[k] ?? null);
  const rows = parts.filter(Array.isArray).flat();
  return rows
    .map((row, at) => ({ row, key: keyOf(row), at }))
    .sort((a, b) => compare(a.key, b.key) || a.at - b.at)
    .map(({ row }) => {
      const { [ROW_KEY]: _key, ...rest } = row;
      return rest;
    });
}

/** Root fields reading one entity by its `id` argument, by the entity's type. */
const ROOT_ENTITIES: Record<string, string> = { community: 'Community' };

/** A query of one root field reading an entity by ID whose selection has fields that merge, as an `_entities` fetch of that entity. */
export interface RootAsEntity {
  typename: string;
  id: string;
  key: string;
  document: DocumentNode;
  variables: Record<string, unknown>;
}

/**
 * A query such as `{ community(id: …) { name forumItems { … } } }`, whose answer gathers records
 * from every deployment, asked as the `_entities` fetch of that entity (which merges), with the
 * same selection; null for any other operation.
 */
export function rootAsEntity(document: DocumentNode, variables: Record<string, unknown>): RootAsEntity | null {
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operations[0];
  if (operations.length !== 1 || operation.kind !== Kind.OPERATION_DEFINITION || operation.operation !== 'query') return null;
  const [field, ...more] = operation.selectionSet.selections;
  if (more.length || field?.kind !== Kind.FIELD || !field.selectionSet) return null;
  const typename = ROOT_ENTITIES[field.name.value];
  const argument = field.arguments?.find((a) => a.name.value === 'id')?.value;
  const id = argument?.kind === Kind.STRING ? argument.value : argument?.kind === Kind.VARIABLE ? variables[argument.name.value] : undefined;
  if (!typename || typeof id !== 'string') return null;
  const rules = ENTITY_MERGE[typename] ?? {};
  if (!field.selectionSet.selections.some((s) => s.kind === Kind.FIELD && rules[s.name.value])) return null;
  const name = (value: string) => ({ kind: Kind.NAME, value }) as const;
  const entities: FieldNode = {
    kind: Kind.FIELD,
    name: name('_entities'),
    arguments: [{ kind: Kind.ARGUMENT, name: name('representations'), value: { kind: Kind.VARIABLE, name: name('representations') } }],
    selectionSet: { kind: Kind.SELECTION_SET, selections: [{ kind: Kind.INLINE_FRAGMENT, typeCondition: { kind: Kind.NAMED_TYPE, name: name(typename) }, selectionSet: field.selectionSet }] },
  };
  const representations = {
    kind: Kind.VARIABLE_DEFINITION,
    variable: { kind: Kind.VARIABLE, name: name('representations') },
    type: { kind: Kind.NON_NULL_TYPE, type: { kind: Kind.LIST_TYPE, type: { kind: Kind.NON_NULL_TYPE, type: { kind: Kind.NAMED_TYPE, name: name('_Any') } } } },
  } as const;
  const asEntity = {
    ...operation,
    variableDefinitions: [...(operation.variableDefinitions ?? []), representations],
    selectionSet: { kind: Kind.SELECTION_SET, selections: [entities] },
  } as const;
  return {
    typename,
    id,
    key: field.alias?.value ?? field.name.value,
    // the entity's ID is a representation now: the variable that held it is no longer used
    document: withoutUnusedDefinitions({ ...document, definitions: document.definitions.map((d) => (d === operation ? asEntity : d)) }),
    variables: { ...variables, representations: [{ __typename: typename, id }] },
  };
}
