import { createHmac, randomBytes } from 'node:crypto';
import { pairCode, participantHash, participationSecret } from '@hub/feedback';
import { createSmallProgram, mutate, type SmallProgram } from './support/fixtures';
import { startTestHub, type Caller, type TestHub } from './support/hub';

/**
 * Issue 6, items 6 and 7 through the gateway: check-in trends, confidence before and after paired
 * through anonymous codes the participants' devices hold, outcome ratings per partner, and the
 * maturity quiz's stage history.
 */
describe('CoP feedback: check-ins, confidence, outcomes and maturity', () => {
  let hub: TestHub;
  let program: SmallProgram;
  let admin: Caller;
  let facilitator: Caller;
  let otherAdmin: Caller;
  let community = '';
  let session = '';
  const participant = (sub: string) => hub.as({ role: 'participant', org: 'partner-0', programs: [program.programId], sub });
  const SUBMIT = `mutation($i: SubmitResponseInput!) { submitResponse(input: $i) { accepted } }`;
  const rate = async (sub: string, pollId: string, rating: number) => mutate(await participant(sub), SUBMIT, { i: { pollId, rating } });
  /** Each participant's pairing code, generated once and kept "on their device", as the client app does. */
  const devices = new Map<string, string>();
  const deviceCode = (sub: string) => {
    if (!devices.has(sub)) devices.set(sub, randomBytes(32).toString('base64url'));
    return devices.get(sub) as string;
  };
  /** Answers a confidence pair's poll with the participant's own code. */
  const rateConfidence = async (sub: string, pollId: string, rating: number) =>
    mutate(await participant(sub), SUBMIT, { i: { pollId, rating, pairingCode: deviceCode(sub) } });
  const db = (sql: string, params: unknown[] = []) => hub.subgraphs.feedback.dataSource.query(sql, params);

  const PAIR = `mutation($i: CreateConfidencePairInput!) { createConfidencePair(input: $i) { id before { id confidencePhase } after { id confidencePhase } } }`;
  const createPair = async (question: string) =>
    (await mutate(admin, PAIR, { i: { organisationId: 'partner-0', programId: program.programId, communityId: community, question } })).createConfidencePair as {
      id: string;
      before: { id: string };
      after: { id: string };
    };
  const CHANGE = `query($id: ID!) { confidencePair(id: $id) { question minimumGroupSize community { id name } change { pairedCount averageBefore averageAfter averageChange improvedShare } } }`;

  beforeAll(async () => {
    hub = await startTestHub({ accessScopeTtlMs: 0 });
    program = await createSmallProgram(hub, { partners: 2, facilitators: 2, groups: 1, sessionsPerGroup: 1, answersPerSession: 5 });
    const [a, b] = program.partners;
    admin = a.admin;
    otherAdmin = b.admin;
    facilitator = await hub.as({ role: 'facilitator', org: a.id, facilitator: a.facilitatorIds[0] });
    community = a.groupIds[0];
    const own = await admin.query(`query($c: ID!) { community(id: $c) { sessions { nodes { id } } } }`, { c: community });
    session = own.data?.community.sessions.nodes[0].id;
  }, 120_000);
  afterAll(() => hub.stop());

  it('measures the change in confidence from anonymous before/after pairs, with nothing in the database linking a code to a person', async () => {
    const pair = await createPair('How confident are you running a group?');
    expect(pair.before).toMatchObject({ confidencePhase: 'BEFORE' });
    const people = ['p-1', 'p-2', 'p-3', 'p-4', 'p-5', 'p-6'];
    const before = [2, 3, 2, 1, 3, 2];
    const after = [4, 4, 3, 3, 3, 4];
    for (const [i, p] of people.entries()) await rateConfidence(p, pair.before.id, before[i]);
    // mid-way: pairs below the minimum group size show no change
    for (const [i, p] of people.slice(0, 3).entries()) await rateConfidence(p, pair.after.id, after[i]);
    expect((await admin.query(CHANGE, { id: pair.id })).data?.confidencePair.change).toBeNull();
    for (const [i, p] of people.slice(3).entries()) await rateConfidence(p, pair.after.id, after[i + 3]);

    const res = await admin.query(CHANGE, { id: pair.id });
    expect(res.errors).toBeUndefined();
    expect(res.data?.confidencePair).toEqual({
      question: 'How confident are you running a group?',
      minimumGroupSize: 5,
      community: { id: community, name: 'Group 0' },
      change: { pairedCount: 6, averageBefore: 2.17, averageAfter: 3.5, averageChange: 1.33, improvedShare: 0.83 },
    });
    // the national manager sees the same figures
    expect((await program.manager.query(CHANGE, { id: pair.id })).data?.confidencePair.change).toMatchObject({ pairedCount: 6, averageChange: 1.33 });

    // the database: answers carry a code and no identity; who answered is a set of other hashes
    const columns: { column_name: string }[] = await db(`SELECT column_name FROM information_schema.columns WHERE table_name = 'response' ORDER BY ordinal_position`);
    expect(columns.map((c) => c.column_name)).toEqual(['id', 'poll_id', 'choice', 'rating', 'text', 'submitted_on', 'pair_code', 'organisation_id']);
    const answers: { poll_id: string; rating: number; pair_code: string }[] = await db(`SELECT poll_id, rating, pair_code FROM response WHERE poll_id = ANY($1)`, [[pair.before.id, pair.after.id]]);
    expect(answers).toHaveLength(12);
    const codes = (poll: string) => answers.filter((a) => a.poll_id === poll).map((a) => a.pair_code).sort();
    expect(codes(pair.before.id)).toEqual(codes(pair.after.id));
    expect(new Set(codes(pair.before.id)).size).toBe(6);
    const hashes: string[] = (await db(`SELECT unnest(hashes) AS h FROM participation WHERE poll_id = ANY($1)`, [[pair.before.id, pair.after.id]])).map((r: { h: string }) => r.h);
    expect(hashes).toHaveLength(12);
    expect(hashes.filter((h) => codes(pair.before.id).includes(h))).toEqual([]);
    // each stored code is SHA-256 of the pair and the participant's own device code
    expect(codes(pair.before.id)).toEqual(people.map((p) => pairCode(pair.id, deviceCode(p))).sort());
    const everything = JSON.stringify(await db(`SELECT r.*, p.*, c.* FROM response r JOIN participation p USING (poll_id) JOIN confidence_pair c ON r.poll_id IN (c.before_poll_id, c.after_poll_id) WHERE c.id = $1`, [pair.id]));
    for (const p of people) expect(everything).not.toContain(p);
    // and no table of the feedback database has a column naming a person beside an answer
    const personal: { table_name: string; column_name: string }[] = await db(
      `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' AND (column_name LIKE '%subject%' OR column_name LIKE '%participant%' OR column_name LIKE '%person%')`,
    );
    expect(personal).toEqual([{ table_name: 'maturity_assessment', column_name: 'assessed_by_subject' }]);
  });

  it('stores pairing codes nobody holding the participation secret, the database and the list of people can recompute', async () => {
    const pair = await createPair('How confident are you leading a discussion?');
    const people = ['s-1', 's-2', 's-3', 's-4', 's-5'];
    for (const p of people) await rateConfidence(p, pair.before.id, 2);
    for (const p of people) await rateConfidence(p, pair.after.id, 3);
    const stored: { poll_id: string; pair_code: string }[] = await db(`SELECT poll_id, pair_code FROM response WHERE poll_id = ANY($1)`, [[pair.before.id, pair.after.id]]);
    expect(stored).toHaveLength(10);
    // everything one could compute from a subject with the secret: the old server-derived code
    // (HMAC under a key from the participation secret), plain HMACs, the participation hashes
    const secret = participationSecret();
    const oldKey = createHmac('sha256', secret).update('hub-feedback/confidence-pair-code/v1').digest();
    const derivable = people.flatMap((p) => [
      p,
      createHmac('sha256', oldKey).update(`${pair.id}:${p}`).digest('hex'),
      createHmac('sha256', secret).update(`${pair.id}:${p}`).digest('hex'),
      pairCode(pair.id, p),
      participantHash(pair.before.id, p),
      participantHash(pair.after.id, p),
    ]);
    for (const { pair_code } of stored) {
      expect(derivable).not.toContain(pair_code);
      for (const p of people) expect(pair_code).not.toContain(p);
    }
    // the same device code pairs each person's before and after answers
    for (const p of people) {
      const own = stored.filter((r) => r.pair_code === pairCode(pair.id, deviceCode(p))).map((r) => r.poll_id);
      expect(own.sort()).toEqual([pair.before.id, pair.after.id].sort());
    }
    expect((await admin.query(CHANGE, { id: pair.id })).data?.confidencePair.change).toEqual({
      pairedCount: 5,
      averageBefore: 2,
      averageAfter: 3,
      averageChange: 1,
      improvedShare: 1,
    });
    // a pair's poll needs the code; any other poll refuses one
    const none = await (await participant('s-6')).query(SUBMIT, { i: { pollId: pair.before.id, rating: 3 } });
    expect(none.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'input.pairingCode', message: expect.any(String) }] });
    const short = await (await participant('s-6')).query(SUBMIT, { i: { pollId: pair.before.id, rating: 3, pairingCode: 'too-short' } });
    expect(short.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'input.pairingCode', message: expect.any(String) }] });
    const { createPoll } = await mutate(admin, `mutation($i: CreatePollInput!) { createPoll(input: $i) { id } }`, {
      i: { organisationId: 'partner-0', programId: program.programId, communityId: community, kind: 'CHECK_IN', question: 'How supported do you feel?', answerType: 'RATING' },
    });
    const elsewhere = await (await participant('s-6')).query(SUBMIT, { i: { pollId: createPoll.id, rating: 3, pairingCode: deviceCode('s-6') } });
    expect(elsewhere.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'input.pairingCode', message: expect.any(String) }] });
  });

  it('keeps the change null while fewer pairs than the minimum group size exist, even with many answers before', async () => {
    const pair = await createPair('How confident are you working with schools?');
    for (const p of ['q-1', 'q-2', 'q-3', 'q-4', 'q-5', 'q-6', 'q-7']) await rateConfidence(p, pair.before.id, 3);
    for (const p of ['q-1', 'q-2']) await rateConfidence(p, pair.after.id, 5);
    for (const p of ['r-1', 'r-2', 'r-3', 'r-4', 'r-5']) await rateConfidence(p, pair.after.id, 5);
    const res = await admin.query(CHANGE, { id: pair.id });
    expect(res.errors).toBeUndefined();
    expect(res.data?.confidencePair.change).toBeNull();
    // each poll's own results are there, by the usual rules
    const polls = await admin.query(`query($id: ID!) { confidencePair(id: $id) { before { results { responseCount } } after { results { responseCount } } } }`, { id: pair.id });
    expect(polls.data?.confidencePair).toEqual({ before: { results: { responseCount: 7 } }, after: { results: { responseCount: 7 } } });
  });

  it('shows a check-in trend of per-poll averages, small polls suppressed', async () => {
    // the session already has a check-in answered by five (rating 4); a second one is answered by two
    const { createPoll } = await mutate(admin, `mutation($i: CreatePollInput!) { createPoll(input: $i) { id } }`, {
      i: { organisationId: 'partner-0', programId: program.programId, sessionId: session, kind: 'CHECK_IN', question: 'Is this group still meeting a need?', answerType: 'RATING' },
    });
    await rate('c-1', createPoll.id, 2);
    await rate('c-2', createPoll.id, 3);
    const q = `query($s: ID!) { session(id: $s) { checkInTrend { poll { id question } askedAt responseCount averageRating suppressed } } }`;
    const res = await admin.query(q, { s: session });
    expect(res.errors).toBeUndefined();
    const trend = res.data?.session.checkInTrend;
    expect(trend).toEqual([
      { poll: { id: expect.any(String), question: 'Still meeting your needs?' }, askedAt: expect.any(String), responseCount: 5, averageRating: 4, suppressed: false },
      { poll: { id: createPoll.id, question: 'Is this group still meeting a need?' }, askedAt: expect.any(String), responseCount: null, averageRating: null, suppressed: true },
    ]);
    expect(Date.parse(trend[0].askedAt)).toBeLessThanOrEqual(Date.parse(trend[1].askedAt));
  });

  it('summarises outcome ratings per partner for the national manager', async () => {
    const { createPoll } = await mutate(admin, `mutation($i: CreatePollInput!) { createPoll(input: $i) { id } }`, {
      i: { organisationId: 'partner-0', programId: program.programId, communityId: community, kind: 'OUTCOME', question: 'How connected do you feel?', answerType: 'RATING' },
    });
    for (const [i, r] of [5, 4, 4, 5, 5].entries()) await rate(`o-${i}`, createPoll.id, r);
    const res = await program.manager.query(`query($p: ID!) { program(id: $p) { outcomeSummary { organisation { id name } pollCount responseCount averageRating } } }`, { p: program.programId });
    expect(res.errors).toBeUndefined();
    expect(res.data?.program.outcomeSummary).toEqual([{ organisation: { id: 'partner-0', name: 'partner-0' }, pollCount: 1, responseCount: 5, averageRating: 4.6 }]);
  });

  it('keeps each community\'s assessed maturity stages from the quiz, apart from the stage its admins set', async () => {
    const quiz = await facilitator.query(`{ maturityQuiz { questions { number text options { score label } } stages { stage minScore maxScore } } }`);
    expect(quiz.errors).toBeUndefined();
    const count = quiz.data?.maturityQuiz.questions.length;
    expect(count).toBeGreaterThanOrEqual(5);
    const SUBMIT = `mutation($i: SubmitMaturityAssessmentInput!) { submitMaturityAssessment(input: $i) { stage score assessedBy { id } } }`;
    const first = await mutate(facilitator, SUBMIT, { i: { communityId: community, answers: Array(count).fill(2) } });
    expect(first.submitMaturityAssessment).toEqual({ stage: 'COALESCING', score: 2, assessedBy: { id: program.partners[0].facilitatorIds[0] } });
    const second = await mutate(facilitator, SUBMIT, { i: { communityId: community, answers: Array(count).fill(3) } });
    expect(second.submitMaturityAssessment.stage).toBe('MATURING');

    const q = `query($c: ID!) { community(id: $c) { maturityStage assessedMaturityStage maturityHistory { totalCount nodes { stage score assessedAt } } } }`;
    const res = await admin.query(q, { c: community });
    expect(res.errors).toBeUndefined();
    expect(res.data?.community).toMatchObject({
      maturityStage: 'POTENTIAL', // set by the community's admins (sessions); the quiz does not change it
      assessedMaturityStage: 'MATURING',
      maturityHistory: { totalCount: 2, nodes: [{ stage: 'MATURING', score: 3 }, { stage: 'COALESCING', score: 2 }] },
    });

    // a participant reads the history but cannot take the quiz for the community
    const asParticipant = await (await participant('m-1')).query(SUBMIT, { i: { communityId: community, answers: Array(count).fill(5) } });
    expect(asParticipant.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const bad = await facilitator.query(SUBMIT, { i: { communityId: community, answers: [1, 2] } });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'input.answers', message: expect.any(String) }] });
  });

  it('shows another partner none of it', async () => {
    const pairs = await admin.query(`query($c: ID!) { community(id: $c) { confidencePairs { nodes { id } } } }`, { c: community });
    const pairId = pairs.data?.community.confidencePairs.nodes[0].id;
    expect(pairId).toBeDefined();
    expect((await otherAdmin.query(`query($id: ID!) { confidencePair(id: $id) { id change { pairedCount } } }`, { id: pairId })).data?.confidencePair).toBeNull();
    expect((await otherAdmin.query(`query($c: ID!) { community(id: $c) { id assessedMaturityStage } }`, { c: community })).data?.community).toBeNull();
    expect((await otherAdmin.query(`query($s: ID!) { session(id: $s) { checkInTrend { responseCount } } }`, { s: session })).data?.session).toBeNull();
    const summary = await otherAdmin.query(`query($p: ID!) { program(id: $p) { outcomeSummary { organisation { id } } } }`, { p: program.programId });
    expect(summary.data?.program.outcomeSummary).toEqual([]);
    const quiz = await otherAdmin.query(`mutation($i: SubmitMaturityAssessmentInput!) { submitMaturityAssessment(input: $i) { id } }`, { i: { communityId: community, answers: [3, 3, 3, 3, 3, 3] } });
    expect(quiz.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const pairInOthers = await otherAdmin.query(PAIR, { i: { organisationId: 'partner-0', programId: program.programId, communityId: community, question: 'Q?' } });
    expect(pairInOthers.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
