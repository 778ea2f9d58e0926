import { createFeedbackSubgraph, participantHash } from '@hub/feedback';
import { newId, newUntimedId, type Subgraph } from '@hub/core';
import { dropTestDatabases, testSubgraphConfig } from '../../../test/support/database';

describe('feedback migrations', () => {
  const config = testSubgraphConfig('feedback');
  let subgraph: Subgraph;
  const rows = async (sql: string, params: unknown[] = []) => subgraph.dataSource.query(sql, params);

  beforeAll(async () => {
    subgraph = await createFeedbackSubgraph(config);
  });
  afterAll(async () => {
    await subgraph.stop();
    await dropTestDatabases(config);
  });

  it('moves answers and participations of the first shape into the anonymous one, and back', async () => {
    // back to the first shape, one migration at a time: answers without their owner column, no CoP measures, no results visibility, row-level security off, participation per answer, UUID response IDs
    // before polls' IDs were ordered byte by byte: the server's collation again
    const pollCreated = async () => (await rows(`SELECT indexdef FROM pg_indexes WHERE indexname = 'poll_created'`))[0].indexdef as string;
    expect(await pollCreated()).toMatch(/id COLLATE "C" DESC/);
    await subgraph.dataSource.undoLastMigration({ transaction: 'each' });
    expect(await pollCreated()).not.toMatch(/COLLATE/);
    const readRule = async () => (await rows(`SELECT qual FROM pg_policies WHERE tablename = 'response' AND policyname = 'hub_read'`))[0]?.qual as string;
    expect(await readRule()).not.toMatch(/FROM poll/);
    await subgraph.dataSource.undoLastMigration({ transaction: 'each' });
    expect(await rows(`SELECT column_name FROM information_schema.columns WHERE table_name = 'response' AND column_name = 'organisation_id'`)).toEqual([]);
    expect(await readRule()).toMatch(/FROM poll p/);
    await subgraph.dataSource.undoLastMigration({ transaction: 'each' });
    expect(await rows(`SELECT column_name FROM information_schema.columns WHERE table_name = 'response' AND column_name = 'pair_code'`)).toEqual([]);
    expect(await rows(`SELECT relname FROM pg_class WHERE relname IN ('confidence_pair', 'maturity_assessment')`)).toEqual([]);
    await subgraph.dataSource.undoLastMigration({ transaction: 'each' });
    expect(await rows(`SELECT column_name FROM information_schema.columns WHERE table_name = 'poll' AND column_name = 'results_visibility'`)).toEqual([]);
    await subgraph.dataSource.undoLastMigration({ transaction: 'each' });
    // row security's down takes its policies, triggers and functions with it
    expect(await rows(`SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgrelid::regclass::text IN ('poll', 'response', 'participation')`)).toEqual([]);
    expect(await rows(`SELECT proname FROM pg_proc WHERE proname IN ('feedback_participation_append_only', 'hub_keep_owner', 'hub_orgs')`)).toEqual([]);
    expect(await rows(`SELECT policyname FROM pg_policies WHERE tablename IN ('poll', 'response', 'participation')`)).toEqual([]);
    await subgraph.dataSource.undoLastMigration({ transaction: 'each' });
    expect(await rows(`SELECT relname, relrowsecurity FROM pg_class WHERE relname IN ('poll', 'response', 'participation') ORDER BY relname`)).toEqual([
      { relname: 'participation', relrowsecurity: false },
      { relname: 'poll', relrowsecurity: false },
      { relname: 'response', relrowsecurity: false },
    ]);
    const poll = newId('uniting', 'pol');
    await rows(`INSERT INTO poll (id, organisation_id, program_id, session_id, kind, question, answer_type, minimum_group_size)
      VALUES ($1, 'uniting', $2, $3, 'CHECK_IN', 'Q?', 'RATING', 3)`, [poll, newId('prc', 'prg'), newId('uniting', 'ses')]);
    const hashes = ['p-1', 'p-2', 'p-3'].map((p) => participantHash(poll, p));
    for (const h of hashes) await rows(`INSERT INTO participation (poll_id, participant_hash) VALUES ($1, $2)`, [poll, h]);
    const uuids: { id: string }[] = await rows(`INSERT INTO response (poll_id, rating, submitted_on) VALUES ($1, 4, '2025-01-02'), ($1, 5, '2025-01-03') RETURNING id::text`, [poll]);

    await subgraph.dataSource.runMigrations({ transaction: 'each' });
    expect(await rows(`SELECT poll_id, hashes FROM participation`)).toEqual([{ poll_id: poll, hashes: [...hashes].sort() }]);
    const answers: { id: string; rating: number; day: string }[] = await rows(`SELECT id, rating, submitted_on::text AS day FROM response ORDER BY rating`);
    expect(answers).toEqual([
      { id: expect.stringMatching(/^uniting\.rsp_[0-9A-HJKMNP-TV-Z]{26}$/), rating: 4, day: '2025-01-02' },
      { id: expect.stringMatching(/^uniting\.rsp_[0-9A-HJKMNP-TV-Z]{26}$/), rating: 5, day: '2025-01-03' },
    ]);
    // the new IDs are the old random UUIDs' bits, re-encoded: distinct, and nothing else
    expect(new Set(answers.map((a) => a.id)).size).toBe(2);
    expect(uuids).toHaveLength(2);
    expect(await rows(`SELECT column_name FROM information_schema.columns WHERE table_name = 'poll' AND column_name = 'minimum_group_size'`)).toEqual([]);
    // existing polls keep showing their results live
    expect(await rows(`SELECT id, results_visibility FROM poll`)).toEqual([{ id: poll, results_visibility: 'LIVE' }]);
    expect(await rows(`SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class WHERE relname IN ('poll', 'response', 'participation', 'confidence_pair', 'maturity_assessment') ORDER BY relname`)).toEqual([
      { relname: 'confidence_pair', relrowsecurity: true, relforcerowsecurity: true },
      { relname: 'maturity_assessment', relrowsecurity: true, relforcerowsecurity: true },
      { relname: 'participation', relrowsecurity: true, relforcerowsecurity: true },
      { relname: 'poll', relrowsecurity: true, relforcerowsecurity: true },
      { relname: 'response', relrowsecurity: true, relforcerowsecurity: true },
    ]);
    // every answer carries its poll's owner, and cannot carry another
    expect(await rows(`SELECT DISTINCT organisation_id FROM response`)).toEqual([{ organisation_id: 'uniting' }]);
    await expect(rows(`INSERT INTO response (id, poll_id, rating) VALUES ($1, $2, 3)`, [newUntimedId('riverbend', 'rsp'), poll])).rejects.toThrow(/response_poll_owner/);
    expect(await readRule()).toMatch(/hub_set\('hub.orgs'::text\).*\? organisation_id/);
    // existing answers have no pairing code
    expect(await rows(`SELECT count(*)::int AS n FROM response WHERE pair_code IS NOT NULL`)).toEqual([{ n: 0 }]);
    // answers insert-only and participations never deleted, for request roles; hash sets append-only
    const policies: { tablename: string; policyname: string; qual: string | null; with_check: string | null }[] = await rows(
      `SELECT tablename, policyname, qual, with_check FROM pg_policies WHERE tablename IN ('response', 'participation') AND policyname IN ('hub_update', 'hub_delete') ORDER BY 1, 2`,
    );
    const rule = (table: string, name: string) => policies.find((p) => p.tablename === table && p.policyname === name);
    expect(rule('response', 'hub_update')?.with_check).toMatch(/SELECT hub_is_system\(\) AS hub_is_system\) OR false/);
    expect(rule('response', 'hub_delete')?.qual).toMatch(/SELECT hub_is_system\(\) AS hub_is_system\) OR false/);
    expect(rule('participation', 'hub_delete')?.qual).toMatch(/SELECT hub_is_system\(\) AS hub_is_system\) OR false/);
    expect(rule('participation', 'hub_update')?.with_check).toMatch(/hub_set\('hub.orgs'::text\)/);
    expect(await rows(`SELECT tgname FROM pg_trigger WHERE tgrelid = 'participation'::regclass AND NOT tgisinternal ORDER BY 1`)).toEqual([
      { tgname: 'feedback_participation_append_only' },
      { tgname: 'hub_keep_owner' },
    ]);
  });
});
