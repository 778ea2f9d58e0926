import { createGateway } from '@hub/gateway';
import { createSmallProgram, mutate, type SmallProgram } from './support/fixtures';
import { gatewayConfigFor, startTestHub, type Caller, type TestHub } from './support/hub';
import { liveClient, subscribe, waitFor, type LiveSubscription } from './support/live';

/** A live session followed through the gateway over graphql-ws, with fields from three subgraphs. */
const FOLLOW = `subscription Follow($id: ID!) {
  sessionChanged(id: $id) {
    id status currentPhase attendanceCount
    facilitators { displayName }
    community { name memberCount }
    polls { totalCount }
  }
}`;

describe('live sessions through the gateway', () => {
  let hub: TestHub;
  let program: SmallProgram;
  let admin: Caller;
  let participant: Caller;
  const clients: ReturnType<typeof liveClient>[] = [];
  const client = (token?: string, onClosed?: (event: unknown) => void) => {
    const c = liveClient(hub.gatewayUrl, token, onClosed);
    clients.push(c);
    return c;
  };

  const newSession = async () => {
    const startsAt = new Date(Date.now() + 3_600_000);
    const { scheduleSession } = await mutate(
      admin,
      `mutation($c: ID!, $s: DateTimeISO!, $e: DateTimeISO!, $f: [ID!]!) { scheduleSession(input: { communityId: $c, topic: "Live", startsAt: $s, endsAt: $e, facilitatorIds: $f }) { id } }`,
      { c: program.partners[0].groupIds[0], s: startsAt.toISOString(), e: new Date(startsAt.getTime() + 3_600_000).toISOString(), f: program.partners[0].facilitatorIds },
    );
    return scheduleSession.id as string;
  };

  beforeAll(async () => {
    hub = await startTestHub();
    program = await createSmallProgram(hub, { partners: 2, facilitators: 2, groups: 1, sessionsPerGroup: 1, answersPerSession: 1 });
    admin = program.partners[0].admin;
    participant = await hub.as({ role: 'participant', org: 'partner-0', programs: [program.programId], sub: 'live-participant' });
  }, 60_000);
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await hub.stop();
  });

  it('delivers each change in order, every field filled from sessions, facilitators and feedback', async () => {
    const id = await newSession();
    const live = subscribe(client(admin.token), FOLLOW, { id });
    await waitFor(() => hub.gateway.subscriptions.upstreamCount === 1);

    // each event shows the session as it is when the event is resolved: a client that waits for a
    // change's event before the next change sees every state, in order
    const seen = [];
    await mutate(admin, `mutation($id: ID!) { startSession(id: $id) { id } }`, { id });
    seen.push(await live.next());
    await mutate(admin, `mutation($id: ID!) { setSessionPhase(input: { sessionId: $id, phase: "Discuss" }) { id } }`, { id });
    seen.push(await live.next());
    await mutate(participant, `mutation($id: ID!) { checkIn(sessionId: $id) { id } }`, { id });
    seen.push(await live.next());
    await mutate(admin, `mutation($id: ID!) { endSession(id: $id) { id } }`, { id });
    seen.push(await live.next());
    for (const r of seen) expect(r.errors).toBeUndefined();
    expect(seen.map((r) => r.data?.sessionChanged).map((s) => [s.status, s.currentPhase, s.attendanceCount])).toEqual([
      ['LIVE', 'Share', 0],
      ['LIVE', 'Discuss', 0],
      ['LIVE', 'Discuss', 1],
      ['ENDED', null, 1],
    ]);
    const last = seen[seen.length - 1].data?.sessionChanged;
    expect(last.facilitators).toEqual([{ displayName: 'Fac Ilitator' }, { displayName: 'Fac Ilitator' }]);
    expect(last.community).toEqual({ name: 'Group 0', memberCount: expect.any(Number) });
    expect(last.polls).toEqual({ totalCount: 0 });
    live.close();
  });

  it('sends another organisation\'s subscriber nothing of a private session', async () => {
    const id = await newSession();
    const own = subscribe(client(admin.token), FOLLOW, { id });
    const other = subscribe(client(program.partners[1].admin.token), FOLLOW, { id });
    await waitFor(() => hub.gateway.subscriptions.upstreamCount === 2);
    await mutate(admin, `mutation($id: ID!) { startSession(id: $id) { id } }`, { id });
    expect((await own.next()).data?.sessionChanged.status).toBe('LIVE');
    // the same event reached the gateway for both; give the other's a moment to (not) arrive
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(other.results).toEqual([]);
    own.close();
    other.close();
  });

  it('makes exactly one upstream subscription for 50 clients of the same subscription, and closes it with the last', async () => {
    await waitFor(() => hub.gateway.subscriptions.upstreamCount === 0);
    const id = await newSession();
    const fifty = Array.from({ length: 50 }, () => subscribe(client(admin.token), FOLLOW, { id }));
    await waitFor(() => hub.gateway.subscriptions.clientCount >= 50 && hub.gateway.subscriptions.sharedCount === 1);
    expect(hub.gateway.subscriptions.upstreamCount).toBe(1);
    expect(hub.gateway.subscriptions.upstreamConnections).toBe(1);
    await waitFor(() => hub.subgraphs.sessions.events.subscriptionCount === 1);
    await mutate(admin, `mutation($id: ID!) { startSession(id: $id) { id } }`, { id });
    const first = await Promise.all(fifty.map((s) => s.next()));
    expect(first.every((r) => r.data?.sessionChanged.status === 'LIVE')).toBe(true);
    for (const s of fifty) s.close();
    await waitFor(() => hub.gateway.subscriptions.upstreamCount === 0);
    await waitFor(() => hub.subgraphs.sessions.events.subscriptionCount === 0);
  });

  it('shares one upstream subscription among participants with subjects of their own, each seeing everyone\'s check-ins, while admins of another scope keep their own', async () => {
    await waitFor(() => hub.gateway.subscriptions.upstreamCount === 0);
    const id = await newSession();
    await mutate(admin, `mutation($id: ID!) { startSession(id: $id) { id } }`, { id });
    const CHECK_INS = `subscription($id: ID!) { sessionCheckIns(sessionId: $id) { id attendanceCount } }`;
    const people = await Promise.all(Array.from({ length: 10 }, (_, n) => hub.as({ role: 'participant', org: 'partner-0', programs: [program.programId], sub: `room-${n}` })));
    const watching = people.map((p) => subscribe(client(p.token), CHECK_INS, { id }));
    const adminWatch = subscribe(client(admin.token), CHECK_INS, { id });
    await waitFor(() => hub.gateway.subscriptions.clientCount >= 11 && hub.gateway.subscriptions.sharedCount === 2);
    // ten subjects, one subscription; the admin's scope is another
    expect(hub.gateway.subscriptions.upstreamCount).toBe(2);
    await waitFor(() => hub.subgraphs.sessions.events.subscriptionCount === 2);
    for (const [n, p] of people.slice(0, 3).entries()) {
      expect((await p.query(`mutation($id: ID!) { checkIn(sessionId: $id) { id } }`, { id })).errors).toBeUndefined();
      const seen = await Promise.all([...watching, adminWatch].map((w) => w.next()));
      expect(seen.map((r) => r.data?.sessionCheckIns.attendanceCount)).toEqual(Array(11).fill(n + 1));
    }
    for (const w of [...watching, adminWatch]) w.close();
    await waitFor(() => hub.gateway.subscriptions.upstreamCount === 0);
  });

  it('reads nothing by subject in any row-level-security policy, which is what lets participants share across subjects', async () => {
    for (const name of ['partners', 'facilitators', 'sessions', 'feedback'] as const) {
      const policies = (await hub.subgraphs[name].dataSource.query(`SELECT tablename, policyname, cmd, qual FROM pg_policies`)) as { cmd: string; qual: string | null }[];
      expect(policies.length).toBeGreaterThan(0);
      const readsBySubject = policies.filter((p) => ['SELECT', 'ALL'].includes(p.cmd) && /hub_subject\(\)/.test(p.qual ?? ''));
      expect({ name, readsBySubject }).toEqual({ name, readsBySubject: [] });
    }
  });

  it('tells subscribers when the owning subgraph goes away, and resumes when it is back', async () => {
    const id = await newSession();
    const live = subscribe(client(admin.token), FOLLOW, { id });
    await waitFor(() => hub.subgraphs.sessions.events.subscriptionCount === 1);
    await hub.stopSubgraph('sessions');
    const told = await live.next(10_000);
    expect(told.errors?.[0].extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'sessions' });
    await hub.startSubgraph('sessions');
    await waitFor(() => hub.subgraphs.sessions.events.subscriptionCount === 1, 10_000);
    await mutate(admin, `mutation($id: ID!) { startSession(id: $id) { id } }`, { id });
    const after = await takeUntil(live, (r) => r.data?.sessionChanged?.status === 'LIVE');
    expect(after[after.length - 1].data?.sessionChanged.status).toBe('LIVE');
    live.close();
  });

  it('sends nothing for a change that was refused and rolled back', async () => {
    const id = await newSession();
    const live = subscribe(client(admin.token), FOLLOW, { id });
    await waitFor(() => hub.gateway.subscriptions.upstreamCount >= 1 && hub.subgraphs.sessions.events.subscriptionCount === 1);
    const refused = await participant.query(`mutation($id: ID!) { checkIn(sessionId: $id) { id } }`, { id });
    expect(refused.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    await mutate(admin, `mutation($id: ID!) { cancelSession(id: $id) { id } }`, { id });
    const first = await live.next();
    expect(first.data?.sessionChanged.status).toBe('CANCELLED');
    live.close();
  });

  it('refuses a connection without a valid token, and applies the HTTP limits to subscriptions', async () => {
    let closed: { code?: number } | undefined;
    const anonymous = subscribe(client(undefined, (event) => (closed = event as { code: number })), FOLLOW, { id: 'partner-0.ses_01HZZZZZZZZZZZZZZZZZZZZZZZ' });
    const outcome = await anonymous.ended;
    expect(outcome.error ?? closed).toBeDefined();
    expect(closed?.code).toBe(4403);

    const nested = `${'community { sessions { nodes { '.repeat(5)}id${' } } }'.repeat(5)}`;
    const deep = subscribe(client(admin.token), `subscription { sessionChanged(id: "x") { ${nested} } }`);
    const refused = (await deep.ended).error as { message?: string; extensions?: { limit?: string } }[];
    expect(refused[0].extensions?.limit).toBe('depth');
  });

  it('caps the subscriptions one connection may hold', async () => {
    const id = await newSession();
    const shared = client(admin.token);
    const held = Array.from({ length: 20 }, () => subscribe(shared, FOLLOW, { id }));
    await waitFor(() => hub.gateway.subscriptions.sharedCount >= 1);
    const extra = subscribe(shared, FOLLOW, { id });
    const refused = (await extra.ended).error as { extensions?: { code?: string } }[];
    expect(refused[0].extensions?.code).toBe('RATE_LIMITED');
    for (const s of held) s.close();
  });

  it('completes live poll results with the program\'s minimum group size from the partners subgraph', async () => {
    const session = (await admin.query(`{ sessions(first: 1, filter: { status: ENDED }) { nodes { id } } }`)).data?.sessions.nodes[0].id;
    const { createPoll } = await mutate(admin, `mutation($p: ID!, $s: ID!) { createPoll(input: { organisationId: "partner-0", programId: $p, sessionId: $s, kind: POLL, question: "Useful?", answerType: RATING }) { id } }`, {
      p: program.programId,
      s: session,
    });
    // the program's own threshold (3, not the default 5) can only come from the partners subgraph
    await mutate(program.manager, `mutation($p: ID!) { updateProgram(id: $p, input: { minimumGroupSize: 3 }) { id } }`, { p: program.programId });
    const live = subscribe(client(admin.token), `subscription($p: ID!) { pollResults(pollId: $p) { minimumGroupSize results { responseCount suppressed } } }`, { p: createPoll.id });
    await waitFor(() => hub.subgraphs.feedback.events.subscriptionCount === 1);
    const events = [];
    for (let n = 1; n <= 3; n++) {
      const answerer = await hub.as({ role: 'participant', org: 'partner-0', programs: [program.programId], sub: `live-answer-${n}` });
      await mutate(answerer, `mutation($p: ID!) { submitResponse(input: { pollId: $p, rating: 3 }) { accepted } }`, { p: createPoll.id });
      events.push(await live.next());
    }
    for (const e of events) expect(e.errors).toBeUndefined();
    expect(events.map((e) => e.data?.pollResults)).toEqual([
      { minimumGroupSize: 3, results: { responseCount: null, suppressed: true } },
      { minimumGroupSize: 3, results: { responseCount: null, suppressed: true } },
      { minimumGroupSize: 3, results: { responseCount: 3, suppressed: false } },
    ]);
    live.close();
  });

  it('closes its clients cleanly (1001 going away) and its upstream subscriptions when the gateway stops', async () => {
    const second = await createGateway(gatewayConfigFor(hub));
    const url = await second.listen(0);
    const id = await newSession();
    let closed: { code?: number } | undefined;
    const c = liveClient(url, admin.token, (event) => (closed = event as { code: number }));
    clients.push(c);
    const live = subscribe(c, FOLLOW, { id });
    await waitFor(() => second.subscriptions.upstreamCount === 1 && hub.subgraphs.sessions.events.subscriptionCount === 1);
    await second.stop();
    await live.ended;
    expect(closed?.code).toBe(1001);
    expect(second.subscriptions.upstreamCount).toBe(0);
    await waitFor(() => hub.subgraphs.sessions.events.subscriptionCount === 0);
  });
});
async function takeUntil(live: LiveSubscription, done: (r: Awaited<ReturnType<LiveSubscription['next']>>) => boolean) {
  const seen = [];
  for (;;) {
    const r = await live.next();
    seen.push(r);
    if (done(r)) return seen;
  }
}
