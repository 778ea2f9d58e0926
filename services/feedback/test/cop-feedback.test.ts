import { createHmac, randomBytes } from 'node:crypto';
import { createFeedbackSubgraph, MATURITY_QUESTIONS, pairCode, participantHash, participationSecret } from '@hub/feedback';
import { newId, withScope, type AccessScope, type Subgraph } from '@hub/core';
import { dropTestDatabases, testSubgraphConfig } from '../../../test/support/database';
import { errorCode, postGraphQL } from '../../../test/support/graphql';
import { partnerAdmin, scopeHeaders, scopeOf, SYSTEM_SCOPE } from '../../../test/support/scopes';

const ORG = 'uniting';
const OTHER = 'benevolent';
const PROGRAM = newId('prc', 'prg');
const WALL = [ORG, 'prc'];
const answerer = (subject: string): AccessScope => scopeOf('participant', { subject, organisations: WALL, programs: [PROGRAM] });
const admin = partnerAdmin(ORG, ['prc'], [PROGRAM]);
const otherAdmin = partnerAdmin(OTHER, ['prc'], [PROGRAM]);
const facilitator = (id: string) => scopeOf('facilitator', { organisation: ORG, organisations: WALL, facilitator: id, programs: [PROGRAM], subject: `user-${id}` });

