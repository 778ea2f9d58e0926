import { Kind, type DocumentNode, type FieldNode, type SelectionNode, type SelectionSetNode } from 'graphql';
import { firstOf, mergeConnection, withListKeys, type Connection } from './national-lists';
import { foldRows, PROGRAM_FOLDS, withFoldFields } from './program-folds';

/**
 * How a Program field of the facilitators, sessions and feedback subgraphs combines when the hub
 * and every partner node in the caller's reach each answer it for their own organisations:
 * counts are added; per-organisation rows are put together in organisation order (each
 * organisation's rows come whole from the one deployment that holds it, with small-group
 * suppression already applied to its own polls, so nothing suppressed becomes visible by
 * merging); lists are merged into one page in their order, as the national root lists are;
 * rows keyed by session number, period or tier are folded (program-folds.ts: counts added, ratios
 * and averages worked out again from them). Fields not listed (`engagementOverlaps`: overlaps
 * between organisations' plans) need every organisation's records at once and stay the hub's.
 */
export const PROGRAM_MERGE: Record<string, 'sum' | 'by-organisation' | 'list' | 'fold'> = {
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
};

/** The order of each merged Program list, as its subgraph pages it (COMMUNITY_ORDER, FORUM_ITEM_ORDER). */
const LIST_DIRECTION: Record<string, 'ASC' | 'DESC'> = { communities: 'ASC', forumItems: 'DESC' };

const IGNORED = new Set(['__typename', 'id', 'minimumGroupSize']);

/** The Program fields an `_entities` operation selects (response key and field name). */
export function programFields(document: DocumentNode): FieldNode[] {
  const fields: FieldNode[] = [];
  const visit = (set: SelectionSetNode | undefined, onProgram: boolean) => {
    for (const s of set?.selections ?? []) {
      if (s.kind === Kind.INLINE_FRAGMENT) visit(s.selectionSet, s.typeCondition?.name.value === 'Program');
      else if (s.kind === Kind.FIELD && s.name.value === '_entities') visit(s.selectionSet, false);
      else if (s.kind === Kind.FIELD && onProgram && !IGNORED.has(s.name.value)) fields.push(s);
    }
  };
  for (const d of document.definitions) if (d.kind === Kind.OPERATION_DEFINITION) visit(d.selectionSet, false);
  return fields;
}

/** Does merging these fields need more than the client selected (list cursors, the counts a fold works from)? */
export const needsMergeFields = (fields: FieldNode[]) => fields.some((f) => PROGRAM_MERGE[f.name.value] === 'list' || PROGRAM_MERGE[f.name.value] === 'fold');

/** The `_entities` operation with the Program lists and folds to merge also asking for what the merge needs. */
export function withProgramMergeFields(document: DocumentNode): DocumentNode {
  const rewrite = (set: SelectionSetNode, onProgram: boolean): SelectionSetNode => ({
    ...set,
    selections: set.selections.map((s): SelectionNode => {
      if (s.kind === Kind.INLINE_FRAGMENT) return { ...s, selectionSet: rewrite(s.selectionSet, s.typeCondition?.name.value === 'Program') };
      if (s.kind === Kind.FIELD && s.name.value === '_entities' && s.selectionSet) return { ...s, selectionSet: rewrite(s.selectionSet, false) };
      if (s.kind === Kind.FIELD && onProgram && PROGRAM_MERGE[s.name.value] === 'list') return withListKeys(s);
      if (s.kind === Kind.FIELD && onProgram && PROGRAM_MERGE[s.name.value] === 'fold') return withFoldFields(s, PROGRAM_FOLDS[s.name.value]);
      return s;
    }),
  });
  return { ...document, definitions: document.definitions.map((d) => (d.kind === Kind.OPERATION_DEFINITION ? { ...d, selectionSet: rewrite(d.selectionSet, false) } : d)) };
}

type Entity = Record<string, unknown> | null;
const organisationOf = (row: unknown) => String((row as { organisation?: { id?: unknown } } | null)?.organisation?.id ?? '');

/** Program entities as the hub (`parts[0]`) and the nodes answered them, merged field by field. */
export function mergePrograms(fields: FieldNode[], parts: Entity[][], variables: Record<string, unknown>): Entity[] {
  return (parts[0] ?? []).map((hub, i) => {
    if (!hub) return hub;
    const merged: Record<string, unknown> = { ...hub };
    for (const f of fields) {
      const key = f.alias?.value ?? f.name.value;
      const values = parts.map((p) => p[i]?.[key]).filter((v) => v !== null && v !== undefined);
      const rule = PROGRAM_MERGE[f.name.value];
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
