import { Kind, visit, type ASTNode, type DocumentNode, type FragmentDefinitionNode } from 'graphql';

/** The names of the variables and fragments a node uses directly. */
function uses(node: ASTNode): { variables: Set<string>; fragments: Set<string> } {
  const variables = new Set<string>();
  const fragments = new Set<string>();
  visit(node, {
    VariableDefinition: () => false, // a definition is not a use
    Variable: (v) => void variables.add(v.name.value),
    FragmentSpread: (f) => void fragments.add(f.name.value),
  });
  return { variables, fragments };
}

/**
 * The document without the variable definitions and fragment definitions its operations no longer
 * use (directly or through the fragments they use): a document the gateway cut down (fields of a
 * fetch left out) must still pass validation, which refuses an unused variable or fragment.
 */
export function withoutUnusedDefinitions(document: DocumentNode): DocumentNode {
  const fragments = new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const usedVariables = new Set<string>();
  const usedFragments = new Set<string>();
  const pending: ASTNode[] = operations.map((o) => o.selectionSet);
  while (pending.length) {
    const found = uses(pending.pop()!);
    for (const v of found.variables) usedVariables.add(v);
    for (const f of found.fragments) {
      if (usedFragments.has(f) || !fragments.has(f)) continue;
      usedFragments.add(f);
      pending.push(fragments.get(f)!.selectionSet);
    }
  }
  return {
    ...document,
    definitions: document.definitions
      .filter((d) => d.kind !== Kind.FRAGMENT_DEFINITION || usedFragments.has(d.name.value))
      .map((d) => (d.kind === Kind.OPERATION_DEFINITION ? { ...d, variableDefinitions: (d.variableDefinitions ?? []).filter((v) => usedVariables.has(v.variable.name.value)) } : d)),
  };
}
