import { Kind, type DocumentNode, type SelectionSetNode } from 'graphql';

/**
 * The document with `rewrite` applied to the selection set of each operation (and of each named
 * fragment too, with `fragments`); null when nothing changed (`rewrite` returns the set it was given).
 */
export function withSelectionSets(document: DocumentNode, rewrite: (set: SelectionSetNode) => SelectionSetNode, fragments = false): DocumentNode | null {
  let changed = false;
  const definitions = document.definitions.map((d) => {
    if (d.kind !== Kind.OPERATION_DEFINITION && !(fragments && d.kind === Kind.FRAGMENT_DEFINITION)) return d;
    const selectionSet = rewrite(d.selectionSet);
    if (selectionSet === d.selectionSet) return d;
    changed = true;
    return { ...d, selectionSet };
  });
  return changed ? { ...document, definitions } : null;
}
