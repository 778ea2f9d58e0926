import { createFeedbackSubgraph, Poll } from '@hub/feedback';
import { newId, withScope, type AccessScope, type Subgraph } from '@hub/core';
import { decodeTime } from 'ulid';
import { dropTestDatabases, testSubgraphConfig } from '../../../test/support/database';
import { errorCode, postGraphQL } from '../../../test/support/graphql';
import { partnerAdmin, scopeHeaders, scopeOf, SYSTEM_SCOPE } from '../../../test/support/scopes';

const A = 'alpha';
const B = 'beta';
const MANAGER = 'natmgr';
const PROGRAM = newId(MANAGER, 'prg');
const SESSION_A = newId(A, 'ses');
const SESSION_B = newId(B, 'ses');
const COMMUNITY_B = newId(B, 'com');

describe('feedback access (docs/access.md)', () => {
  const config = testSubgraphConfig('feedback');
  let subgraph: Subgraph;
  let url: string;
  const gql = async (query: string, variables: Record<string, unknown> | undefined, scope: AccessScope) => postGraphQL(url, query, variables, await scopeHeaders(scope));
  const rows = async (sql: string, params: unknown[] = []) => subgraph.dataSource.query(sql, params);
  const fields = (res: { errors?: readonly { extensions?: Record<string, unknown> }[] }) =>
    (res.errors?.[0]?.extensions?.fields as { field: string }[] | undefined)?.map((f) => f.field);

  const adminA = partnerAdmin(A, [MANAGER], [PROGRAM]);
  const adminB = partnerAdmin(B, [MANAGER], [PROGRAM]);
  /** An admin of the program's managing organisation. */
  const adminManager = partnerAdmin(MANAGER, [], [PROGRAM]);
  const facilitatorA = scopeOf('facilitator', { subject: 'fac-a', organisation: A, facilitator: newId(A, 'fac'), organisations: [A, MANAGER], programs: [PROGRAM] });
  /** A participant of A's groups (each answerer its own subject). */
  const participantA = (subject: string) => scopeOf('participant', { subject, organisations: [A, MANAGER], programs: [PROGRAM] });
  const participantB = (subject: string) => scopeOf('participant', { subject, organisations: [B, MANAGER], programs: [PROGRAM] });

  const CREATE = `mutation($input: CreatePollInput!) { createPoll(input: $input) { id } }`;
  const SUBMIT = `mutation($input: SubmitResponseInput!) { submitResponse(input: $input) { accepted } }`;
  const CLOSE = `mutation($id: ID!) { closePoll(id: $id) { id status } }`;

  async function createPoll(scope: AccessScope, input: Record<string, unknown>): Promise<string> {
    const res = await gql(CREATE, { input: { programId: PROGRAM, kind: 'POLL', question: 'How was it?', answerType: 'CHOICE', options: ['Good', 'Poor'], ...input } }, scope);
    expect(res.errors).toBeUndefined();
    return res.data?.createPoll.id;
  }

  let pollA: string;
  let pollB: string;
  let managerPoll: string;

  beforeAll(async () => {
    subgraph = await createFeedbackSubgraph(config);
    url = await subgraph.listen(0);
    pollA = await createPoll(adminA, { organisationId: A, sessionId: SESSION_A });
    pollB = await createPoll(adminB, { organisationId: B, sessionId: SESSION_B });
    await createPoll(adminB, { organisationId: B, communityId: COMMUNITY_B });
    managerPoll = await createPoll(adminManager, { organisationId: MANAGER, communityId: newId(MANAGER, 'com') });
    for (let i = 0; i < 5; i++) {
      expect((await gql(SUBMIT, { input: { pollId: pollB, choice: 0 } }, participantB(`b-${i}`))).errors).toBeUndefined();
    }
  });
  afterAll(async () => {
    await subgraph.stop();
    await dropTestDatabases(config);
  });

  it('answers a request without the gateway\'s scope header with HTTP 401, and one with a forged scope with 403', async () => {
    const bare = await postGraphQL(url, `{ polls { totalCount } }`);
    expect(bare.status).toBe(401);
    expect(errorCode(bare)).toBe('UNAUTHENTICATED');
    const forged = await postGraphQL(url, `{ polls { totalCount } }`, undefined, { 'x-hub-scope': 'not.a.scope' });
    expect(forged.status).toBe(403);
  });

  describe('a poll outside the caller\'s wall is as if absent', () => {
    it('by ID, in lists and through _entities', async () => {
      const byId = await gql(`query($a: ID!, $b: ID!) { a: poll(id: $a) { id } b: poll(id: $b) { id } }`, { a: pollA, b: pollB }, adminA);
      expect(byId.data).toEqual({ a: { id: pollA }, b: null });
      const list = await gql(`{ polls(first: 100) { totalCount nodes { id } } }`, undefined, adminA);
      expect(list.data?.polls.nodes.map((n: { id: string }) => n.id).sort()).toEqual([pollA, managerPoll].sort());
      expect(list.data?.polls.totalCount).toBe(2);
      const filtered = await gql(`query($o: ID!) { polls(filter: { organisationId: $o }) { totalCount nodes { id } } }`, { o: B }, adminA);
      expect(filtered.data?.polls).toEqual({ totalCount: 0, nodes: [] });
      const entities = await gql(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Poll { id results { responseCount } } } }`, {
        r: [pollA, pollB].map((id) => ({ __typename: 'Poll', id, program: { minimumGroupSize: 5 } })),
      }, adminA);
      expect(entities.data?._entities).toEqual([{ id: pollA, results: { responseCount: null } }, null]);
    });

    it('nested through Session, Community, Organisation and Program', async () => {
      const res = await gql(`query($r: [_Any!]!) { _entities(representations: $r) {
        ... on Session { id polls { totalCount nodes { id } } feedbackResponseCount }
        ... on Community { id polls { totalCount nodes { id } } feedbackResponseCount }
        ... on Organisation { id pollCount feedbackResponseCount }
        ... on Program { id pollCount feedbackResponseCount } } }`, {
        r: [
          { __typename: 'Session', id: SESSION_B, program: { minimumGroupSize: 5 } },
          { __typename: 'Community', id: COMMUNITY_B, program: { minimumGroupSize: 5 } },
          { __typename: 'Organisation', id: B },
          { __typename: 'Program', id: PROGRAM },
        ],
      }, adminA);
      expect(res.errors).toBeUndefined();
      expect(res.data?._entities).toEqual([
        { id: SESSION_B, polls: { totalCount: 0, nodes: [] }, feedbackResponseCount: null },
        { id: COMMUNITY_B, polls: { totalCount: 0, nodes: [] }, feedbackResponseCount: null },
        { id: B, pollCount: 0, feedbackResponseCount: 0 },
        // A's and the manager's polls; B's five answers are not counted
        { id: PROGRAM, pollCount: 2, feedbackResponseCount: 0 },
      ]);
      // B's own admin sees them
      const own = await gql(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Session { feedbackResponseCount } ... on Organisation { pollCount feedbackResponseCount } } }`, {
        r: [{ __typename: 'Session', id: SESSION_B, program: { minimumGroupSize: 5 } }, { __typename: 'Organisation', id: B }],
      }, adminB);
      expect(own.data?._entities).toEqual([{ feedbackResponseCount: 5 }, { pollCount: 2, feedbackResponseCount: 5 }]);
    });

    it('cannot be answered or closed: NOT_FOUND, nothing stored', async () => {
      const before = await rows(`SELECT (SELECT count(*)::int FROM response) AS responses, (SELECT cardinality(hashes) FROM participation WHERE poll_id = $1) AS hashes`, [pollB]);
      const answer = await gql(SUBMIT, { input: { pollId: pollB, choice: 0 } }, participantA('outsider'));
      expect(errorCode(answer)).toBe('NOT_FOUND');
      expect(fields(answer)).toEqual(['input.pollId']);
      const close = await gql(CLOSE, { id: pollB }, adminA);
      expect(errorCode(close)).toBe('NOT_FOUND');
      expect(fields(close)).toEqual(['id']);
      expect(await rows(`SELECT (SELECT count(*)::int FROM response) AS responses, (SELECT cardinality(hashes) FROM participation WHERE poll_id = $1) AS hashes`, [pollB])).toEqual(before);
      expect(await rows(`SELECT status FROM poll WHERE id = $1`, [pollB])).toEqual([{ status: 'OPEN' }]);
    });
  });

  describe('changing polls', () => {
    it('lets only the owning organisation\'s admins create a poll: FORBIDDEN naming input.organisationId', async () => {
      const before = await rows(`SELECT count(*)::int AS n FROM poll`);
      for (const scope of [adminA, facilitatorA, participantA('p-1')]) {
        const res = await gql(CREATE, { input: { organisationId: B, programId: PROGRAM, sessionId: SESSION_B, kind: 'POLL', question: 'Q?', answerType: 'RATING' } }, scope);
        expect(errorCode(res)).toBe('FORBIDDEN');
        expect(fields(res)).toEqual(['input.organisationId']);
      }
      for (const scope of [facilitatorA, participantA('p-1')]) {
        const res = await gql(CREATE, { input: { organisationId: A, programId: PROGRAM, sessionId: SESSION_A, kind: 'POLL', question: 'Q?', answerType: 'RATING' } }, scope);
        expect(errorCode(res)).toBe('FORBIDDEN');
      }
      expect(await rows(`SELECT count(*)::int AS n FROM poll`)).toEqual(before);
    });

    it('refuses a poll in a program the caller\'s organisation neither delivers nor manages: FORBIDDEN naming input.programId, nothing stored', async () => {
      const before = await rows(`SELECT count(*)::int AS n FROM poll`);
      const foreign = newId('elsewhere', 'prg');
      const res = await gql(CREATE, { input: { organisationId: A, programId: foreign, sessionId: SESSION_A, kind: 'POLL', question: 'Q?', answerType: 'RATING' } }, adminA);
      expect(errorCode(res)).toBe('FORBIDDEN');
      expect(fields(res)).toEqual(['input.programId']);
      // an admin without any program at all
      const none = await gql(CREATE, { input: { organisationId: A, programId: PROGRAM, sessionId: SESSION_A, kind: 'POLL', question: 'Q?', answerType: 'RATING' } }, partnerAdmin(A));
      expect(errorCode(none)).toBe('FORBIDDEN');
      expect(fields(none)).toEqual(['input.programId']);
      expect(await rows(`SELECT count(*)::int AS n FROM poll`)).toEqual(before);
      expect(await rows(`SELECT 1 FROM poll WHERE program_id = $1`, [foreign])).toEqual([]);
    });

    it('refuses a poll hung on another organisation\'s session or community: FORBIDDEN naming that field, nothing stored', async () => {
      const before = await rows(`SELECT count(*)::int AS n FROM poll`);
      const base = { organisationId: A, programId: PROGRAM, kind: 'POLL', question: 'Q?', answerType: 'RATING' };
      const onSession = await gql(CREATE, { input: { ...base, sessionId: SESSION_B } }, adminA);
      expect(errorCode(onSession)).toBe('FORBIDDEN');
      expect(fields(onSession)).toEqual(['input.sessionId']);
      // the program's shared spaces are its manager's: still not A's to put polls in
      const onCommunity = await gql(CREATE, { input: { ...base, communityId: newId(MANAGER, 'com') } }, adminA);
      expect(errorCode(onCommunity)).toBe('FORBIDDEN');
      expect(fields(onCommunity)).toEqual(['input.communityId']);
      expect(await rows(`SELECT count(*)::int AS n FROM poll`)).toEqual(before);
      // its own session is fine
      expect(await createPoll(adminA, { organisationId: A, sessionId: newId(A, 'ses') })).toMatch(/^alpha\.pol_/);
    });

    it('lets only the owning organisation\'s admins close a poll they can see: FORBIDDEN otherwise', async () => {
      const poll = await createPoll(adminA, { organisationId: A, sessionId: SESSION_A });
      for (const scope of [facilitatorA, participantA('p-2'), adminB]) {
        const res = await gql(CLOSE, { id: managerPoll }, scope);
        // the manager's poll is within everyone's wall here, but only its own admins manage it
        expect(errorCode(res)).toBe('FORBIDDEN');
        expect(fields(res)).toEqual(['id']);
      }
      const denied = await gql(CLOSE, { id: poll }, facilitatorA);
      expect(errorCode(denied)).toBe('FORBIDDEN');
      const closed = await gql(CLOSE, { id: poll }, adminA);
      expect(closed.data?.closePoll).toEqual({ id: poll, status: 'CLOSED' });
    });

    it('lets anyone whose wall includes the poll answer once: participants and facilitators of other organisations too', async () => {
      const poll = await createPoll(adminManager, { organisationId: MANAGER, communityId: newId(MANAGER, 'com') });
      for (const scope of [participantA('p-3'), participantB('p-4'), facilitatorA, adminB]) {
        const res = await gql(SUBMIT, { input: { pollId: poll, choice: 1 } }, scope);
        expect(res.errors).toBeUndefined();
      }
      const again = await gql(SUBMIT, { input: { pollId: poll, choice: 0 } }, facilitatorA);
      expect(errorCode(again)).toBe('CONFLICT');
      expect(fields(again)).toEqual(['input.pollId']);
      expect(await rows(`SELECT choice, count(*)::int AS n FROM response WHERE poll_id = $1 GROUP BY choice`, [poll])).toEqual([{ choice: 1, n: 4 }]);
      expect(await rows(`SELECT cardinality(hashes) AS n FROM participation WHERE poll_id = $1`, [poll])).toEqual([{ n: 4 }]);
    });
  });

  describe('anonymity', () => {
    const RESULTS = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Poll { results { responseCount suppressed options { count } } } } }`;
    const results = async (id: string, scope: AccessScope) =>
      (await gql(RESULTS, { r: [{ __typename: 'Poll', id, program: { minimumGroupSize: 5 } }] }, scope)).data?._entities[0].results;

    it('shows no result for 4 answers and the result for 5', async () => {
      const poll = await createPoll(adminA, { organisationId: A, sessionId: newId(A, 'ses') });
      for (let i = 0; i < 4; i++) await gql(SUBMIT, { input: { pollId: poll, choice: 0 } }, participantA(`four-${i}`));
      expect(await results(poll, adminA)).toEqual({ responseCount: null, suppressed: true, options: [{ count: null }, { count: null }] });
      await gql(SUBMIT, { input: { pollId: poll, choice: 0 } }, participantA('four-4'));
      expect(await results(poll, adminA)).toEqual({ responseCount: 5, suppressed: false, options: [{ count: 5 }, { count: 0 }] });
    });

    it('refuses the same subject answering twice as CONFLICT and stores nothing of the second answer', async () => {
      const poll = await createPoll(adminA, { organisationId: A, sessionId: SESSION_A });
      expect((await gql(SUBMIT, { input: { pollId: poll, choice: 0 } }, participantA('twice'))).errors).toBeUndefined();
      const again = await gql(SUBMIT, { input: { pollId: poll, choice: 1 } }, participantA('twice'));
      expect(errorCode(again)).toBe('CONFLICT');
      expect(await rows(`SELECT choice FROM response WHERE poll_id = $1`, [poll])).toEqual([{ choice: 0 }]);
      expect(await rows(`SELECT cardinality(hashes) AS n FROM participation WHERE poll_id = $1`, [poll])).toEqual([{ n: 1 }]);
    });

    it('keeps no column that could join an answer back to a person', async () => {
      const columns = async (table: string) =>
        (await rows(`SELECT column_name FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position`, [table])).map((c: { column_name: string }) => c.column_name);
      // the answer: the poll, the answer, the day; nothing of the subject or its hash, and no time. The
      // pairing code (confidence pairs only) is a keyed hash per pair, not the participation hash (cop-feedback.test.ts);
      // organisation_id is the poll's owner, the same for every answer to a poll
      expect(await columns('response')).toEqual(['id', 'poll_id', 'choice', 'rating', 'text', 'submitted_on', 'pair_code', 'organisation_id']);
      // who answered: the poll and its hashes; nothing pointing to a response
      expect(await columns('participation')).toEqual(['poll_id', 'hashes']);
      const references = await rows(`SELECT conrelid::regclass::text AS tbl, confrelid::regclass::text AS target FROM pg_constraint
        WHERE contype = 'f' AND conrelid::regclass::text IN ('response', 'participation') ORDER BY 1`);
      expect(references).toEqual([{ tbl: 'participation', target: 'poll' }, { tbl: 'response', target: 'poll' }, { tbl: 'response', target: 'poll' }]);
      // no stored value carries the subject
      const poll = await createPoll(adminA, { organisationId: A, sessionId: SESSION_A });
      await gql(SUBMIT, { input: { pollId: poll, choice: 0 } }, participantA('findable-subject'));
      const stored = JSON.stringify(await rows(`SELECT r.*, p.* FROM response r JOIN participation p USING (poll_id) WHERE poll_id = $1`, [poll]));
      expect(stored).not.toContain('findable-subject');
    });

    it('gives responses IDs with no time in them: answers made 50 ms apart do not sort by creation', async () => {
      const poll = await createPoll(adminA, { organisationId: A, sessionId: SESSION_A, answerType: 'TEXT', options: null });
      const started = Date.now();
      const texts = Array.from({ length: 8 }, (_, i) => `answer ${i}`);
      for (const [i, text] of texts.entries()) {
        expect((await gql(SUBMIT, { input: { pollId: poll, text } }, participantA(`timed-${i}`))).errors).toBeUndefined();
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const stored: { id: string; text: string }[] = await rows(`SELECT id, text FROM response WHERE poll_id = $1 ORDER BY id`, [poll]);
      expect(stored.every((r) => /^alpha\.rsp_[0-9A-HJKMNP-TV-Z]{26}$/.test(r.id))).toBe(true);
      // sorted by ID they are not in the order they came in (all 8 in order by chance: 1 in 40320)
      expect(stored.map((r) => r.text)).not.toEqual(texts);
      // and no ID reads as a ULID of the time it was made
      for (const { id } of stored) {
        const body = id.split('_')[1];
        const when = /^[0-7]/.test(body) ? decodeTime(body) : Number.NaN;
        expect(Math.abs(when - started) < 24 * 3_600_000).toBe(false);
      }
    });
  });

  it('keeps row-level security\'s wall: a request role under A\'s scope reads only what A may read', async () => {
    const polls = await withScope(subgraph.requestDataSource, partnerAdmin(A), (m) => m.getRepository(Poll).find());
    expect(polls.length).toBeGreaterThan(0);
    expect(new Set(polls.map((p) => p.organisationId))).toEqual(new Set([A]));
    const responses: { id: string }[] = await withScope(subgraph.requestDataSource, partnerAdmin(A), (m) => m.query(`SELECT id FROM response`));
    expect(responses.every((r) => r.id.startsWith(`${A}.`))).toBe(true);
    const participations: { poll_id: string }[] = await withScope(subgraph.requestDataSource, partnerAdmin(A), (m) => m.query(`SELECT poll_id FROM participation`));
    expect(participations.length).toBeGreaterThan(0);
    expect(participations.every((p) => p.poll_id.startsWith(`${A}.`))).toBe(true);
    // nothing at all outside a scoped transaction, and the system scope reads everything
    expect(await subgraph.requestDataSource.getRepository(Poll).count()).toBe(0);
    const all = await withScope(subgraph.requestDataSource, SYSTEM_SCOPE, (m) => m.getRepository(Poll).count());
    expect(all).toBe(Number((await rows(`SELECT count(*) AS n FROM poll`))[0].n));
  });

  it('refuses writes outside the wall at the database too', async () => {
    // as B's participant, straight through the request role: an answer to A's poll is not let in
    await expect(
      withScope(subgraph.requestDataSource, participantB('sneaky'), (m) => m.query(`INSERT INTO response (id, poll_id, choice) VALUES ($1, $2, 0)`, [`${A}.rsp_${'0'.repeat(26)}`, pollA])),
    ).rejects.toThrow(/row-level security/);
    await expect(
      withScope(subgraph.requestDataSource, adminB, (m) => m.query(`UPDATE poll SET status = 'CLOSED' WHERE id = $1 RETURNING id`, [pollA])),
    ).resolves.toEqual([[], 0]);
    expect(await rows(`SELECT status FROM poll WHERE id = $1`, [pollA])).toEqual([{ status: 'OPEN' }]);
  });

  describe('keeps answers insert-only and who answered append-only at the database', () => {
    const asB = <T>(run: (m: import('typeorm').EntityManager) => Promise<T>) => withScope(subgraph.requestDataSource, adminB, run);
    const answersOf = async (poll: string) => rows(`SELECT id, choice, submitted_on::text AS day FROM response WHERE poll_id = $1 ORDER BY id`, [poll]);

    it('lets no request role change or delete an answer, not even of a poll it reads and runs', async () => {
      const before = await answersOf(pollB);
      expect(before).toHaveLength(5);
      // B reads its poll's answers, but cannot touch them
      expect(await asB((m) => m.query(`SELECT count(*)::int AS n FROM response WHERE poll_id = $1`, [pollB]))).toEqual([{ n: 5 }]);
      // readable rows, so the update is tried and refused by its check (update: 'false')
      await expect(asB((m) => m.query(`UPDATE response SET choice = 1 WHERE poll_id = $1`, [pollB]))).rejects.toThrow(/row-level security/);
      await expect(asB((m) => m.query(`UPDATE response SET submitted_on = DATE '2020-01-01' WHERE poll_id = $1`, [pollB]))).rejects.toThrow(/row-level security/);
      expect(await asB((m) => m.query(`DELETE FROM response WHERE poll_id = $1`, [pollB]))).toEqual([[], 0]);
      expect(await withScope(subgraph.requestDataSource, participantB('b-0'), (m) => m.query(`DELETE FROM response WHERE poll_id = $1`, [pollB]))).toEqual([[], 0]);
      expect(await answersOf(pollB)).toEqual(before);
      // the system scope still may (it passes every policy)
      expect(await withScope(subgraph.requestDataSource, SYSTEM_SCOPE, (m) => m.query(`UPDATE response SET choice = choice WHERE poll_id = $1`, [pollB]))).toEqual([[], 5]);
    });

    it('lets a reader of the poll add a hash, never remove one or the row', async () => {
      const [{ hashes: before }] = await rows(`SELECT hashes FROM participation WHERE poll_id = $1`, [pollB]);
      expect(before).toHaveLength(5);
      const added = 'f'.repeat(64);
      // appending (what answering does) works
      expect(await withScope(subgraph.requestDataSource, participantB('appender'), (m) =>
        m.query(`UPDATE participation SET hashes = hashes || $2::text WHERE poll_id = $1`, [pollB, added]))).toEqual([[], 1]);
      // removing a hash, or replacing the set, is refused (42501), for the poll's own admin too
      for (const change of [`hashes = hashes[2:]`, `hashes = ARRAY[$2::text]`]) {
        await expect(asB((m) => m.query(`UPDATE participation SET ${change} WHERE poll_id = $1`, change.includes('$2') ? [pollB, 'e'.repeat(64)] : [pollB]))).rejects.toMatchObject({
          code: '42501',
        });
      }
      // the row cannot be moved to another poll or deleted
      await expect(asB((m) => m.query(`UPDATE participation SET poll_id = $2 WHERE poll_id = $1`, [pollB, managerPoll]))).rejects.toThrow();
      expect(await asB((m) => m.query(`DELETE FROM participation WHERE poll_id = $1`, [pollB]))).toEqual([[], 0]);
      expect(await rows(`SELECT hashes FROM participation WHERE poll_id = $1`, [pollB])).toEqual([{ hashes: [...before, added] }]);
      // a reader outside the poll's wall cannot even append
      expect(await withScope(subgraph.requestDataSource, participantA('outsider'), (m) =>
        m.query(`UPDATE participation SET hashes = hashes || $2::text WHERE poll_id = $1`, [pollB, 'd'.repeat(64)]))).toEqual([[], 0]);
    });
  });
});
