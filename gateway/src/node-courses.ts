import { Kind, print, type DocumentNode, type FieldNode, type FragmentDefinitionNode, type SelectionNode, type SelectionSetNode } from 'graphql';

/**
 * Courses of the program's catalogue for records a partner node holds. A node-hosted facilitator's
 * training records (and its communities' membership rules) name courses of the catalogue, which
 * the hub keeps: the node's own database holds none of another organisation's rows, so the node
 * answers their `course` with null. The gateway asks the node for each course's ID next to every
 * `course` field (`TrainingRecord`, `RequiredTraining` and `MembershipRuleBreach` all have
 * `courseId`), then asks the hub's facilitators subgraph for those courses, under the caller's
 * own scope, and puts them in place.
 */
const HIDDEN = '__hubCourseId';

const courseId: FieldNode = { kind: Kind.FIELD, alias: { kind: Kind.NAME, value: HIDDEN }, name: { kind: Kind.NAME, value: 'courseId' } };

/** The selection set with `courseId` asked next to every `course` in it and below; the same object when it has none. */
function rewrite(set: SelectionSetNode): SelectionSetNode {
  let changed = false;
  const selections = set.selections.map((s): SelectionNode => {
    if ((s.kind !== Kind.FIELD && s.kind !== Kind.INLINE_FRAGMENT) || !s.selectionSet) return s;
    const inner = rewrite(s.selectionSet);
    if (inner === s.selectionSet) return s;
    changed = true;
    return { ...s, selectionSet: inner };
  });
  const asksCourse = set.selections.some((s) => s.kind === Kind.FIELD && s.name.value === 'course' && s.selectionSet);
  return asksCourse ? { ...set, selections: [...selections, courseId] } : changed ? { ...set, selections } : set;
}

/** The operation also asking for the course's ID next to every `course` field; null when it has none. */
export function withCourseIds(document: DocumentNode): DocumentNode | null {
  let changed = false;
  const definitions = document.definitions.map((d) => {
    if (d.kind !== Kind.OPERATION_DEFINITION && d.kind !== Kind.FRAGMENT_DEFINITION) return d;
    const selectionSet = rewrite(d.selectionSet);
    if (selectionSet === d.selectionSet) return d;
    changed = true;
    return { ...d, selectionSet };
  });
  return changed ? { ...document, definitions } : null;
}

/** A `course` the node left null: where to put it, its ID, and the selection the client asked of it. */
export interface MissingCourse {
  holder: Record<string, unknown>;
  key: string;
  id: string;
  selection: SelectionSetNode;
}

/**
 * Walks a node's answer along the operation: takes out the course IDs the gateway added and lists
 * the `course` fields left null for which one came back.
 */
export function missingCourses(document: DocumentNode, data: unknown): MissingCourse[] {
  const missing: MissingCourse[] = [];
  const carriers = new Set<Record<string, unknown>>();
  const fragments = new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
  const walk = (set: SelectionSetNode, value: unknown): void => {
    if (Array.isArray(value)) {
      for (const v of value) walk(set, v);
      return;
    }
    if (!value || typeof value !== 'object') return;
    const object = value as Record<string, unknown>;
    const id = object[HIDDEN];
    if (id !== undefined) carriers.add(object);
    for (const s of set.selections) {
      if (s.kind === Kind.INLINE_FRAGMENT) walk(s.selectionSet, object);
      if (s.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(s.name.value);
        if (fragment) walk(fragment.selectionSet, object);
      }
      if (s.kind !== Kind.FIELD || !s.selectionSet) continue;
      const key = s.alias?.value ?? s.name.value;
      if (s.name.value === 'course' && object[key] === null && typeof id === 'string') missing.push({ holder: object, key, id, selection: s.selectionSet });
      else walk(s.selectionSet, object[key]);
    }
  };
  for (const d of document.definitions) if (d.kind === Kind.OPERATION_DEFINITION) walk(d.selectionSet, data);
  for (const object of carriers) delete object[HIDDEN];
  return missing;
}

/**
 * One query of the hub's catalogue for the missing courses, each distinct course and selection
 * once: `c0: trainingCourse(id: $c0) { … }`; `aliasOf[i]` is the alias index of `missing[i]`.
 */
export function courseQuery(missing: MissingCourse[], document: DocumentNode): { query: string; variables: Record<string, string>; aliasOf: number[] } {
  const aliases = new Map<string, number>();
  const fields: string[] = [];
  const variables: Record<string, string> = {};
  const aliasOf = missing.map((m) => {
    const selection = print(m.selection);
    const key = `${m.id} ${selection}`;
    let alias = aliases.get(key);
    if (alias === undefined) {
      alias = fields.length;
      aliases.set(key, alias);
      fields.push(`c${alias}: trainingCourse(id: $c${alias}) ${selection}`);
      variables[`c${alias}`] = m.id;
    }
    return alias;
  });
  // the named fragments the selections use, and those they use in turn
  const fragments = new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, print(d)]));
  const used = new Set<string>();
  const use = (text: string) => {
    for (const [, name] of text.matchAll(/\.\.\.\s*([_A-Za-z][_0-9A-Za-z]*)/g)) {
      if (name === 'on' || used.has(name) || !fragments.has(name)) continue;
      used.add(name);
      use(fragments.get(name)!);
    }
  };
  use(fields.join(' '));
  const query = `query HubNodeCourses(${fields.map((_, i) => `$c${i}: ID!`).join(', ')}) { ${fields.join(' ')} }`;
  return { query: [query, ...[...used].map((n) => fragments.get(n)!)].join('\n'), variables, aliasOf };
}
