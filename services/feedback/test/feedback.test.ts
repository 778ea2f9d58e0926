import { createFeedbackSubgraph, participantHash, Poll, PollAnswerType, PollKind, PollStatus } from '@hub/feedback';
import { newId, newUntimedId, SCOPE_STATEMENTS, type AccessScope, type Subgraph } from '@hub/core';
import { dropTestDatabases, testSubgraphConfig } from '../../../test/support/database';
import { errorCode, postGraphQL } from '../../../test/support/graphql';
import { partnerAdmin, scopeHeaders, scopeOf, SYSTEM_SCOPE } from '../../../test/support/scopes';

const ORG = 'uniting';
const PROGRAM = newId('prc', 'prg');
const OTHER_PROGRAM = newId('prc', 'prg');
const SESSION = newId(ORG, 'ses');
const COMMUNITY = newId(ORG, 'com');
/** Every organisation these tests run polls for: an answerer reads them all. */
const WALL = [ORG, 'totals', 'bulk'];
/** A participant answering as `subject` (each answerer its own subject). */
const answerer = (subject: string): AccessScope => scopeOf('participant', { subject, organisations: WALL });

describe('feedback subgraph', () => {
  const config = testSubgraphConfig('feedback');
  let subgraph: Subgraph;
  let url: string;
  const gql = async (query: string, variables?: Record<string, unknown>, scope: AccessScope = SYSTEM_SCOPE) =>
    postGraphQL(url, query, variables, await scopeHeaders(scope));
  /** Answers `pollId` as `subject`. */
  const submit = (subject: string, input: Record<string, unknown>) => gql(SUBMIT, { input }, answerer(subject));
  const fields = (res: { errors?: readonly { extensions?: Record<string, unknown> }[] }) =>
    (res.errors?.[0]?.extensions?.fields as { field: string }[] | undefined)?.map((f) => f.field);
  const rows = async (sql: string, params: unknown[] = []) => subgraph.dataSource.query(sql, params);
  const count = async (table: string) => Number((await rows(`SELECT count(*) AS n FROM ${table}`))[0].n);

  const CREATE = `mutation($input: CreatePollInput!) { createPoll(input: $input) { id status minimumGroupSize options answerType ratingScale { min max } } }`;
  const SUBMIT = `mutation($input: SubmitResponseInput!) { submitResponse(input: $input) { accepted } }`;

  async function createPoll(input: Record<string, unknown> = {}): Promise<string> {
    const full = { organisationId: ORG, programId: PROGRAM, sessionId: SESSION, kind: 'POLL', question: 'How was it?', answerType: 'CHOICE', options: ['Good', 'Okay', 'Poor'], ...input };
    // an admin of the poll's organisation, which delivers the poll's program
    const res = await gql(CREATE, { input: full }, partnerAdmin(full.organisationId as string, [], [full.programId as string]));
    expect(res.errors).toBeUndefined();
    return res.data?.createPoll.id;
  }

  /** Answers a poll as `n` new participants (each its own subject) with the same answer. */
  async function answer(pollId: string, n: number, answer: Record<string, unknown>, tag = Math.random().toString(36).slice(2)): Promise<void> {
    for (let i = 0; i < n; i++) {
      const res = await submit(`${tag}-${i}`, { pollId, ...answer });
      expect(res.errors).toBeUndefined();
    }
  }

  /**
   * A poll's results as the gateway asks for them: `results` @requires the program's minimum group
   * size, so it comes in the representation (the gateway fetched it from partners).
   */
  const RESULTS = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Poll { results {
    responseCount suppressed minimumGroupSize options { label count } ratingDistribution { rating count } averageRating textAnswers } } } }`;
  const results = async (id: string, minimumGroupSize = 5, scope: AccessScope = SYSTEM_SCOPE) =>
    (await gql(RESULTS, { r: [{ __typename: 'Poll', id, program: { minimumGroupSize } }] }, scope)).data?._entities[0]?.results;

  beforeAll(async () => {
    subgraph = await createFeedbackSubgraph(config);
    url = await subgraph.listen(0);
  });
  afterAll(async () => {
    await subgraph.stop();
    await dropTestDatabases(config);
  });

  describe('creating and closing polls', () => {
    it('creates an open poll whose ID names its organisation, with the default minimum group size', async () => {
      const res = await gql(`mutation($input: CreatePollInput!) { createPoll(input: $input) {
        id kind question answerType options ratingScale { min } status minimumGroupSize
        session { id } community { id } program { id } organisation { id } } }`, {
        input: { organisationId: ORG, programId: PROGRAM, sessionId: SESSION, kind: 'POLL', question: '  Which topic next?  ', answerType: 'CHOICE', options: [' Sleep ', 'Play'] },
      });
      expect(res.errors).toBeUndefined();
      expect(res.data?.createPoll).toEqual({
        id: expect.stringMatching(/^uniting\.pol_/),
        kind: 'POLL',
        question: 'Which topic next?',
        answerType: 'CHOICE',
        options: ['Sleep', 'Play'],
        ratingScale: null,
        status: 'OPEN',
        minimumGroupSize: 5,
        session: { id: SESSION },
        community: null,
        program: { id: PROGRAM },
        organisation: { id: ORG },
      });
    });

    it('gives rating polls the fixed 1 to 5 scale and no options', async () => {
      const res = await gql(CREATE, {
        input: { organisationId: ORG, programId: PROGRAM, communityId: COMMUNITY, kind: 'CONFIDENCE', question: 'How confident are you?', answerType: 'RATING' },
      });
      expect(res.errors).toBeUndefined();
      expect(res.data?.createPoll).toMatchObject({ options: [], ratingScale: { min: 1, max: 5 } });
    });

    it('takes the minimum group size from the program (required from partners), never below 3, and not from the poll\'s input', async () => {
      const pollId = await createPoll();
      const q = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Poll { minimumGroupSize results { minimumGroupSize } } } }`;
      const sizes = async (program: unknown) => (await gql(q, { r: [{ __typename: 'Poll', id: pollId, program }] })).data?._entities[0];
      expect(await sizes({ minimumGroupSize: 8 })).toEqual({ minimumGroupSize: 8, results: { minimumGroupSize: 8 } });
      expect(await sizes({ minimumGroupSize: 1 })).toEqual({ minimumGroupSize: 3, results: { minimumGroupSize: 3 } });
      expect(await sizes(null)).toEqual({ minimumGroupSize: 5, results: { minimumGroupSize: 5 } });
      const input = await gql(`{ __type(name: "CreatePollInput") { inputFields { name } } }`);
      expect(input.data?.__type.inputFields.map((f: { name: string }) => f.name)).not.toContain('minimumGroupSize');
    });

    const base = { organisationId: ORG, programId: PROGRAM, sessionId: SESSION, kind: 'POLL', question: 'Q?', answerType: 'CHOICE', options: ['A', 'B'] };
    it.each([
      ['both a session and a community', { communityId: COMMUNITY }, ['input.sessionId', 'input.communityId']],
      ['neither a session nor a community', { sessionId: null }, ['input.sessionId', 'input.communityId']],
      ['a malformed session ID', { sessionId: 'session-1' }, ['input.sessionId']],
      ['a community ID of the wrong kind', { sessionId: null, communityId: SESSION }, ['input.communityId']],
      ['a malformed program ID', { programId: 'mytime' }, ['input.programId']],
      ['a malformed organisation key', { organisationId: 'Not A Key' }, ['input.organisationId']],
      ['a blank question', { question: '   ' }, ['input.question']],
      ['a question over 500 characters', { question: 'x'.repeat(501) }, ['input.question']],
      ['a choice poll without options', { options: null }, ['input.options']],
      ['a single option', { options: ['Only'] }, ['input.options']],
      ['more than 20 options', { options: Array.from({ length: 21 }, (_, i) => `o${i}`) }, ['input.options']],
      ['repeated options', { options: ['Yes', 'yes '] }, ['input.options']],
      ['a blank option', { options: ['Yes', ' '] }, ['input.options']],
      ['options on a rating poll', { answerType: 'RATING' }, ['input.options']],
      ['an outcome poll that is not rated', { kind: 'OUTCOME' }, ['input.answerType']],
      ['a close before the opening', { opensAt: '2031-01-02T00:00:00Z', closesAt: '2031-01-01T00:00:00Z' }, ['input.closesAt']],
      ['a close in the past', { closesAt: '2020-01-01T00:00:00Z' }, ['input.closesAt']],
    ])('refuses %s, naming the field, and saves nothing', async (_case, change, named) => {
      const before = await count('poll');
      const res = await gql(CREATE, { input: { ...base, ...change } }, partnerAdmin(ORG, [], [PROGRAM]));
      expect(errorCode(res)).toBe('BAD_USER_INPUT');
      expect(fields(res)).toEqual(named);
      expect(await count('poll')).toBe(before);
    });

    it('closes a poll once; closing again is a conflict, an unknown poll is not found and a malformed ID is bad input', async () => {
      const id = await createPoll();
      const closed = await gql(`mutation($id: ID!) { closePoll(id: $id) { id status } }`, { id });
      expect(closed.data?.closePoll).toEqual({ id, status: 'CLOSED' });
      const again = await gql(`mutation($id: ID!) { closePoll(id: $id) { id } }`, { id });
      expect(errorCode(again)).toBe('CONFLICT');
      const unknown = await gql(`mutation($id: ID!) { closePoll(id: $id) { id } }`, { id: newId(ORG, 'pol') });
      expect(errorCode(unknown)).toBe('NOT_FOUND');
      expect(fields(unknown)).toEqual(['id']);
      const bad = await gql(`mutation { closePoll(id: "nope") { id } }`);
      expect(errorCode(bad)).toBe('BAD_USER_INPUT');
      expect(fields(bad)).toEqual(['id']);
    });
  });

  describe('anonymous answers', () => {
    it('accepts an answer and returns nothing but that it was accepted', async () => {
      const pollId = await createPoll();
      const res = await submit('parent-17', { pollId, choice: 1 });
      expect(res.errors).toBeUndefined();
      expect(res.data?.submitResponse).toEqual({ accepted: true });
      const payload = await gql(`{ __type(name: "SubmitResponsePayload") { fields { name } } }`);
      expect(payload.data?.__type.fields).toEqual([{ name: 'accepted' }]);
      const input = await gql(`{ __type(name: "SubmitResponseInput") { inputFields { name } } }`);
      expect(input.data?.__type.inputFields.map((f: { name: string }) => f.name)).toEqual(['pollId', 'choice', 'rating', 'text', 'pairingCode']);
    });

    it('stores the answer with no identity and only its day, and who took part only as a keyed hash in one sorted array per poll', async () => {
      const pollId = await createPoll();
      await submit('parent-42', { pollId, choice: 2 });
      await submit('parent-43', { pollId, choice: 1 });
      const columns = await rows(`SELECT table_name, column_name, data_type FROM information_schema.columns
        WHERE table_name IN ('response', 'participation') ORDER BY table_name, ordinal_position`);
      expect(columns.map((c: { table_name: string; column_name: string }) => `${c.table_name}.${c.column_name}`)).toEqual([
        'participation.poll_id',
        'participation.hashes',
        'response.id',
        'response.poll_id',
        'response.choice',
        'response.rating',
        'response.text',
        'response.submitted_on',
        // null but on answers to a confidence pair's polls (cop-feedback.test.ts)
        'response.pair_code',
        // the poll's owner, the same on every answer to the poll
        'response.organisation_id',
      ]);
      expect(columns.find((c: { column_name: string }) => c.column_name === 'submitted_on').data_type).toBe('date');
      const answers = await rows(`SELECT id, choice, submitted_on::text AS day FROM response WHERE poll_id = $1 ORDER BY choice`, [pollId]);
      const today = new Date().toISOString().slice(0, 10);
      expect(answers).toEqual([
        { id: expect.stringMatching(/^uniting\.rsp_[0-9A-HJKMNP-TV-Z]{26}$/), choice: 1, day: today },
        { id: expect.stringMatching(/^uniting\.rsp_[0-9A-HJKMNP-TV-Z]{26}$/), choice: 2, day: today },
      ]);
      const participation = await rows(`SELECT * FROM participation WHERE poll_id = $1`, [pollId]);
      expect(participation).toEqual([{ poll_id: pollId, hashes: [participantHash(pollId, 'parent-42'), participantHash(pollId, 'parent-43')].sort() }]);
      expect(participation[0].hashes.join()).not.toContain('parent-4');
    });

    it('refuses a second answer by the same subject as a conflict and saves nothing', async () => {
      const pollId = await createPoll();
      await submit('parent-1', { pollId, choice: 0 });
      const [responses, participation] = [await count('response'), await rows(`SELECT hashes FROM participation WHERE poll_id = $1`, [pollId])];
      const again = await submit('parent-1', { pollId, choice: 1 });
      expect(errorCode(again)).toBe('CONFLICT');
      expect(fields(again)).toEqual(['input.pollId']);
      expect(await count('response')).toBe(responses);
      expect(await rows(`SELECT hashes FROM participation WHERE poll_id = $1`, [pollId])).toEqual(participation);
      const otherPoll = await createPoll();
      const elsewhere = await submit('parent-1', { pollId: otherPoll, choice: 1 });
      expect(elsewhere.data?.submitResponse.accepted).toBe(true);
    });

    it('takes exactly one of many simultaneous answers by the same subject', async () => {
      const pollId = await createPoll();
      const attempts = await Promise.all(Array.from({ length: 8 }, (_, i) => submit('eager', { pollId, choice: i % 3 })));
      expect(attempts.filter((a) => a.data?.submitResponse?.accepted)).toHaveLength(1);
      expect(attempts.filter((a) => errorCode(a) === 'CONFLICT')).toHaveLength(7);
      expect(await rows(`SELECT count(*)::int AS n FROM response WHERE poll_id = $1`, [pollId])).toEqual([{ n: 1 }]);
      expect(await rows(`SELECT cardinality(hashes) AS n FROM participation WHERE poll_id = $1`, [pollId])).toEqual([{ n: 1 }]);
    });

    it('takes simultaneous answers by different subjects, each hash once, in sorted order', async () => {
      const pollId = await createPoll();
      const subjects = Array.from({ length: 8 }, (_, i) => `together-${i}`);
      const attempts = await Promise.all(subjects.map((subject) => submit(subject, { pollId, choice: 0 })));
      expect(attempts.every((a) => a.data?.submitResponse?.accepted)).toBe(true);
      const [{ hashes }] = await rows(`SELECT hashes FROM participation WHERE poll_id = $1`, [pollId]);
      expect(hashes).toEqual(subjects.map((subject) => participantHash(pollId, subject)).sort());
    });

    it('refuses the system scope, which is nobody', async () => {
      const pollId = await createPoll();
      const res = await gql(SUBMIT, { input: { pollId, choice: 0 } });
      expect(errorCode(res)).toBe('FORBIDDEN');
      expect(await rows(`SELECT 1 FROM participation WHERE poll_id = $1`, [pollId])).toEqual([]);
    });

    it.each([
      ['CHOICE', { rating: 3 }, 'input.choice'],
      ['CHOICE', { choice: 1, rating: 3 }, 'input.rating'],
      ['CHOICE', { choice: 3 }, 'input.choice'],
      ['CHOICE', { choice: -1 }, 'input.choice'],
      ['RATING', { rating: 6 }, 'input.rating'],
      ['RATING', { rating: 0 }, 'input.rating'],
      ['RATING', { rating: 4, text: 'and some words' }, 'input.text'],
      ['RATING', { choice: 0 }, 'input.rating'],
      ['TEXT', {}, 'input.text'],
      ['TEXT', { text: 'x'.repeat(2001) }, 'input.text'],
      ['TEXT', { text: '   ' }, 'input.text'],
    ])('on a %s poll refuses %j, naming %s, and records no participation', async (answerType, answer, field) => {
      const pollId = await createPoll(answerType === 'CHOICE' ? {} : { answerType, options: null });
      const res = await submit('parent-9', { pollId, ...answer });
      expect(errorCode(res)).toBe('BAD_USER_INPUT');
      expect(fields(res)).toEqual([field]);
      expect(await rows(`SELECT 1 FROM participation WHERE poll_id = $1`, [pollId])).toEqual([]);
    });

    it('refuses answers to a closed poll or one not open yet as a conflict', async () => {
      const closed = await createPoll();
      await gql(`mutation($id: ID!) { closePoll(id: $id) { id } }`, { id: closed });
      const late = await submit('p', { pollId: closed, choice: 0 });
      expect(errorCode(late)).toBe('CONFLICT');
      expect(fields(late)).toEqual(['input.pollId']);
      const future = await createPoll({ opensAt: '2030-01-01T00:00:00Z' });
      const early = await submit('p', { pollId: future, choice: 0 });
      expect(errorCode(early)).toBe('CONFLICT');
      expect(await rows(`SELECT 1 FROM participation WHERE poll_id IN ($1, $2)`, [closed, future])).toEqual([]);
    });

    it('answers NOT_FOUND for an unknown poll and BAD_USER_INPUT for a malformed poll ID', async () => {
      const unknown = await submit('p', { pollId: newId(ORG, 'pol'), choice: 0 });
      expect(errorCode(unknown)).toBe('NOT_FOUND');
      expect(fields(unknown)).toEqual(['input.pollId']);
      const bad = await submit('p', { pollId: SESSION, choice: 0 });
      expect(errorCode(bad)).toBe('BAD_USER_INPUT');
      expect(fields(bad)).toEqual(['input.pollId']);
    });

    it('keeps no participation when saving the answer fails, so the participant can answer again', async () => {
      const pollId = await createPoll({ answerType: 'RATING', options: null });
      await rows(`ALTER TABLE response ADD CONSTRAINT test_refuse_three CHECK (rating <> 3)`);
      try {
        const failed = await submit('parent-5', { pollId, rating: 3 });
        expect(failed.data?.submitResponse).toBeUndefined();
        expect(failed.errors).toBeDefined();
        expect(await rows(`SELECT 1 FROM participation WHERE poll_id = $1`, [pollId])).toEqual([]);
      } finally {
        await rows(`ALTER TABLE response DROP CONSTRAINT test_refuse_three`);
      }
      const retry = await submit('parent-5', { pollId, rating: 3 });
      expect(retry.data?.submitResponse.accepted).toBe(true);
    });
  });

  describe('results', () => {
    it('shows nothing but the labels below the minimum group size, then the counts from it on', async () => {
      const pollId = await createPoll();
      await answer(pollId, 4, { choice: 0 });
      expect(await results(pollId)).toEqual({
        responseCount: null,
        suppressed: true,
        minimumGroupSize: 5,
        options: [{ label: 'Good', count: null }, { label: 'Okay', count: null }, { label: 'Poor', count: null }],
        ratingDistribution: [],
        averageRating: null,
        textAnswers: [],
      });
      await answer(pollId, 1, { choice: 0 });
      expect(await results(pollId)).toMatchObject({
        responseCount: 5,
        suppressed: false,
        options: [{ label: 'Good', count: 5 }, { label: 'Okay', count: 0 }, { label: 'Poor', count: 0 }],
      });
    });

    it('hides every option count when one is small, showing only the total, so no hidden count can be recovered', async () => {
      const pollId = await createPoll();
      await answer(pollId, 7, { choice: 0 });
      await answer(pollId, 2, { choice: 1 });
      await answer(pollId, 6, { choice: 2 });
      expect(await results(pollId)).toMatchObject({
        responseCount: 15,
        suppressed: false,
        options: [{ label: 'Good', count: null }, { label: 'Okay', count: null }, { label: 'Poor', count: null }],
      });
      // once no count is from 1 to k-1, all show, the zero too
      const even = await createPoll();
      await answer(even, 5, { choice: 0 });
      await answer(even, 6, { choice: 2 });
      expect((await results(even)).options).toEqual([{ label: 'Good', count: 5 }, { label: 'Okay', count: 0 }, { label: 'Poor', count: 6 }]);
    });

    it('gives the rating distribution and average when every rating count can be shown', async () => {
      const pollId = await createPoll({ kind: 'OUTCOME', answerType: 'RATING', options: null });
      await answer(pollId, 4, { rating: 5 });
      await answer(pollId, 3, { rating: 4 });
      const shown = await results(pollId, 3);
      expect(shown.ratingDistribution).toEqual([
        { rating: 1, count: 0 },
        { rating: 2, count: 0 },
        { rating: 3, count: 0 },
        { rating: 4, count: 3 },
        { rating: 5, count: 4 },
      ]);
      expect(shown.averageRating).toBe(4.57);
      expect(shown.options).toEqual([]);
    });

    it('hides every rating count when one is small, zeros included, and still gives the total and the average', async () => {
      const pollId = await createPoll({ kind: 'OUTCOME', answerType: 'RATING', options: null });
      await answer(pollId, 4, { rating: 5 });
      await answer(pollId, 3, { rating: 4 });
      await answer(pollId, 1, { rating: 1 });
      const shown = await results(pollId, 3);
      expect(shown.responseCount).toBe(8);
      expect(shown.ratingDistribution.map((r: { count: number | null }) => r.count)).toEqual([null, null, null, null, null]);
      // (4 * 5 + 3 * 4 + 1) / 8: the mean of k or more answers is the figure programs report
      expect(shown.averageRating).toBe(4.13);
    });

    it('shows free-text answers only once the minimum group size has answered', async () => {
      const pollId = await createPoll({ kind: 'EVALUATION', answerType: 'TEXT', options: null });
      await answer(pollId, 1, { text: 'More time for questions' });
      await answer(pollId, 1, { text: 'Loved it' });
      expect(await results(pollId, 3)).toMatchObject({ responseCount: null, suppressed: true, textAnswers: [], averageRating: null });
      await answer(pollId, 1, { text: '  Good snacks  ' });
      const shown = await results(pollId, 3);
      expect(shown.responseCount).toBe(3);
      expect([...shown.textAnswers].sort()).toEqual(['Good snacks', 'Loved it', 'More time for questions']);
      // the same three answers under a program asking for four: nothing
      expect(await results(pollId, 4)).toMatchObject({ responseCount: null, suppressed: true, textAnswers: [] });
    });
  });

  describe('lists and references', () => {
    const session = newId('bulk', 'ses');
    const community = newId('bulk', 'com');
    const program = newId('prc', 'prg');
    /** Polls inserted directly: the statement counts below are about reading, not writing. */
    async function bulkPolls(n: number, target: (i: number) => Partial<Poll>): Promise<Poll[]> {
      const polls = Array.from({ length: n }, (_, i) =>
        Object.assign(new Poll(), {
          id: newId('bulk', 'pol'),
          organisationId: 'bulk',
          programId: program,
          sessionId: null,
          communityId: null,
          kind: i % 2 ? PollKind.CHECK_IN : PollKind.POLL,
          question: `Question ${i}`,
          answerType: PollAnswerType.CHOICE,
          options: ['Yes', 'No'],
          status: PollStatus.OPEN,
          opensAt: null,
          closesAt: null,
          ...target(i),
        }),
      );
      await subgraph.dataSource.getRepository(Poll).insert(polls);
      return polls;
    }

    it('pages through polls newest first with a filter, and rejects a malformed cursor or filter ID', async () => {
      const polls = await bulkPolls(5, () => ({ sessionId: session }));
      const q = `query($after: String, $filter: PollFilter) { polls(first: 2, after: $after, filter: $filter) { nodes { id } pageInfo { hasNextPage endCursor } totalCount } }`;
      const seen: string[] = [];
      let after: string | null = null;
      for (let page = 0; page < 3; page++) {
        const res: any = await gql(q, { after, filter: { sessionId: session } });
        expect(res.errors).toBeUndefined();
        expect(res.data.polls.totalCount).toBe(5);
        seen.push(...res.data.polls.nodes.map((n: { id: string }) => n.id));
        after = res.data.polls.pageInfo.endCursor;
        expect(res.data.polls.pageInfo.hasNextPage).toBe(page < 2);
      }
      expect(seen).toEqual(polls.map((p) => p.id).sort().reverse());
      const kinds = await gql(`query($s: ID!) { polls(filter: { sessionId: $s, kind: CHECK_IN }) { totalCount } }`, { s: session });
      expect(kinds.data?.polls.totalCount).toBe(2);
      const badCursor = await gql(`{ polls(after: "not-a-cursor") { totalCount } }`);
      expect(errorCode(badCursor)).toBe('BAD_USER_INPUT');
      expect(fields(badCursor)).toEqual(['after']);
      const badFilter = await gql(`{ polls(filter: { communityId: "c-1" }) { totalCount } }`);
      expect(errorCode(badFilter)).toBe('BAD_USER_INPUT');
      expect(fields(badFilter)).toEqual(['filter.communityId']);
    });

    it('reads the results of a page of polls with the same number of statements for 10 or 100 polls', async () => {
      const statementsFor = async (n: number) => {
        const own = newId('bulk', 'prg');
        const polls = await bulkPolls(n, (i) => ({ programId: own, sessionId: newId('bulk', 'ses'), answerType: i % 3 ? PollAnswerType.CHOICE : PollAnswerType.TEXT, options: i % 3 ? ['Yes', 'No'] : null }));
        const answers = polls.flatMap((p) => Array.from({ length: 5 }, () => (p.answerType === PollAnswerType.TEXT ? [p.id, null, 'words'] : [p.id, 0, null])));
        await rows(`INSERT INTO response (id, poll_id, choice, text) SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[])`, [
          answers.map(() => newUntimedId('bulk', 'rsp')),
          answers.map((a) => a[0]),
          answers.map((a) => a[1]),
          answers.map((a) => a[2]),
        ]);
        const before = subgraph.statements.count;
        const res = await gql(`query($p: ID!) { polls(first: 100, filter: { programId: $p }) { totalCount nodes {
          id session { id feedbackResponseCount polls(first: 5) { totalCount nodes { id } } }
          results { responseCount options { count } textAnswers } } } }`, { p: own });
        expect(res.errors).toBeUndefined();
        expect(res.data?.polls.nodes).toHaveLength(n);
        expect(res.data?.polls.nodes[0].session.feedbackResponseCount).toBe(5);
        expect(res.data?.polls.nodes.every((p: { results: { responseCount: number } }) => p.results.responseCount === 5)).toBe(true);
        return subgraph.statements.count - before;
      };
      const ten = await statementsFor(10);
      const hundred = await statementsFor(100);
      expect(hundred).toBe(ten);
      expect(ten).toBeLessThanOrEqual(8 + SCOPE_STATEMENTS);
    });

    it('resolves Poll references in one query for many keys, with null for unknown or malformed IDs', async () => {
      const [a, b] = await bulkPolls(2, () => ({ communityId: community }));
      const before = subgraph.statements.count;
      const res = await gql(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Poll { id question } } }`, {
        r: [{ __typename: 'Poll', id: a.id }, { __typename: 'Poll', id: b.id }, { __typename: 'Poll', id: newId('bulk', 'pol') }, { __typename: 'Poll', id: 'garbage' }],
      });
      expect(res.data?._entities).toEqual([{ id: a.id, question: a.question }, { id: b.id, question: b.question }, null, null]);
      expect(subgraph.statements.count - before).toBe(1 + SCOPE_STATEMENTS);
    });

    /** `perPoll` answers to each poll, inserted directly. */
    async function answerDirectly(polls: Poll[], perPoll: number): Promise<void> {
      const pollIds = polls.flatMap((p) => Array.from({ length: perPoll }, () => p.id));
      await rows(`INSERT INTO response (id, poll_id, choice) SELECT unnest($1::text[]), unnest($2::text[]), 1`, [pollIds.map(() => newUntimedId('bulk', 'rsp')), pollIds]);
    }

    it('extends Session and Community with their polls and response counts, batched across 10 or 100 of them', async () => {
      const statementsFor = async (n: number) => {
        const sessions = Array.from({ length: n }, () => newId('bulk', 'ses'));
        const polls = await bulkPolls(n * 2, (i) => ({ sessionId: sessions[i % n], kind: i < n ? PollKind.POLL : PollKind.CHECK_IN }));
        await answerDirectly(polls, 3);
        const before = subgraph.statements.count;
        const res = await gql(`query($r: [_Any!]!) { _entities(representations: $r) {
          ... on Session { id feedbackResponseCount polls(first: 1) { totalCount nodes { id } pageInfo { hasNextPage } } checkIns: polls(kind: CHECK_IN) { totalCount } } } }`, {
          r: sessions.map((id) => ({ __typename: 'Session', id, program: { minimumGroupSize: 3 } })),
        });
        expect(res.errors).toBeUndefined();
        expect(res.data?._entities[0]).toEqual({
          id: sessions[0],
          feedbackResponseCount: 6,
          polls: { totalCount: 2, nodes: [{ id: [polls[0].id, polls[n].id].sort().reverse()[0] }], pageInfo: { hasNextPage: true } },
          checkIns: { totalCount: 1 },
        });
        return subgraph.statements.count - before;
      };
      expect(await statementsFor(100)).toBe(await statementsFor(10));

      const res = await gql(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Community { id feedbackResponseCount polls { totalCount } } } }`, {
        r: [{ __typename: 'Community', id: community, program: { minimumGroupSize: 3 } }, { __typename: 'Community', id: newId('bulk', 'com'), program: { minimumGroupSize: 3 } }],
      });
      expect(res.data?._entities).toEqual([
        { id: community, feedbackResponseCount: null, polls: { totalCount: 2 } },
        { id: expect.any(String), feedbackResponseCount: null, polls: { totalCount: 0 } },
      ]);
    });

    it('gives a session\'s response count only when neither it nor any of its polls is below the program\'s minimum group size', async () => {
      const count = async (session: string, minimumGroupSize: number) =>
        (await gql(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Session { feedbackResponseCount } } }`, {
          r: [{ __typename: 'Session', id: session, program: { minimumGroupSize } }],
        })).data?._entities[0].feedbackResponseCount;
      const small = newId('bulk', 'ses');
      await answerDirectly(await bulkPolls(1, () => ({ sessionId: small })), 4);
      expect(await count(small, 5)).toBeNull();
      expect(await count(small, 4)).toBe(4);
      // 6 + 2: the second poll's suppressed 2 would follow from 8 - 6
      const mixed = newId('bulk', 'ses');
      const [big, few] = await bulkPolls(2, () => ({ sessionId: mixed }));
      await answerDirectly([big], 6);
      await answerDirectly([few], 2);
      expect(await count(mixed, 5)).toBeNull();
      expect(await count(mixed, 3)).toBeNull();
      await answerDirectly([few], 3);
      expect(await count(mixed, 5)).toBe(11);
      // the default, 5, when the program is unknown
      const unknown = await gql(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Session { feedbackResponseCount } } }`, { r: [{ __typename: 'Session', id: small, program: null }] });
      expect(unknown.data?._entities[0].feedbackResponseCount).toBeNull();
    });

    it('pages a session\'s polls newest first with its own cursor', async () => {
      const own = newId(ORG, 'ses');
      const created: string[] = [];
      for (let i = 0; i < 3; i++) created.push(await createPoll({ sessionId: own }));
      const q = `query($r: [_Any!]!, $after: String) { _entities(representations: $r) { ... on Session { polls(first: 2, after: $after) { nodes { id } pageInfo { endCursor } } } } }`;
      const r = [{ __typename: 'Session', id: own }];
      const first = await gql(q, { r });
      const second = await gql(q, { r, after: first.data?._entities[0].polls.pageInfo.endCursor });
      const ids = [...first.data?._entities[0].polls.nodes, ...second.data?._entities[0].polls.nodes].map((n: { id: string }) => n.id);
      expect(ids).toEqual([...created].reverse());
      const bad = await gql(q, { r, after: 'bad' });
      expect(errorCode(bad)).toBe('BAD_USER_INPUT');
      expect(fields(bad)).toEqual(['after']);
    });
  });

  describe('organisation and program totals', () => {
    const org = 'totals';
    const program = newId('prc', 'prg');
    let pollA: string;
    let pollB: string;

    beforeAll(async () => {
      pollA = await createPoll({ organisationId: org, programId: program, sessionId: newId(org, 'ses'), kind: 'CHECK_IN' });
      pollB = await createPoll({ organisationId: org, programId: OTHER_PROGRAM, sessionId: newId(org, 'ses') });
      // A: 8 answers, 3 on 2025-01-31 and 5 on 2025-02-01; B: 3 answers (today), below the minimum group size.
      await answer(pollA, 8, { choice: 0 });
      await answer(pollB, 3, { choice: 0 });
      await rows(`UPDATE response SET submitted_on = CASE WHEN ctid IN (SELECT ctid FROM response WHERE poll_id = $1 ORDER BY id LIMIT 3) THEN DATE '2025-01-31' ELSE DATE '2025-02-01' END WHERE poll_id = $1`, [pollA]);
    });

    const TOTALS = `query($r: [_Any!]!, $from: DateTimeISO, $to: DateTimeISO, $program: ID, $org: ID) { _entities(representations: $r) {
      ... on Organisation { id all: feedbackResponseCount inWindow: feedbackResponseCount(from: $from, to: $to) ofProgram: feedbackResponseCount(programId: $program) pollCount checkIns: pollCount(kind: CHECK_IN) }
      ... on Program { id all: feedbackResponseCount inWindow: feedbackResponseCount(from: $from, to: $to) byOrg: feedbackResponseCount(organisationId: $org) pollCount } } }`;

    it('counts answers to polls that reached the minimum group size per organisation and program, within [from, to) by the UTC day of each answer', async () => {
      const res = await gql(TOTALS, {
        r: [{ __typename: 'Organisation', id: org }, { __typename: 'Program', id: program }, { __typename: 'Organisation', id: 'nobody' }],
        from: '2025-02-01T00:00:00Z',
        to: '2025-02-02T00:00:00Z',
        program,
        org,
      });
      expect(res.errors).toBeUndefined();
      expect(res.data?._entities).toEqual([
        // B's 3 answers never count; A's 5 of 2025-02-01 reach 5 on their own
        { id: org, all: 8, inWindow: 5, ofProgram: 8, pollCount: 2, checkIns: 1 },
        { id: program, all: 8, inWindow: 5, byOrg: 8, pollCount: 1 },
        { id: 'nobody', all: 0, inWindow: 0, ofProgram: 0, pollCount: 0, checkIns: 0 },
      ]);
      // A window starting after midnight leaves that day out; one ending after midnight takes it in.
      const shifted = await gql(TOTALS, { r: [{ __typename: 'Organisation', id: org }], from: '2025-01-31T00:00:01Z', to: '2025-02-01T00:00:01Z', program, org });
      expect(shifted.data?._entities[0].inWindow).toBe(5);
    });

    it('gives the review\'s differencing attacks nothing: a poll below the minimum group size in the period counts as nothing, not part', async () => {
      const q = `query($r: [_Any!]!, $program: ID, $other: ID) { _entities(representations: $r) { ... on Organisation {
        all: feedbackResponseCount inProgram: feedbackResponseCount(programId: $program) inOther: feedbackResponseCount(programId: $other)
        wide: feedbackResponseCount(from: "2025-01-31T00:00:00Z", to: "2025-02-02T00:00:00Z")
        lastDay: feedbackResponseCount(from: "2025-02-01T00:00:00Z", to: "2025-02-02T00:00:00Z")
        firstDay: feedbackResponseCount(from: "2025-01-31T00:00:00Z", to: "2025-02-01T00:00:00Z") } } }`;
      const res = await gql(q, { r: [{ __typename: 'Organisation', id: org }], program, other: OTHER_PROGRAM }, partnerAdmin(org));
      expect(res.errors).toBeUndefined();
      // all − inProgram was 11 − 8 = 3, B's hidden count; now the two are equal
      expect(res.data?._entities[0]).toEqual({ all: 8, inProgram: 8, inOther: 0, wide: 8, lastDay: 5, firstDay: 0 });
      // Program by program: the same
      const programs = await gql(`query($r: [_Any!]!, $org: ID) { _entities(representations: $r) { ... on Program { id all: feedbackResponseCount byOrg: feedbackResponseCount(organisationId: $org) } } }`, {
        r: [program, OTHER_PROGRAM].map((id) => ({ __typename: 'Program', id, minimumGroupSize: 5 })),
        org,
      });
      expect(programs.data?._entities).toEqual([{ id: program, all: 8, byOrg: 8 }, { id: OTHER_PROGRAM, all: 0, byOrg: 0 }]);
    });

    it('takes a program\'s own minimum group size (required from partners), never below 3; an organisation\'s count always uses 5', async () => {
      const q = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Program { id feedbackResponseCount } ... on Organisation { id feedbackResponseCount } } }`;
      const res = await gql(q, {
        r: [
          { __typename: 'Program', id: program, minimumGroupSize: 8 },
          { __typename: 'Program', id: program, minimumGroupSize: 9 },
          { __typename: 'Program', id: OTHER_PROGRAM, minimumGroupSize: 3 },
          { __typename: 'Program', id: OTHER_PROGRAM, minimumGroupSize: 1 },
          { __typename: 'Program', id: OTHER_PROGRAM },
        ],
      });
      expect(res.errors).toBeUndefined();
      expect(res.data?._entities.map((e: { feedbackResponseCount: number }) => e.feedbackResponseCount)).toEqual([8, 0, 3, 3, 0]);
      // the gateway fetches the program's minimum group size for this field
      const sdl: string = (await gql(`{ _service { sdl } }`)).data?._service.sdl;
      expect(sdl).toMatch(/type Program[^}]*feedbackResponseCount\([^)]*\): Int @requires\(fields: "minimumGroupSize"\)/s);
      const schema = await gql(`{ __type(name: "Program") { fields { name description } } }`);
      const field = schema.data?.__type.fields.find((f: { name: string }) => f.name === 'feedbackResponseCount');
      expect(field.description).toMatch(/^Answers to polls that reached the minimum group size in the period/);
    });

    it('answers the national question\'s field in one statement for many organisations, and for programs of different minimum group sizes', async () => {
      const before = subgraph.statements.count;
      const res = await gql(`query($r: [_Any!]!, $p: ID) { _entities(representations: $r) { ... on Organisation { feedbackResponseCount(from: "2020-01-01T00:00:00Z", to: "2100-01-01T00:00:00Z", programId: $p) } } }`, {
        r: [org, ORG, 'x1', 'x2', 'x3'].map((id) => ({ __typename: 'Organisation', id })),
        p: program,
      });
      expect(res.data?._entities.map((e: { feedbackResponseCount: number }) => e.feedbackResponseCount)).toEqual([8, 0, 0, 0, 0]);
      expect(subgraph.statements.count - before).toBe(1 + SCOPE_STATEMENTS);

      const programs = [program, OTHER_PROGRAM, ...Array.from({ length: 20 }, () => newId('prc', 'prg'))];
      const between = subgraph.statements.count;
      const many = await gql(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Program { feedbackResponseCount(from: "2020-01-01T00:00:00Z") } } }`, {
        r: programs.map((id, i) => ({ __typename: 'Program', id, minimumGroupSize: i === 1 ? 3 : 4 + (i % 3) })),
      });
      expect(many.errors).toBeUndefined();
      expect(many.data?._entities.slice(0, 2).map((e: { feedbackResponseCount: number }) => e.feedbackResponseCount)).toEqual([8, 3]);
      expect(subgraph.statements.count - between).toBe(1 + SCOPE_STATEMENTS);
    });

    it('refuses a window that ends before it starts, naming `to`, and a malformed program ID', async () => {
      const res = await gql(TOTALS, { r: [{ __typename: 'Organisation', id: org }], from: '2025-02-01T00:00:00Z', to: '2025-01-01T00:00:00Z' });
      expect(errorCode(res)).toBe('BAD_USER_INPUT');
      expect(fields(res)).toEqual(['to']);
      const bad = await gql(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Organisation { feedbackResponseCount(programId: "mytime") } } }`, {
        r: [{ __typename: 'Organisation', id: org }],
      });
      expect(errorCode(bad)).toBe('BAD_USER_INPUT');
      expect(fields(bad)).toEqual(['programId']);
    });
  });
});
