import type { NodeSubgraphName } from '@hub/core';
import { withSelectionSets } from './selection-sets';
import { Kind, print, type DocumentNode, type FieldNode, type FragmentDefinitionNode, type SelectionNode, type SelectionSetNode } from 'graphql';

/**
 * A field whose record may be held by another deployment than the record it belongs to, with the
 * field next to it giving the record's ID (IDs, for a list) and the root query reading one by ID.
 */
export interface Reference {
  field: string;
  idField: string;
  query: string;
  list?: boolean;
}

/**
 * References between organisations' records within one subgraph. Each deployment (the hub's
 * subgraph, a partner node) holds some organisations' rows only, so it answers such a field with
 * null when the record is held elsewhere:
 * - a training record's `course` (also `RequiredTraining`, `MembershipRuleBreach`) names a course
 *   of the program's catalogue, which the program's managing organisation keeps;
 * - a forum item lives with the organisation of the forum it was raised in, and escalated it sits
 *   in another organisation's forum (`forum`, `path`, a history step's `forum` and `fromForum`).
 * The gateway asks for the ID next to every such field, and fills the records left null in from
 * the deployment holding them, under the caller's own scope (partner-routing.ts). A test checks
 * that every type of the subgraph with such a field has its ID field.
 */
export const REFERENCES: Record<NodeSubgraphName, Reference[]> = {
  facilitators: [{ field: 'course', idField: 'courseId', query: 'trainingCourse' }],
  sessions: [
    { field: 'forum', idField: 'forumId', query: 'community' },
    { field: 'raisedIn', idField: 'raisedInId', query: 'community' },
    { field: 'fromForum', idField: 'fromForumId', query: 'community' },
    { field: 'path', idField: 'pathIds', query: 'community', list: true },
  ],
  feedback: [],
};

const hidden = (r: Reference) => `__hub_${r.idField}`;

const idField = (r: Reference): FieldNode => ({ kind: Kind.FIELD, alias: { kind: Kind.NAME, value: hidden(r) }, name: { kind: Kind.NAME, value: r.idField } });

/** The selection set with the ID field asked next to every reference in it and below; the same object when it has none. */
function rewrite(set: SelectionSetNode, references: Reference[]): SelectionSetNode {
  let changed = false;
  const selections = set.selections.map((s): SelectionNode => {
    if ((s.kind !== Kind.FIELD && s.kind !== Kind.INLINE_FRAGMENT) || !s.selectionSet) return s;
    const inner = rewrite(s.selectionSet, references);
    if (inner === s.selectionSet) return s;
    changed = true;
    return { ...s, selectionSet: inner };
  });
  const asked = references.filter((r) => set.selections.some((s) => s.kind === Kind.FIELD && s.name.value === r.field && s.selectionSet));
  return asked.length ? { ...set, selections: [...selections, ...asked.map(idField)] } : changed ? { ...set, selections } : set;
}

/** The operation also asking for the ID next to every reference; null when it has none. */
export function withReferenceIds(document: DocumentNode, references: Reference[]): DocumentNode | null {
  return references.length ? withSelectionSets(document, (set) => rewrite(set, references), true) : null;
}

/** A record an answer left null although its ID came back: where to put it, its ID, how to read it, and the selection the client asked of it. */
export interface MissingRecord {
  holder: Record<string, unknown> | unknown[];
  key: string | number;
  id: string;
  query: string;
  selection: SelectionSetNode;
}

/**
 * Walks an answer along the (rewritten) operation: takes out the IDs the gateway added and lists
 * the references left null for which an ID came back.
 */
export function missingRecords(document: DocumentNode, data: unknown, references: Reference[]): MissingRecord[] {
  const missing: MissingRecord[] = [];
  const carriers = new Set<Record<string, unknown>>();
  const fragments = new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
  const walk = (set: SelectionSetNode, value: unknown): void => {
    if (Array.isArray(value)) {
      for (const v of value) walk(set, v);
      return;
    }
    if (!value || typeof value !== 'object') return;
    const object = value as Record<string, unknown>;
    for (const s of set.selections) {
      if (s.kind === Kind.INLINE_FRAGMENT) walk(s.selectionSet, object);
      if (s.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(s.name.value);
        if (fragment) walk(fragment.selectionSet, object);
      }
      if (s.kind !== Kind.FIELD || !s.selectionSet) continue;
      const key = s.alias?.value ?? s.name.value;
      const reference = references.find((r) => r.field === s.name.value);
      const ids = reference && object[hidden(reference)];
      if (reference && ids !== undefined) carriers.add(object);
      const held = object[key];
      if (reference?.list && Array.isArray(held) && Array.isArray(ids)) {
        held.forEach((record, i) => {
          if (record === null && typeof ids[i] === 'string') missing.push({ holder: held, key: i, id: ids[i], query: reference.query, selection: s.selectionSet! });
          else walk(s.selectionSet!, record);
        });
      } else if (reference && !reference.list && held === null && typeof ids === 'string') {
        missing.push({ holder: object, key, id: ids, query: reference.query, selection: s.selectionSet });
      } else {
        walk(s.selectionSet, held);
      }
    }
  };
  for (const d of document.definitions) if (d.kind === Kind.OPERATION_DEFINITION) walk(d.selectionSet, data);
  for (const object of carriers) for (const r of references) delete object[hidden(r)];
  return missing;
}

/**
 * One query for the missing records, each distinct record and selection once:
 * `r0: community(id: $r0) { … }`; `aliasOf[i]` is the alias index of `missing[i]`.
 */
export function recordQuery(missing: MissingRecord[], document: DocumentNode): { query: string; variables: Record<string, string>; aliasOf: number[] } {
  const aliases = new Map<string, number>();
  const fields: string[] = [];
  const variables: Record<string, string> = {};
  const aliasOf = missing.map((m) => {
    const selection = print(m.selection);
    const key = `${m.query} ${m.id} ${selection}`;
    let alias = aliases.get(key);
    if (alias === undefined) {
      alias = fields.length;
      aliases.set(key, alias);
      fields.push(`r${alias}: ${m.query}(id: $r${alias}) ${selection}`);
      variables[`r${alias}`] = m.id;
    }
    return alias;
  });
  const query = `query HubHeldElsewhere(${fields.map((_, i) => `$r${i}: ID!`).join(', ')}) { ${fields.join(' ')} }`;
  return { query: [query, ...fragmentsUsed(fields.join(' '), document)].join('\n'), variables, aliasOf };
}

/** The operation's named fragments (printed) that `text` uses, and those they use in turn. */
export function fragmentsUsed(text: string, document: DocumentNode): string[] {
  const fragments = new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, print(d)]));
  const used = new Set<string>();
  const use = (inner: string) => {
    for (const [, name] of inner.matchAll(/\.\.\.\s*([_A-Za-z][_0-9A-Za-z]*)/g)) {
      if (name === 'on' || used.has(name) || !fragments.has(name)) continue;
      used.add(name);
      use(fragments.get(name)!);
    }
  };
  use(text);
  return [...used].map((n) => fragments.get(n)!);
}
