import { ownerOf } from '@hub/core';
import { errorCode } from './support/graphql';
import { createSmallProgram, mutate, type SmallProgram } from './support/fixtures';
import { startTestHub, type TestHub } from './support/hub';

const NATIONAL_QUERY = `query National($program: ID!, $from: DateTimeISO!, $to: DateTimeISO!) {
  program(id: $program) {
    name
    deliveryPartners {
      id
      facilitatorCount(status: ACTIVE)
      groups: communityCount(kind: GROUP, programId: $program)
      sessionsHeld: sessionCount(from: $from, to: $to, status: ENDED, programId: $program)
      feedbackResponseCount(from: $from, to: $to, programId: $program)
    }
  }
}`;

describe('the federated graph through the gateway', () => {
  let hub: TestHub;
  let program: SmallProgram;
  const period = () => ({ from: new Date(Date.now() - 30 * 86_400_000).toISOString(), to: new Date(Date.now() + 86_400_000).toISOString() });

  beforeAll(async () => {
    hub = await startTestHub({ accessScopeTtlMs: 60_000 });
    program = await createSmallProgram(hub, { partners: 3, facilitators: 3, groups: 2, sessionsPerGroup: 2, answersPerSession: 5 });
  });
  afterAll(() => hub.stop());

  it('answers the national question with numbers drawn from all four subgraphs', async () => {
    // one partner has an inactive facilitator and a cancelled session, which must not count
    const [first] = program.partners;
    await mutate(first.admin, `mutation($id: ID!) { updateFacilitator(id: $id, input: { status: INACTIVE }) { id } }`, { id: first.facilitatorIds[0] });
    const later = new Date(Date.now() + 7 * 86_400_000);
    const { scheduleSession } = await mutate(
      first.admin,
      `mutation($c: ID!, $s: DateTimeISO!, $e: DateTimeISO!) { scheduleSession(input: { communityId: $c, topic: "Cancelled", startsAt: $s, endsAt: $e }) { id } }`,
      { c: first.groupIds[0], s: later.toISOString(), e: new Date(later.getTime() + 3_600_000).toISOString() },
    );
    await mutate(first.admin, `mutation($id: ID!) { cancelSession(id: $id) { status } }`, { id: scheduleSession.id });

    const res = await program.manager.query(NATIONAL_QUERY, { program: program.programId, ...period() });
    expect(res.errors).toBeUndefined();
    expect(res.data?.program.name).toBe('Test program');
    expect(res.data?.program.deliveryPartners).toEqual([
      { id: 'partner-0', facilitatorCount: 2, groups: 2, sessionsHeld: 4, feedbackResponseCount: 20 },
      { id: 'partner-1', facilitatorCount: 3, groups: 2, sessionsHeld: 4, feedbackResponseCount: 20 },
      { id: 'partner-2', facilitatorCount: 3, groups: 2, sessionsHeld: 4, feedbackResponseCount: 20 },
    ]);
  });

  it('follows references across subgraphs: a session with its community, facilitators and polls', async () => {
    const res = await program.partners[1].admin.query(
      `query($o: ID!) { sessions(filter: { organisationId: $o }, first: 1) {
        nodes { id status community { name memberCount } facilitators { displayName organisation { name } } polls { totalCount } feedbackResponseCount }
      } }`,
      { o: 'partner-1' },
    );
    expect(res.errors).toBeUndefined();
    const [session] = res.data?.sessions.nodes;
    expect(session.id).toMatch(/^partner-1\.ses_/);
    expect(ownerOf(session.id)).toBe('partner-1');
    expect(session.community.name).toMatch(/^Group /);
    expect(session.facilitators).toEqual([
      { displayName: 'Fac Ilitator', organisation: { name: 'partner-1' } },
      { displayName: 'Fac Ilitator', organisation: { name: 'partner-1' } },
    ]);
    expect(session.polls.totalCount).toBe(1);
    // 5 answers reach the program's minimum group size (5, from the partners subgraph)
    expect(session.feedbackResponseCount).toBe(5);
  });

  it('rejects bad input with the field named and changes nothing', async () => {
    const admin = program.partners[0].admin;
    const participant = await hub.as({ role: 'participant', org: 'partner-2', programs: [program.programId], sub: 'new-person' });
    const before = await admin.query(`{ sessions { totalCount } }`);
    const cases: [string, Record<string, unknown>, string, string][] = [
      [
        `mutation($c: ID!) { scheduleSession(input: { communityId: $c, topic: "x", startsAt: "2030-01-02T10:00:00Z", endsAt: "2030-01-02T09:00:00Z" }) { id } }`,
        { c: program.partners[0].groupIds[0] },
        'BAD_USER_INPUT',
        'input.endsAt',
      ],
      [`mutation { scheduleSession(input: { communityId: "partner-0.com_01HZZZZZZZZZZZZZZZZZZZZZZZ", topic: "x", startsAt: "2030-01-02T10:00:00Z", endsAt: "2030-01-02T11:00:00Z" }) { id } }`, {}, 'NOT_FOUND', 'input.communityId'],
      [`mutation { submitResponse(input: { pollId: "partner-0.pol_01HZZZZZZZZZZZZZZZZZZZZZZZ", rating: 4 }) { accepted } }`, {}, 'NOT_FOUND', 'input.pollId'],
      [`{ sessions(after: "garbage") { totalCount } }`, {}, 'BAD_USER_INPUT', 'after'],
    ];
    for (const [query, variables, code, field] of cases) {
      const res = await admin.query(query, variables);
      expect({ query, code: errorCode(res) }).toEqual({ query, code });
      expect(res.errors?.[0].extensions?.fields).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    }
    const other = program.partners[2].admin;
    const poll = await other.query(`query($s: ID!) { session(id: $s) { polls { nodes { id } } } }`, {
      s: (await other.query(`query($o: ID!) { sessions(filter: { organisationId: $o, status: ENDED }, first: 1) { nodes { id } } }`, { o: 'partner-2' })).data?.sessions.nodes[0].id,
    });
    const pollId = poll.data?.session.polls.nodes[0].id;
    const rating = await participant.query(`mutation($p: ID!) { submitResponse(input: { pollId: $p, rating: 6 }) { accepted } }`, { p: pollId });
    expect(errorCode(rating)).toBe('BAD_USER_INPUT');
    expect(rating.errors?.[0].extensions?.fields).toEqual([expect.objectContaining({ field: 'input.rating' })]);
    const missing = await admin.query(`mutation { createFacilitator(input: { organisationId: "partner-0", givenName: "No" }) { id } }`);
    expect(errorCode(missing)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(missing.errors?.[0].message).toMatch(/familyName/);

    const badDate = await program.manager.query(`query($p: ID!) { program(id: $p) { deliveryPartners { sessionCount(from: "not-a-date") } } }`, { p: program.programId });
    expect(badDate.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(badDate.errors?.[0].message).toMatch(/invalid date-time/);
    const badVariable = await admin.query(`query($from: DateTimeISO) { sessions(filter: { from: $from }) { totalCount } }`, { from: 'yesterday' });
    expect(badVariable.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(badVariable)).not.toMatch(/SUBGRAPH_UNAVAILABLE/);
    const nul = await admin.query(`query($id: ID!) { organisation(id: $id) { id } }`, { id: 'bad\u0000id' });
    expect(errorCode(nul)).toBe('BAD_USER_INPUT');

    const after = await admin.query(`{ sessions { totalCount } }`);
    expect(after.data).toEqual(before.data);
    const results = await other.query(`query($p: ID!) { poll(id: $p) { results { responseCount suppressed } } }`, { p: pollId });
    // the refused sixth answer left the poll's five as they were
    expect(results.data?.poll.results).toEqual({ responseCount: 5, suppressed: false });
  });

  it('keeps the SQL statements per request flat as a list grows from 10 to 100 sessions', async () => {
    const admin = program.partners[0].admin;
    const { communityId } = await (async () => {
      const { createCommunity } = await mutate(
        admin,
        `mutation($p: ID!) { createCommunity(input: { organisationId: "partner-0", programId: $p, kind: GROUP, name: "Big group", mode: ONLINE }) { id } }`,
        { p: program.programId },
      );
      return { communityId: createCommunity.id as string };
    })();
    const facilitators = program.partners[0].facilitatorIds;
    for (let i = 0; i < 100; i++) {
      const startsAt = new Date(Date.UTC(2031, 0, 1 + i, 9));
      await mutate(
        admin,
        `mutation($c: ID!, $s: DateTimeISO!, $e: DateTimeISO!, $f: [ID!]!) { scheduleSession(input: { communityId: $c, topic: "Series", startsAt: $s, endsAt: $e, facilitatorIds: $f }) { id } }`,
        { c: communityId, s: startsAt.toISOString(), e: new Date(startsAt.getTime() + 3_600_000).toISOString(), f: [facilitators[i % 3], facilitators[(i + 1) % 3]] },
      );
    }
    const list = `query($c: ID!, $n: Int!) { community(id: $c) { sessions(first: $n) { nodes { topic facilitators { displayName trainingRecords { id } } polls { totalCount } } } } }`;
    const measure = async (n: number) => {
      const before = Object.fromEntries(Object.entries(hub.subgraphs).map(([k, s]) => [k, s.statements.count]));
      const res = await admin.query(list, { c: communityId, n });
      expect(res.errors).toBeUndefined();
      expect(res.data?.community.sessions.nodes).toHaveLength(n);
      return Object.fromEntries(Object.entries(hub.subgraphs).map(([k, s]) => [k, s.statements.count - before[k]]));
    };
    await measure(1); // the caller's scope is worked out (and cached) on its first request after the mutations
    const ten = await measure(10);
    const hundred = await measure(100);
    expect(hundred).toEqual(ten);
    expect(ten.sessions).toBeGreaterThan(0);
    expect(ten.facilitators).toBeGreaterThan(0);
    expect(ten.feedback).toBeGreaterThan(0);
  });
});
