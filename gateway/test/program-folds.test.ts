import { parse, print, type FieldNode, type OperationDefinitionNode } from 'graphql';
import { foldRows, PROGRAM_FOLDS, withFoldFields } from '../src/program-folds';

/** The first field of `{ program { <selection> } }`, as the gateway sends it in an `_entities` fetch. */
function programField(selection: string): FieldNode {
  const operation = parse(`{ program { ${selection} } }`).definitions[0] as OperationDefinitionNode;
  const program = operation.selectionSet.selections[0] as FieldNode;
  return program.selectionSet!.selections[0] as FieldNode;
}

describe('folding a Program field answered by the hub and partner nodes', () => {
  it('asks each deployment for what the fold needs, under names of its own, whatever the client selected', () => {
    const asked = print(withFoldFields(programField('r: retention { share }'), PROGRAM_FOLDS.retention));
    expect(asked).toContain('share');
    for (const name of ['sessionNumber', 'communities', 'cohort', 'retained', 'attendance']) expect(asked).toContain(`__hub_${name}: ${name}`);
  });

  it('adds counts by key and works ratios out again from the added counts, never averaging them', () => {
    const f = programField('retention { sessionNumber cohort retained share __typename }');
    const row = (k: number, cohort: number, retained: number) => ({
      sessionNumber: k, cohort, retained, share: cohort ? retained / cohort : null, __typename: 'RetentionPoint',
      __hub_sessionNumber: k, __hub_communities: 1, __hub_cohort: cohort, __hub_retained: retained, __hub_attendance: retained,
    });
    // the hub: 10 of 10 came back to session 2; a node: 1 of 30; a node that failed
    const rows = foldRows(f, PROGRAM_FOLDS.retention, [[row(1, 10, 10), row(2, 10, 10)], [row(1, 30, 30), row(2, 30, 1), row(3, 30, 1)], null]);
    expect(rows).toEqual([
      { sessionNumber: 1, cohort: 40, retained: 40, share: 1, __typename: 'RetentionPoint' },
      { sessionNumber: 2, cohort: 40, retained: 11, share: 11 / 40, __typename: 'RetentionPoint' },
      { sessionNumber: 3, cohort: 30, retained: 1, share: 1 / 30, __typename: 'RetentionPoint' },
    ]);
    expect(foldRows(f, PROGRAM_FOLDS.retention, [null, undefined])).toBeNull();
  });

  it('weights averages by what they average over and keeps the top tier first', () => {
    const f = programField('forumSummary { tier level: tierLevel openItems averageDaysToResponse }');
    const row = (tier: string | null, level: number | null, open: number, responses: number, days: number | null) => ({
      tier, level, openItems: open, averageDaysToResponse: days,
      __hub_tier: tier, __hub_tierLevel: level, __hub_openItems: open, __hub_responses: responses, __hub_averageDaysToResponse: days,
    });
    const rows = foldRows(f, PROGRAM_FOLDS.forumSummary, [
      [row('national', 1, 2, 1, 10), row('regional', 2, 0, 3, 2)],
      [row('regional', 2, 4, 1, 6), row(null, null, 1, 0, null), row('local', 3, 1, 0, null)],
    ]);
    expect(rows).toEqual([
      { tier: 'national', level: 1, openItems: 2, averageDaysToResponse: 10 },
      { tier: 'regional', level: 2, openItems: 4, averageDaysToResponse: (3 * 2 + 1 * 6) / 4 },
      { tier: 'local', level: 3, openItems: 1, averageDaysToResponse: null },
      { tier: null, level: null, openItems: 1, averageDaysToResponse: null },
    ]);
  });

  it('keeps every period of a trend once, in order, with the average per session of the added counts', () => {
    const f = programField('attendanceTrend { periodStart sessionsHeld averagePerSession }');
    const point = (start: string, held: number, attendance: number) => ({
      periodStart: start, sessionsHeld: held, averagePerSession: held ? attendance / held : null,
      __hub_periodStart: start, __hub_sessionsHeld: held, __hub_attendance: attendance,
    });
    const weeks = ['2026-11-23T00:00:00.000Z', '2026-11-30T00:00:00.000Z'];
    const rows = foldRows(f, PROGRAM_FOLDS.attendanceTrend, [[point(weeks[0], 2, 10), point(weeks[1], 0, 0)], [point(weeks[0], 1, 2), point(weeks[1], 0, 0)]]);
    expect(rows).toEqual([
      { periodStart: weeks[0], sessionsHeld: 3, averagePerSession: 4 },
      { periodStart: weeks[1], sessionsHeld: 0, averagePerSession: null },
    ]);
  });
});