describe('feedback subgraph: check-ins, confidence before/after, outcomes and the maturity quiz', () => {
  const config = testSubgraphConfig('feedback');
  let subgraph: Subgraph;
  let url: string;
  const gql = async (query: string, variables?: Record<string, unknown>, scope: AccessScope = SYSTEM_SCOPE) =>
    postGraphQL(url, query, variables, await scopeHeaders(scope));
  const rows = async (sql: string, params: unknown[] = []) => subgraph.dataSource.query(sql, params);
  const fields = (res: { errors?: readonly { extensions?: Record<string, unknown> }[] }) =>
    (res.errors?.[0]?.extensions?.fields as { field: string }[] | undefined)?.map((f) => f.field);

  const SUBMIT = `mutation($input: SubmitResponseInput!) { submitResponse(input: $input) { accepted } }`;
  const rate = async (subject: string, pollId: string, rating: number, pairingCode?: string) => {
    const res = await gql(SUBMIT, { input: { pollId, rating, ...(pairingCode === undefined ? {} : { pairingCode }) } }, answerer(subject));
    expect(res.errors).toBeUndefined();
  };
  /** The code each participant's device generates once and keeps (as a client app would). */
  const devices = new Map<string, string>();
  const deviceCode = (subject: string) => {
    if (!devices.has(subject)) devices.set(subject, randomBytes(32).toString('base64url'));
    return devices.get(subject) as string;
  };
  /** Answers a confidence pair's poll, sending the participant's own device code. */
  const rateConfidence = (subject: string, pollId: string, rating: number) => rate(subject, pollId, rating, deviceCode(subject));
  /** The old, server-derived code: an HMAC of the pair and the subject under a key from the participation secret. */
  const oldServerCode = (pairId: string, subject: string) => {
    const key = createHmac('sha256', participationSecret()).update('hub-feedback/confidence-pair-code/v1').digest();
    return createHmac('sha256', key).update(`${pairId}:${subject}`).digest('hex');
  };

  const PAIR = `mutation($input: CreateConfidencePairInput!) { createConfidencePair(input: $input) {
    id question before { id kind answerType confidencePhase } after { id kind confidencePhase } community { id } session { id } } }`;
  async function createPair(communityId: string, question = 'How confident are you planning engagement?') {
    const res = await gql(PAIR, { input: { organisationId: ORG, programId: PROGRAM, communityId, question } }, admin);
    expect(res.errors).toBeUndefined();
    return res.data?.createConfidencePair as { id: string; before: { id: string }; after: { id: string } };
  }
  const CHANGE = `query($r: [_Any!]!) { _entities(representations: $r) { ... on ConfidencePair { minimumGroupSize change { pairedCount averageBefore averageAfter averageChange improvedShare } } } }`;
  const change = async (id: string, minimumGroupSize = 5, scope: AccessScope = SYSTEM_SCOPE) =>
    (await gql(CHANGE, { r: [{ __typename: 'ConfidencePair', id, program: { minimumGroupSize } }] }, scope)).data?._entities[0];

  beforeAll(async () => {
    subgraph = await createFeedbackSubgraph(config);
    url = await subgraph.listen(0);
  });
  afterAll(async () => {
    await subgraph.stop();
    await dropTestDatabases(config);
  });

  describe('confidence before and after', () => {
    it('creates two linked CONFIDENCE rating polls', async () => {
      const community = newId(ORG, 'com');
      const pair = await createPair(community);
      expect(pair).toMatchObject({
        id: expect.stringMatching(/^uniting\.cfp_/),
        before: { kind: 'CONFIDENCE', answerType: 'RATING', confidencePhase: 'BEFORE' },
        after: { kind: 'CONFIDENCE', confidencePhase: 'AFTER' },
        community: { id: community },
        session: null,
      });
      const poll = await gql(`query($id: ID!) { poll(id: $id) { confidencePair { id } } }`, { id: pair.after.id }, admin);
      expect(poll.data?.poll.confidencePair).toEqual({ id: pair.id });
    });

    it('computes the change over anonymous pairs only, storing codes that link answers to each other and to no person', async () => {
      const pair = await createPair(newId(ORG, 'com'));
      const people = ['ana', 'ben', 'cai', 'dee', 'eli', 'fay'];
      const before = [2, 3, 2, 1, 3, 2];
      const after = [4, 4, 3, 3, 3, 4];
      for (const [i, p] of people.entries()) await rateConfidence(p, pair.before.id, before[i]);
      for (const [i, p] of people.entries()) await rateConfidence(p, pair.after.id, after[i]);
      expect(await change(pair.id)).toEqual({
        minimumGroupSize: 5,
        change: { pairedCount: 6, averageBefore: 2.17, averageAfter: 3.5, averageChange: 1.33, improvedShare: 0.83 },
      });

      const codes: { poll_id: string; pair_code: string }[] = await rows(`SELECT poll_id, pair_code FROM response WHERE poll_id = ANY($1)`, [[pair.before.id, pair.after.id]]);
      expect(codes).toHaveLength(12);
      // SHA-256 of the pair and each device's code: the same before and after, one per person
      const expected = people.map((p) => pairCode(pair.id, deviceCode(p))).sort();
      expect(new Set(expected).size).toBe(6);
      expect(codes.filter((c) => c.poll_id === pair.before.id).map((c) => c.pair_code).sort()).toEqual(expected);
      expect(codes.filter((c) => c.poll_id === pair.after.id).map((c) => c.pair_code).sort()).toEqual(expected);
      // not the participation hashes, nor the device codes themselves, nor anything holding the subject
      const hashes: string[] = (await rows(`SELECT unnest(hashes) AS h FROM participation WHERE poll_id = ANY($1)`, [[pair.before.id, pair.after.id]])).map((r: { h: string }) => r.h);
      expect(hashes).toHaveLength(12);
      for (const c of codes) {
        expect(hashes).not.toContain(c.pair_code);
        expect(c.pair_code).toMatch(/^[0-9a-f]{64}$/);
        for (const p of people) expect(c.pair_code).not.toContain(deviceCode(p));
      }
      // the pair's table and the response row: no identity
      const columns: { table_name: string; column_name: string }[] = await rows(
        `SELECT table_name, column_name FROM information_schema.columns WHERE table_name IN ('response', 'confidence_pair') ORDER BY table_name, ordinal_position`,
      );
      expect(columns.map((c) => `${c.table_name}.${c.column_name}`)).toEqual([
        'confidence_pair.id',
        'confidence_pair.organisation_id',
        'confidence_pair.program_id',
        'confidence_pair.session_id',
        'confidence_pair.community_id',
        'confidence_pair.question',
        'confidence_pair.before_poll_id',
        'confidence_pair.after_poll_id',
        'confidence_pair.created_at',
        'response.id',
        'response.poll_id',
        'response.choice',
        'response.rating',
        'response.text',
        'response.submitted_on',
        'response.pair_code',
        'response.organisation_id',
      ]);
      // a second answer to the after poll is still refused, with the person's code or another one
      for (const pairingCode of [deviceCode('ana'), randomBytes(32).toString('base64url')]) {
        const again = await gql(SUBMIT, { input: { pollId: pair.after.id, rating: 5, pairingCode } }, answerer('ana'));
        expect(errorCode(again)).toBe('CONFLICT');
        expect(fields(again)).toEqual(['input.pollId']);
      }
    });

    it('stores a code nobody on the server side can derive from the person: neither the subject nor anything computed from it with the participation secret', async () => {
      const pair = await createPair(newId(ORG, 'com'));
      const people = ['gus', 'hal', 'ivy', 'jo', 'kit'];
      for (const p of people) await rateConfidence(p, pair.before.id, 2);
      for (const p of people) await rateConfidence(p, pair.after.id, 4);
      const stored: { poll_id: string; pair_code: string }[] = await rows(`SELECT poll_id, pair_code FROM response WHERE poll_id = ANY($1)`, [[pair.before.id, pair.after.id]]);
      expect(stored).toHaveLength(10);
      const values = stored.map((r) => r.pair_code);
      // recomputed from each subject as someone holding the secret, the database and the list of people would
      const secret = participationSecret();
      const fromSubjects = people.flatMap((p) => [
        p,
        pairCode(pair.id, p),
        oldServerCode(pair.id, p),
        participantHash(pair.id, p),
        participantHash(pair.before.id, p),
        participantHash(pair.after.id, p),
        createHmac('sha256', secret).update(`${pair.id}:${p}`).digest('hex'),
        createHmac('sha256', secret).update(p).digest('hex'),
      ]);
      for (const v of values) expect(fromSubjects).not.toContain(v);
      // the same code pairs the person's before and after answers, and nothing else
      for (const p of people) {
        const mine = stored.filter((r) => r.pair_code === pairCode(pair.id, deviceCode(p)));
        expect(mine.map((r) => r.poll_id).sort()).toEqual([pair.before.id, pair.after.id].sort());
      }
      expect((await change(pair.id)).change).toEqual({ pairedCount: 5, averageBefore: 2, averageAfter: 4, averageChange: 2, improvedShare: 1 });
      // the same device code gives a different value on another pair: answers cannot be linked across pairs
      const other = await createPair(newId(ORG, 'com'));
      await rateConfidence('gus', other.before.id, 3);
      const [elsewhere] = await rows(`SELECT pair_code FROM response WHERE poll_id = $1`, [other.before.id]);
      expect(elsewhere.pair_code).toBe(pairCode(other.id, deviceCode('gus')));
      expect(values).not.toContain(elsewhere.pair_code);
    });

    it('pairs by the code the participant sends, not by who sends it', async () => {
      const pair = await createPair(newId(ORG, 'com'));
      const paired = async () =>
        (await rows(`SELECT count(*)::int AS n FROM response b JOIN response a ON a.pair_code = b.pair_code WHERE b.poll_id = $1 AND a.poll_id = $2`, [pair.before.id, pair.after.id]))[0].n;
      // one participant's made-up code, sent the same both times: pairs
      const madeUp = 'my own secret phrase, 42 ducks';
      for (const [i, p] of ['u-a', 'u-b', 'u-c', 'u-d', 'u-e'].entries()) await rate(p, pair.before.id, 2, i === 0 ? madeUp : deviceCode(p));
      for (const [i, p] of ['u-a', 'u-b', 'u-c', 'u-d', 'u-e'].entries()) await rate(p, pair.after.id, 3, i === 0 ? madeUp : deviceCode(p));
      expect(await paired()).toBe(5);
      expect((await change(pair.id)).change).toEqual({ pairedCount: 5, averageBefore: 2, averageAfter: 3, averageChange: 1, improvedShare: 1 });
      const stored = await rows(`SELECT poll_id FROM response WHERE pair_code = $1`, [pairCode(pair.id, madeUp)]);
      expect(stored.map((r: { poll_id: string }) => r.poll_id).sort()).toEqual([pair.before.id, pair.after.id].sort());
      // one who lost their code and sends a new one after does not pair, whoever they are; and their two
      // unpaired answers could be told from the polls' shown means, so the change is withheld
      await rate('u-f', pair.before.id, 1, deviceCode('u-f'));
      await rate('u-f', pair.after.id, 5, randomBytes(32).toString('base64url'));
      expect(await paired()).toBe(5);
      expect((await change(pair.id)).change).toBeNull();
    });

    it('requires a pairing code of 16 to 128 characters on a pair\'s polls, refuses one elsewhere, and keeps one answer per code and poll', async () => {
      const pair = await createPair(newId(ORG, 'com'));
      const plain = await gql(`mutation($input: CreatePollInput!) { createPoll(input: $input) { id } }`, {
        input: { organisationId: ORG, programId: PROGRAM, communityId: newId(ORG, 'com'), kind: 'CHECK_IN', question: 'Still meeting a need?', answerType: 'RATING' },
      }, admin);
      const plainId = plain.data?.createPoll.id as string;
      const count = async () => Number((await rows(`SELECT count(*) AS n FROM response WHERE poll_id = ANY($1)`, [[pair.before.id, pair.after.id, plainId]]))[0].n);
      const refused: [string, Record<string, unknown>, string][] = [
        ['no code on a pair\'s poll', { pollId: pair.before.id, rating: 3 }, 'BAD_USER_INPUT'],
        ['a null code on a pair\'s poll', { pollId: pair.after.id, rating: 3, pairingCode: null }, 'BAD_USER_INPUT'],
        ['a code too short', { pollId: pair.before.id, rating: 3, pairingCode: 'x'.repeat(15) }, 'BAD_USER_INPUT'],
        ['a code too long', { pollId: pair.before.id, rating: 3, pairingCode: 'x'.repeat(129) }, 'BAD_USER_INPUT'],
        ['a code on another poll', { pollId: plainId, rating: 3, pairingCode: deviceCode('v-a') }, 'BAD_USER_INPUT'],
      ];
      for (const [why, input, code] of refused) {
        const res = await gql(SUBMIT, { input }, answerer('v-a'));
        expect([why, errorCode(res)]).toEqual([why, code]);
        expect([why, fields(res)]).toEqual([why, ['input.pairingCode']]);
      }
      expect(await count()).toBe(0);
      // the refusals recorded no participation: the same person answers fine afterwards
      await rate('v-a', plainId, 3);
      await rate('v-a', pair.before.id, 3, 'y'.repeat(16));
      await rate('v-b', pair.before.id, 3, 'z'.repeat(128));
      // a code someone else already sent to this poll is refused, and leaves that person free to answer with their own
      const taken = await gql(SUBMIT, { input: { pollId: pair.before.id, rating: 4, pairingCode: 'y'.repeat(16) } }, answerer('v-c'));
      expect(errorCode(taken)).toBe('CONFLICT');
      expect(fields(taken)).toEqual(['input.pairingCode']);
      await rate('v-c', pair.before.id, 4, deviceCode('v-c'));
      expect(await count()).toBe(4);
    });

    it('is null below the minimum group size of pairs, however many answered the before poll', async () => {
      const pair = await createPair(newId(ORG, 'com'));
      for (const p of ['a', 'b', 'c', 'd', 'e', 'f']) await rateConfidence(`x-${p}`, pair.before.id, 3);
      for (const p of ['a', 'b', 'c', 'd']) await rateConfidence(`x-${p}`, pair.after.id, 4);
      expect((await change(pair.id)).change).toBeNull();
      // once the last two answer after as well
      for (const p of ['e', 'f']) await rateConfidence(`x-${p}`, pair.after.id, 4);
      expect((await change(pair.id)).change).toEqual({ pairedCount: 6, averageBefore: 3, averageAfter: 4, averageChange: 1, improvedShare: 1 });
    });

    it('is withheld when a few unpaired answers could be recovered by subtracting from a poll\'s shown mean', async () => {
      const pair = await createPair(newId(ORG, 'com'));
      // six before, all rating 3 (the before poll shows its mean 3.0); five of them answer after
      for (const p of ['a', 'b', 'c', 'd', 'e', 'f']) await rateConfidence(`y-${p}`, pair.before.id, 3);
      for (const p of ['a', 'b', 'c', 'd', 'e']) await rateConfidence(`y-${p}`, pair.after.id, 4);
      expect((await change(pair.id)).change).toBeNull();
    });

    it('is created only by the organisation\'s admins, in its own communities, and read only within the wall', async () => {
      const community = newId(ORG, 'com');
      const input = { organisationId: ORG, programId: PROGRAM, communityId: community, question: 'Q?' };
      expect(errorCode(await gql(PAIR, { input }, otherAdmin))).toBe('FORBIDDEN');
      expect(errorCode(await gql(PAIR, { input }, facilitator(newId(ORG, 'fac'))))).toBe('FORBIDDEN');
      const both = await gql(PAIR, { input: { ...input, sessionId: newId(ORG, 'ses') } }, admin);
      expect(fields(both)).toEqual(['input.sessionId', 'input.communityId']);
      const pair = await createPair(community);
      const seen = await gql(`query($id: ID!) { confidencePair(id: $id) { id } }`, { id: pair.id }, otherAdmin);
      expect(seen.data?.confidencePair).toBeNull();
      expect((await change(pair.id, 5, otherAdmin)) ?? null).toBeNull();
      const list = await gql(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Community { confidencePairs { totalCount nodes { id } } } } }`, {
        r: [{ __typename: 'Community', id: community }],
      }, admin);
      expect(list.data?._entities[0].confidencePairs).toEqual({ totalCount: 1, nodes: [{ id: pair.id }] });
    });
  });

  describe('check-in trend', () => {
    it('gives each CHECK_IN poll in order with its count and mean, suppressed per poll below the minimum group size', async () => {
      const community = newId(ORG, 'com');
      const create = async () => {
        const res = await gql(`mutation($input: CreatePollInput!) { createPoll(input: $input) { id } }`, {
          input: { organisationId: ORG, programId: PROGRAM, communityId: community, kind: 'CHECK_IN', question: 'Still meeting a need?', answerType: 'RATING' },
        }, admin);
        return res.data?.createPoll.id as string;
      };
      const first = await create();
      for (const p of ['a', 'b', 'c', 'd', 'e']) await rate(`t1-${p}`, first, 4);
      const second = await create();
      for (const p of ['a', 'b']) await rate(`t2-${p}`, second, 2);
      const third = await create();
      for (const p of ['a', 'b', 'c', 'd', 'e', 'f']) await rate(`t3-${p}`, third, 5);
      const q = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Community { checkInTrend { poll { id } askedAt responseCount averageRating suppressed } } } }`;
      const res = await gql(q, { r: [{ __typename: 'Community', id: community, program: { minimumGroupSize: 5 } }] }, admin);
      expect(res.errors).toBeUndefined();
      expect(res.data?._entities[0].checkInTrend).toEqual([
        { poll: { id: first }, askedAt: expect.any(String), responseCount: 5, averageRating: 4, suppressed: false },
        { poll: { id: second }, askedAt: expect.any(String), responseCount: null, averageRating: null, suppressed: true },
        { poll: { id: third }, askedAt: expect.any(String), responseCount: 6, averageRating: 5, suppressed: false },
      ]);
      const outside = await gql(q, { r: [{ __typename: 'Community', id: community, program: { minimumGroupSize: 5 } }] }, otherAdmin);
      expect(outside.data?._entities[0].checkInTrend).toEqual([]);
      const bad = await gql(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Community { checkInTrend(from: "2030-01-02T00:00:00Z", to: "2030-01-01T00:00:00Z") { askedAt } } } }`, {
        r: [{ __typename: 'Community', id: community }],
      }, admin);
      expect(errorCode(bad)).toBe('BAD_USER_INPUT');
    });
  });

  describe('outcome ratings per partner', () => {
    it('averages each organisation\'s OUTCOME polls whose own results show a mean', async () => {
      const program = newId('prc', 'prg');
      const poll = async (org: string) => {
        const res = await gql(`mutation($input: CreatePollInput!) { createPoll(input: $input) { id } }`, {
          input: { organisationId: org, programId: program, communityId: newId(org, 'com'), kind: 'OUTCOME', question: 'How connected do you feel?', answerType: 'RATING' },
        });
        return res.data?.createPoll.id as string;
      };
      const a1 = await poll(ORG);
      const a2 = await poll(ORG);
      const small = await poll(ORG);
      const b1 = await poll(OTHER);
      const b2 = await poll(OTHER);
      const wall = (s: string) => scopeOf('participant', { subject: s, organisations: [ORG, OTHER], programs: [program] });
      const answer = async (pollId: string, ratings: number[], tag: string) => {
        for (const [i, rating] of ratings.entries()) expect((await gql(SUBMIT, { input: { pollId, rating } }, wall(`${tag}-${i}`))).errors).toBeUndefined();
      };
      await answer(a1, [4, 4, 4, 4, 4], 'a1');
      await answer(a2, [5, 5, 5, 5, 5, 5, 5, 5, 5, 5], 'a2');
      await answer(small, [1, 1], 'sm');
      await answer(b1, [3, 3, 3, 3, 3, 2], 'b1');
      await answer(b2, [1, 1, 1, 1], 'b2'); // below the minimum group size: left out
      const q = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Program { outcomeSummary { organisation { id } pollCount reportedPollCount responseCount averageRating } } } }`;
      const res = await gql(q, { r: [{ __typename: 'Program', id: program, minimumGroupSize: 5 }] });
      expect(res.errors).toBeUndefined();
      expect(res.data?._entities[0].outcomeSummary).toEqual([
        { organisation: { id: OTHER }, pollCount: 2, reportedPollCount: 1, responseCount: 6, averageRating: 2.83 },
        { organisation: { id: ORG }, pollCount: 3, reportedPollCount: 2, responseCount: 15, averageRating: 4.67 },
      ]);
      const own = await gql(q, { r: [{ __typename: 'Program', id: program, minimumGroupSize: 5 }] }, partnerAdmin(OTHER, [], [program]));
      expect(own.data?._entities[0].outcomeSummary.map((s: { organisation: { id: string } }) => s.organisation.id)).toEqual([OTHER]);
    });
  });

  describe('maturity quiz', () => {
    const SUBMIT_QUIZ = `mutation($input: SubmitMaturityAssessmentInput!) { submitMaturityAssessment(input: $input) {
      id stage score answers assessedAt assessedBy { id } assessedByOrganisation { id } community { id } } }`;

    it('renders a fixed quiz of questions with options scored 1 to 5 and the stage bands', async () => {
      const res = await gql(`{ maturityQuiz { questions { number text options { score label } } stages { stage minScore maxScore } } }`, {}, answerer('q'));
      expect(res.errors).toBeUndefined();
      const quiz = res.data?.maturityQuiz;
      expect(quiz.questions).toHaveLength(MATURITY_QUESTIONS.length);
      for (const q of quiz.questions) expect(q.options.map((o: { score: number }) => o.score)).toEqual([1, 2, 3, 4, 5]);
      expect(quiz.stages.map((s: { stage: string }) => s.stage)).toEqual(['POTENTIAL', 'COALESCING', 'MATURING', 'STEWARDSHIP', 'TRANSFORMATION']);
      expect(quiz.stages[4]).toEqual({ stage: 'TRANSFORMATION', minScore: 4.2, maxScore: null });
    });

    it('places a community at a stage by the mean, keeps who assessed it, and keeps the history newest first', async () => {
      const community = newId(ORG, 'com');
      const fac = newId(ORG, 'fac');
      const first = await gql(SUBMIT_QUIZ, { input: { communityId: community, answers: [2, 2, 3, 2, 2, 1] } }, facilitator(fac));
      expect(first.errors).toBeUndefined();
      expect(first.data?.submitMaturityAssessment).toMatchObject({
        id: expect.stringMatching(/^uniting\.mat_/),
        stage: 'COALESCING',
        score: 2,
        answers: [2, 2, 3, 2, 2, 1],
        assessedBy: { id: fac },
        assessedByOrganisation: { id: ORG },
        community: { id: community },
      });
      const second = await gql(SUBMIT_QUIZ, { input: { communityId: community, answers: [4, 4, 3, 4, 4, 3] } }, admin);
      expect(second.data?.submitMaturityAssessment).toMatchObject({ stage: 'STEWARDSHIP', score: 3.67, assessedBy: null });
      const q = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Community { assessedMaturityStage maturityHistory { totalCount nodes { stage } } } } }`;
      const r = [{ __typename: 'Community', id: community }];
      expect((await gql(q, { r }, answerer('reader'))).data?._entities[0]).toEqual({
        assessedMaturityStage: 'STEWARDSHIP',
        maturityHistory: { totalCount: 2, nodes: [{ stage: 'STEWARDSHIP' }, { stage: 'COALESCING' }] },
      });
      expect((await gql(q, { r }, partnerAdmin(OTHER))).data?._entities[0]).toEqual({
        assessedMaturityStage: null,
        maturityHistory: { totalCount: 0, nodes: [] },
      });
      expect(await rows(`SELECT assessed_by_subject, assessed_by_facilitator_id FROM maturity_assessment WHERE community_id = $1 ORDER BY assessed_at`, [community])).toEqual([
        { assessed_by_subject: `user-${fac}`, assessed_by_facilitator_id: fac },
        { assessed_by_subject: 'partner-admin-test', assessed_by_facilitator_id: null },
      ]);
    });

    it.each([
      ['too few answers', { answers: [3, 3] }, 'BAD_USER_INPUT', ['input.answers']],
      ['an answer out of range', { answers: [3, 3, 3, 3, 3, 6] }, 'BAD_USER_INPUT', ['input.answers']],
      ['a malformed community ID', { communityId: 'nope' }, 'BAD_USER_INPUT', ['input.communityId']],
      ['a community outside the wall', { communityId: newId(OTHER, 'com') }, 'NOT_FOUND', ['input.communityId']],
    ])('refuses %s and saves nothing', async (_case, change, code, named) => {
      const before = Number((await rows(`SELECT count(*) AS n FROM maturity_assessment`))[0].n);
      const res = await gql(SUBMIT_QUIZ, { input: { communityId: newId(ORG, 'com'), answers: [3, 3, 3, 3, 3, 3], ...change } }, admin);
      expect(errorCode(res)).toBe(code);
      expect(fields(res)).toEqual(named);
      expect(Number((await rows(`SELECT count(*) AS n FROM maturity_assessment`))[0].n)).toBe(before);
    });

    it('keeps assessments at the database too: read within the wall, written in one\'s own name only, never changed', async () => {
      const community = newId(ORG, 'com');
      const res = await gql(SUBMIT_QUIZ, { input: { communityId: community, answers: [3, 3, 3, 3, 3, 3] } }, admin);
      const id = res.data?.submitMaturityAssessment.id;
      const insert = (scope: AccessScope, by: string) =>
        withScope(subgraph.requestDataSource, scope, (m) =>
          m.query(`INSERT INTO maturity_assessment (id, organisation_id, community_id, answers, score, stage, assessed_by_organisation_id, assessed_by_subject)
            VALUES ($1, $2, $3, '{3,3,3,3,3,3}', 3, 'MATURING', $4, 'x')`, [newId(ORG, 'mat'), ORG, community, by]),
        );
      await expect(insert(answerer('p'), ORG)).rejects.toThrow(/row-level security/);
      await expect(insert(partnerAdmin(OTHER, [ORG]), ORG)).rejects.toThrow(/row-level security/);
      await expect(withScope(subgraph.requestDataSource, admin, (m) => m.query(`UPDATE maturity_assessment SET stage = 'POTENTIAL' WHERE id = $1`, [id]))).rejects.toThrow(/row-level security/);
      expect(await withScope(subgraph.requestDataSource, admin, (m) => m.query(`DELETE FROM maturity_assessment WHERE id = $1`, [id]))).toEqual([[], 0]);
      expect(await rows(`SELECT stage FROM maturity_assessment WHERE id = $1`, [id])).toEqual([{ stage: 'MATURING' }]);
      expect(await withScope(subgraph.requestDataSource, partnerAdmin(OTHER), (m) => m.query(`SELECT id FROM maturity_assessment`))).toEqual([]);
      expect(await withScope(subgraph.requestDataSource, partnerAdmin(OTHER), (m) => m.query(`SELECT id FROM confidence_pair`))).toEqual([]);
    });

    it('refuses participants', async () => {
      const res = await gql(SUBMIT_QUIZ, { input: { communityId: newId(ORG, 'com'), answers: [3, 3, 3, 3, 3, 3] } }, answerer('p'));
      expect(errorCode(res)).toBe('FORBIDDEN');
    });
  });
});
