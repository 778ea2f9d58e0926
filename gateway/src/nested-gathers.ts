import { Kind, print, type DocumentNode, type FieldNode, type SelectionNode, type SelectionSetNode } from 'graphql';
import { fragmentsUsed } from './held-elsewhere';
import { withSelectionSets } from './selection-sets';

/**
 * Lists of communities (a national list's page, `Program.communities`) whose communities' fields
 * gathered from every deployment (entity-merge.ts: a forum's `forumItems`) are asked: each
 * deployment answers the list with its own items in its own communities only. The gateway asks
 * the communities' ID next to such fields, then asks each community's gathered fields as its
 * entity fetch (which gathers) and puts the answers in place.
 */
const COMMUNITY_LISTS = new Set(['communities']);
const GATHERED_IN_LISTS = new Set(['forumItems']);
const HIDDEN_ID = '__hubCommunityId';

const idField: FieldNode = { kind: Kind.FIELD, alias: { kind: Kind.NAME, value: HIDDEN_ID }, name: { kind: Kind.NAME, value: 'id' } };

/** A community node's selection with its ID asked when it asks a gathered field. */
function withId(set: SelectionSetNode): SelectionSetNode {
  return set.selections.some((s) => s.kind === Kind.FIELD && GATHERED_IN_LISTS.has(s.name.value)) ? { ...set, selections: [...set.selections, idField] } : set;
}

/** A selection set with the community nodes of every community list in it asking their ID; the same object when none does. */
function rewrite(set: SelectionSetNode, inList: boolean): SelectionSetNode {
  let changed = false;
  const selections = set.selections.map((s) => {
    const next = rewriteSelection(s, inList);
    if (next !== s) changed = true;
    return next;
  });
  return changed ? { ...set, selections } : set;
}

function rewriteSelection(s: SelectionNode, inList: boolean): SelectionNode {
  if (s.kind === Kind.INLINE_FRAGMENT) {
    const inner = rewrite(s.selectionSet, false);
    return inner === s.selectionSet ? s : { ...s, selectionSet: inner };
  }
  if (s.kind !== Kind.FIELD || !s.selectionSet) return s;
  let inner: SelectionSetNode;
  if (inList && s.name.value === 'nodes') inner = withId(s.selectionSet);
  else if (inList && s.name.value === 'edges') inner = edgesWithIds(s.selectionSet);
  else inner = rewrite(s.selectionSet, COMMUNITY_LISTS.has(s.name.value));
  return inner === s.selectionSet ? s : { ...s, selectionSet: inner };
}

/** An edges selection whose `node` asks its ID where it asks a gathered field. */
function edgesWithIds(set: SelectionSetNode): SelectionSetNode {
  let changed = false;
  const selections = set.selections.map((e) => {
    if (e.kind !== Kind.FIELD || e.name.value !== 'node' || !e.selectionSet) return e;
    const inner = withId(e.selectionSet);
    if (inner === e.selectionSet) return e;
    changed = true;
    return { ...e, selectionSet: inner };
  });
  return changed ? { ...set, selections } : set;
}

/** The operation with the communities of its community lists asking their ID where they ask a gathered field; null when none does. */
export function withListedCommunityIds(document: DocumentNode): DocumentNode | null {
  return withSelectionSets(document, (set) => rewrite(set, false));
}

/** A listed community that asked gathered fields: the object to fill in, and its ID. */
export interface ListedCommunity {
  holder: Record<string, unknown>;
  id: string;
}

/** The listed communities of an answer that asked gathered fields, with the IDs the gateway asked taken out. */
export function listedCommunities(data: unknown): ListedCommunity[] {
  const found: ListedCommunity[] = [];
  const walk = (value: unknown): void => {
    if (!value || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      for (const v of value) walk(v);
      return;
    }
    const object = value as Record<string, unknown>;
    if (typeof object[HIDDEN_ID] === 'string') {
      found.push({ holder: object, id: object[HIDDEN_ID] as string });
      delete object[HIDDEN_ID];
    }
    for (const v of Object.values(object)) walk(v);
  };
  walk(data);
  return found;
}

/** The gathered fields the community nodes of the operation's lists ask (aliases kept). */
export function gatheredFieldsInLists(document: DocumentNode): FieldNode[] {
  const fields: FieldNode[] = [];
  const visit = (set: SelectionSetNode | undefined, inList: boolean, isNode: boolean) => {
    for (const s of set?.selections ?? []) {
      if (s.kind === Kind.INLINE_FRAGMENT) visit(s.selectionSet, false, false);
      if (s.kind !== Kind.FIELD) continue;
      if (isNode && GATHERED_IN_LISTS.has(s.name.value)) fields.push(s);
      else if (inList && s.name.value === 'nodes') visit(s.selectionSet, false, true);
      else if (inList && s.name.value === 'edges') for (const e of s.selectionSet?.selections ?? []) e.kind === Kind.FIELD && e.name.value === 'node' && visit(e.selectionSet, false, true);
      else visit(s.selectionSet, COMMUNITY_LISTS.has(s.name.value), false);
    }
  };
  for (const d of document.definitions) if (d.kind === Kind.OPERATION_DEFINITION) visit(d.selectionSet, false, false);
  return fields;
}

/** The `_entities` query asking `fields` of communities, with the operation's variables and fragments they use. */
export function gatherQuery(document: DocumentNode, fields: FieldNode[]): string {
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  const text = fields.map((f) => print(f)).join(' ');
  const used = (operation?.kind === Kind.OPERATION_DEFINITION ? (operation.variableDefinitions ?? []) : []).filter((v) => new RegExp(`\\$${v.variable.name.value}\\b`).test(text));
  const variables = [...used.map((v) => print(v)), '$representations: [_Any!]!'].join(', ');
  return [`query HubGathered(${variables}) { _entities(representations: $representations) { ... on Community { ${text} } } }`, ...fragmentsUsed(text, document)].join('\n');
}
