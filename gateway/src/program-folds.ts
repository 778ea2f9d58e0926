import { Kind, type FieldNode, type SelectionNode } from 'graphql';

type Row = Record<string, unknown>;

/**
 * How the rows of a Program field that the hub and each partner node answer for their own
 * organisations fold into the program's rows: rows with the same key are one (e.g. session
 * number k of every community), their counts are added, and the figures derived from counts are
 * worked out again from the added counts, never averaged (a ratio of sums; an average weighted
 * by what it averages over).
 */
export interface ProgramFold {
  /** Fields identifying a row across deployments. */
  key: string[];
  /** Counts: added. */
  sums: string[];
  /** The smallest non-null value across deployments. */
  mins?: string[];
  /** numerator / denominator of the added counts; null when the denominator is 0. */
  ratios?: Record<string, [string, string]>;
  /** Averages weighted by a count of the same row: Σ(average × count) / Σ count; null without any count. */
  weighted?: Record<string, string>;
  /** The merged rows' order. */
  order(a: Row, b: Row): number;
}

const nullsLast = (x: unknown, y: unknown) => (x === y ? 0 : x === null || x === undefined ? 1 : y === null || y === undefined ? -1 : x < y ? -1 : 1);

/** The Program fields folded across deployments (sessions subgraph, `participation.resolver.ts`, `forum.resolver.ts`). */
export const PROGRAM_FOLDS: Record<string, ProgramFold> = {
  retention: {
    key: ['sessionNumber'],
    sums: ['communities', 'cohort', 'retained', 'attendance'],
    ratios: { share: ['retained', 'cohort'] },
    order: (a, b) => (a.sessionNumber as number) - (b.sessionNumber as number),
  },
  attendanceTrend: {
    key: ['periodStart'],
    sums: ['sessionsHeld', 'attendance'],
    ratios: { averagePerSession: ['attendance', 'sessionsHeld'] },
    order: (a, b) => nullsLast(a.periodStart, b.periodStart),
  },
  forumSummary: {
    key: ['tier'],
    sums: ['openItems', 'responses'],
    mins: ['tierLevel'],
    weighted: { averageDaysToResponse: 'responses' },
    // top tier first, as the subgraph orders them
    order: (a, b) => nullsLast(a.tierLevel, b.tierLevel) || nullsLast(a.tier, b.tier),
  },
};

/** The merge reads each needed field under this prefix, whatever the client selected or aliased. */
const HIDDEN = '__hub_';

function neededFields(fold: ProgramFold): string[] {
  const ratios = Object.values(fold.ratios ?? {}).flat();
  const weighted = Object.entries(fold.weighted ?? {}).flat();
  return [...new Set([...fold.key, ...fold.sums, ...(fold.mins ?? []), ...ratios, ...weighted])];
}

/** The folded field also asking for every field the fold needs, under names of its own. */
export function withFoldFields(f: FieldNode, fold: ProgramFold): FieldNode {
  if (!f.selectionSet) return f;
  const extra: SelectionNode[] = neededFields(fold).map((name) => ({ kind: Kind.FIELD, alias: { kind: Kind.NAME, value: HIDDEN + name }, name: { kind: Kind.NAME, value: name } }));
  return { ...f, selectionSet: { ...f.selectionSet, selections: [...f.selectionSet.selections, ...extra] } };
}

/** Each deployment's rows of `f` (null where it had none or failed) folded into the program's, as the client selected them. */
export function foldRows(f: FieldNode, fold: ProgramFold, parts: (Row[] | null | undefined)[]): Row[] | null {
  const present = parts.filter((p): p is Row[] => Array.isArray(p));
  if (!present.length) return null;
  const groups = new Map<string, { first: Row; values: Row; weights: Record<string, number> }>();
  for (const row of present.flat()) {
    const read = (name: string) => row[HIDDEN + name] as number | null | undefined;
    const id = JSON.stringify(fold.key.map(read));
    let group = groups.get(id);
    if (!group) {
      const values: Row = Object.fromEntries(fold.key.map((k) => [k, read(k)]));
      for (const s of fold.sums) values[s] = 0;
      for (const m of fold.mins ?? []) values[m] = null;
      group = { first: row, values, weights: {} };
      groups.set(id, group);
    }
    const { values, weights } = group;
    for (const s of fold.sums) values[s] = (values[s] as number) + Number(read(s) ?? 0);
    for (const m of fold.mins ?? []) {
      const v = read(m);
      if (v !== null && v !== undefined && (values[m] === null || v < (values[m] as number))) values[m] = v;
    }
    for (const [average, count] of Object.entries(fold.weighted ?? {})) {
      const [v, n] = [read(average), Number(read(count) ?? 0)];
      if (v !== null && v !== undefined && n > 0) weights[average] = (weights[average] ?? 0) + v * n;
    }
  }
  const rows = [...groups.values()].map(({ first, values, weights }) => {
    for (const [ratio, [numerator, denominator]] of Object.entries(fold.ratios ?? {})) {
      values[ratio] = (values[denominator] as number) > 0 ? (values[numerator] as number) / (values[denominator] as number) : null;
    }
    for (const [average, count] of Object.entries(fold.weighted ?? {})) {
      values[average] = (values[count] as number) > 0 && weights[average] !== undefined ? weights[average] / (values[count] as number) : null;
    }
    return { first, values };
  });
  rows.sort((a, b) => fold.order(a.values, b.values));
  // each row as the client selected it: folded values by field name, anything else (e.g. __typename) as the first deployment gave it
  return rows.map(({ first, values }) => {
    const out: Row = {};
    for (const s of f.selectionSet?.selections ?? []) {
      if (s.kind !== Kind.FIELD) continue;
      const key = s.alias?.value ?? s.name.value;
      if (key.startsWith(HIDDEN)) continue;
      out[key] = s.name.value in values ? values[s.name.value] : first[key];
    }
    return out;
  });
}
