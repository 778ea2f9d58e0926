import { ownerOf } from '@hub/core';
import { Kind, type DocumentNode, type ValueNode } from 'graphql';

/** Arguments and input fields that hold organisation keys rather than record IDs. */
const ORGANISATION_ARGUMENT = /^organisation(Id|Ids)?$/;

/**
 * The organisations whose records the root fields of a subgraph operation name in their
 * arguments (inline or as variables): organisation keys given as `organisationId(s)`, and the
 * owner of every record ID. Program IDs are left out: a program gathers all its partners, so
 * naming one does not tie an operation to its managing organisation.
 */
export function organisationsNamed(document: DocumentNode, variables: Record<string, unknown> = {}): Set<string> {
  const named = new Set<string>();
  const fromValue = (value: unknown, key: string): void => {
    if (typeof value === 'string') {
      const owner = ORGANISATION_ARGUMENT.test(key) ? value : ownerOf(value);
      if (owner && !value.includes('.prg_')) named.add(owner);
    } else if (Array.isArray(value)) {
      for (const v of value) fromValue(v, key);
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) fromValue(v, k);
    }
  };
  const fromNode = (node: ValueNode, key: string): void => {
    if (node.kind === Kind.VARIABLE) fromValue(variables[node.name.value], key);
    else if (node.kind === Kind.STRING) fromValue(node.value, key);
    else if (node.kind === Kind.LIST) for (const v of node.values) fromNode(v, key);
    else if (node.kind === Kind.OBJECT) for (const f of node.fields) fromNode(f.value, f.name.value);
  };
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    for (const selection of definition.selectionSet.selections) {
      if (selection.kind === Kind.FIELD) for (const argument of selection.arguments ?? []) fromNode(argument.value, argument.name.value);
    }
  }
  return named;
}

/** Arguments and input fields naming the record a mutation changes (or the one whose organisation owns what it adds), most telling first; other IDs it names are records it refers to. */
const ACTS_ON = ['itemId', 'id', 'facilitatorId'];

/**
 * The record a mutation's root field changes, when an argument or input field says so (`itemId`,
 * then `id`, then `facilitatorId`): `escalateForumItem(input: { itemId, toForumId })` changes the
 * item and refers to the forum; `joinCommunity(input: { facilitatorId, communityId })` and
 * `recordTraining(input: { facilitatorId, courseId })` add records of the facilitator's
 * organisation referring to a community and a course. Null when none does.
 */
export function recordActedOn(document: DocumentNode, variables: Record<string, unknown> = {}): string | null {
  const found = new Map<string, string>();
  const fromValue = (value: unknown, key: string): void => {
    if (typeof value === 'string' && ACTS_ON.includes(key) && !found.has(key)) found.set(key, value);
    else if (value && typeof value === 'object' && !Array.isArray(value)) for (const [k, v] of Object.entries(value)) fromValue(v, k);
  };
  const fromNode = (node: ValueNode, key: string): void => {
    if (node.kind === Kind.VARIABLE) fromValue(variables[node.name.value], key);
    else if (node.kind === Kind.STRING) fromValue(node.value, key);
    else if (node.kind === Kind.OBJECT) for (const f of node.fields) fromNode(f.value, f.name.value);
  };
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION || definition.operation !== 'mutation') continue;
    for (const selection of definition.selectionSet.selections) {
      if (selection.kind === Kind.FIELD) for (const argument of selection.arguments ?? []) fromNode(argument.value, argument.name.value);
    }
  }
  return ACTS_ON.map((k) => found.get(k)).find((v) => v !== undefined) ?? null;
}
