import { Kind, type DocumentNode, type FieldNode, type SelectionNode, type SelectionSetNode } from 'graphql';
import { firstOf, mergeConnection, withListKeys, type Connection } from './national-lists';

/**
 * How a Program field of the facilitators, sessions and feedback subgraphs combines when the hub
 * and every partner node in the caller's reach each answer it for their own organisations:
 * counts are added; per-organisation rows are put together in organisation order (each
 * organisation's rows come whole from the one deployment that holds it, with small-group
 * suppression already applied to its own polls, so nothing suppressed becomes visible by
 * merging); lists are merged into one page in their order (`communities`, by name key), as the
 * national root lists are. Fields not listed (e.g. `retention`, `engagementOverlaps`) need every
 * organisation's records at once and stay the hub's.
 */
export const PROGRAM_MERGE: Record<string, 'sum' | 'by-organisation' | 'list'> = {
  communities: 'list',
  sessionCount: 'sum',
  pollCount: 'sum',
  feedbackResponseCount: 'sum',
  participationByPartner: 'by-organisation',
  outcomeSummary: 'by-organisation',
};

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

/** The `_entities` operation with the Program list fields to merge also asking for their merge keys. */
export function withProgramListKeys(document: DocumentNode): DocumentNode {
  const rewrite = (set: SelectionSetNode, onProgram: boolean): SelectionSetNode => ({
    ...set,
    selections: set.selections.map((s): SelectionNode => {
      if (s.kind === Kind.INLINE_FRAGMENT) return { ...s, selectionSet: rewrite(s.selectionSet, s.typeCondition?.name.value === 'Program') };
      if (s.kind === Kind.FIELD && s.name.value === '_entities' && s.selectionSet) return { ...s, selectionSet: rewrite(s.selectionSet, false) };
      if (s.kind === Kind.FIELD && onProgram && PROGRAM_MERGE[s.name.value] === 'list') return withListKeys(s);
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
      // with the hub alone (no node in reach), its page was asked without merge keys and stands as it is
      if (rule === 'list') merged[key] = parts.length > 1 ? mergeConnection(values as Connection[], firstOf(f, variables), 'ASC') : (values[0] ?? null);
    }
    return merged;
  });
}
