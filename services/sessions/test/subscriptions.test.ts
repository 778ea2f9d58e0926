import { createSessionsSubgraph } from '@hub/sessions';
import { generateGatewayKeyPair, inTransaction, newId, publishEvent, SCOPE_HEADER, ScopeSigner, withScope, type AccessScope, type Subgraph } from '@hub/core';
import type { ExecutionResult } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { dropTestDatabases, testSubgraphConfig } from '../../../test/support/database';
import { errorCode, postGraphQL } from '../../../test/support/graphql';
import { partnerAdmin, scopeHeaders, scopeOf, SYSTEM_SCOPE } from '../../../test/support/scopes';

type Result = ExecutionResult<Record<string, any>>;

/** One subscription as a test sees it: what arrived so far, the next result, how it ended. */
interface Subscription {
  results: Result[];
  /** The next result not taken yet (fails after a few seconds). */
  next(): Promise<Result>;
  /** Resolves with the error (a CloseEvent or GraphQL errors) or undefined when it completes. */
  ended: Promise<unknown>;
  unsubscribe(): void;
}

/**
 * Live sessions over graphql-ws on the subgraph itself: events are published inside the writing
 * transaction (delivered on commit, never on rollback) and each one is resolved under the
 * subscriber's own scope, so what it may not see never reaches it.
 */
describe('sessions subscriptions', () => {
  const config = testSubgraphConfig('sessions');
  let subgraph: Subgraph;
  let url: string;
  let wsUrl: string;
  let client: Client;
  const clients: Client[] = [];
  const gql = async (scope: AccessScope, query: string, variables?: Record<string, unknown>) => postGraphQL(url, query, variables, await scopeHeaders(scope));

  const program = newId('nat', 'prg');
  const otherProgram = newId('nat', 'prg');
  const [facA1, facA2, facO1] = [newId('alpha', 'fac'), newId('alpha', 'fac'), newId('other', 'fac')];
  const adminA = partnerAdmin('alpha', ['nat'], [program]);
  const otherAdmin = partnerAdmin('other');
  const facilitator = (organisation: string, id: string) =>
    scopeOf('facilitator', { organisation, facilitator: id, organisations: [organisation, 'nat'], programs: [program], subject: `person-${id}` });
  const participant = (subject: string, organisation = 'alpha') => scopeOf('participant', { subject, organisations: [organisation, 'nat'], programs: [program] });

  let comA: string;
  let comO: string;
  let cop: string;

  async function createCommunity(organisationId: string, programId: string, name: string): Promise<string> {
    const res = await gql(SYSTEM_SCOPE, `mutation($input: CreateCommunityInput!) { createCommunity(input: $input) { id } }`, {
      input: { organisationId, programId, kind: 'GROUP', name, mode: 'ONLINE' },
    });
    expect(res.errors).toBeUndefined();
    return res.data?.createCommunity.id;
  }

  async function schedule(communityId: string, topic: string, facilitatorIds: string[] = [facA1]): Promise<string> {
    const res = await gql(SYSTEM_SCOPE, `mutation($input: ScheduleSessionInput!) { scheduleSession(input: $input) { id } }`, {
      input: { communityId, topic, startsAt: '2099-05-01T09:00:00Z', endsAt: '2099-05-01T10:00:00Z', facilitatorIds },
    });
    expect(res.errors).toBeUndefined();
    return res.data?.scheduleSession.id;
  }

  async function run(scope: AccessScope, mutation: string, variables: Record<string, unknown>): Promise<Record<string, any>> {
    const res = await gql(scope, mutation, variables);
    expect(res.errors).toBeUndefined();
    return res.data as Record<string, any>;
  }
  const start = (id: string, scope: AccessScope = adminA) => run(scope, `mutation($id: ID!) { startSession(id: $id) { id } }`, { id });
  const setPhase = (sessionId: string, phase: string, scope: AccessScope = adminA) =>
    run(scope, `mutation($sessionId: ID!, $phase: String!) { setSessionPhase(input: { sessionId: $sessionId, phase: $phase }) { id } }`, { sessionId, phase });
  const end = (id: string, scope: AccessScope = adminA) => run(scope, `mutation($id: ID!) { endSession(id: $id) { id } }`, { id });
  const checkIn = (sessionId: string, scope: AccessScope) => gql(scope, `mutation($sessionId: ID!) { checkIn(sessionId: $sessionId) { id attendanceCount } }`, { sessionId });

  async function until(condition: () => boolean, what: string): Promise<void> {
    const deadline = Date.now() + 5000;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  function newClient(connectionParams?: Record<string, unknown>): Client {
    const c = createClient({ url: wsUrl, webSocketImpl: WebSocket, connectionParams, retryAttempts: 0, lazy: true });
    clients.push(c);
    return c;
  }

  /** Subscribes as `scope` (its signed scope in the subscription's extensions), without waiting. */
  async function subscribeRaw(query: string, variables: Record<string, unknown>, scope?: AccessScope, on: Client = client): Promise<Subscription> {
    const results: Result[] = [];
    let taken = 0;
    let wake: (() => void) | undefined;
    let settle: (value: unknown) => void = () => undefined;
    const ended = new Promise<unknown>((resolve) => (settle = resolve));
    const extensions = scope ? { scope: (await scopeHeaders(scope))[SCOPE_HEADER] } : undefined;
    const unsubscribe = on.subscribe<Record<string, any>>(
      { query, variables, extensions },
      {
        next: (result) => {
          results.push(result as Result);
          wake?.();
        },
        error: (error) => settle(error),
        complete: () => settle(undefined),
      },
    );
    return {
      results,
      ended,
      unsubscribe,
      async next() {
        const deadline = Date.now() + 5000;
        while (results.length <= taken) {
          const left = deadline - Date.now();
          if (left <= 0) throw new Error(`no result within 5 s (had ${results.length}: ${JSON.stringify(results)})`);
          await new Promise<void>((resolve) => {
            wake = resolve;
            setTimeout(resolve, left);
          });
        }
        return results[taken++];
      },
    };
  }

  /** Subscribes and waits until the subgraph listens for it, so no later change can be missed. */
  async function subscribe(query: string, variables: Record<string, unknown>, scope?: AccessScope, on: Client = client): Promise<Subscription> {
    const before = subgraph.events.subscriptionCount;
    const sub = await subscribeRaw(query, variables, scope, on);
    await until(() => subgraph.events.subscriptionCount > before, 'the subscription to be listening');
    return sub;
  }

  const SESSION_CHANGED = `subscription($id: ID!) { sessionChanged(id: $id) { id topic status currentPhase attendanceCount } }`;

  beforeAll(async () => {
    subgraph = await createSessionsSubgraph(config);
    url = await subgraph.listen(0);
    wsUrl = url.replace('http', 'ws');
    client = newClient(await scopeHeaders(SYSTEM_SCOPE));
    comA = await createCommunity('alpha', program, 'Alpha group');
    comO = await createCommunity('other', program, 'Other group');
    cop = await createCommunity('nat', program, 'National CoP');
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await subgraph.stop();
    await dropTestDatabases(config);
  });

  it('sends every change of a session, in commit order, as the subscriber sees it', async () => {
    const id = await schedule(comA, 'Routines');
    const owner = await subscribe(SESSION_CHANGED, { id }, adminA);
    const checkIns = await subscribe(`subscription($id: ID!) { sessionCheckIns(sessionId: $id) { id attendanceCount attendance { attendeeRef kind } } }`, { id }, adminA);

    // Each event is the session as it is when the event is resolved, so a client that waits for
    // one change's event before making the next sees every state; one that does not may see a
    // later state in an earlier event (never an earlier one).
    const seen = [];
    await start(id);
    seen.push(await owner.next());
    await setPhase(id, 'Discuss', facilitator('alpha', facA1));
    seen.push(await owner.next());
    const checked = await checkIn(id, participant('p-1'));
    expect(checked.errors).toBeUndefined();
    expect(checked.data?.checkIn).toEqual({ id, attendanceCount: 1 });
    seen.push(await owner.next());
    await end(id);
    seen.push(await owner.next());
    expect(seen.map((r) => r.errors)).toEqual([undefined, undefined, undefined, undefined]);
    expect(seen.map((r) => r.data?.sessionChanged)).toEqual([
      { id, topic: 'Routines', status: 'LIVE', currentPhase: 'Share', attendanceCount: 0 },
      { id, topic: 'Routines', status: 'LIVE', currentPhase: 'Discuss', attendanceCount: 0 },
      { id, topic: 'Routines', status: 'LIVE', currentPhase: 'Discuss', attendanceCount: 1 },
      { id, topic: 'Routines', status: 'ENDED', currentPhase: null, attendanceCount: 1 },
    ]);
    // the check-in is the only attendance change: its subscribers hear of nothing else
    expect(await checkIns.next()).toEqual({ data: { sessionCheckIns: { id, attendanceCount: 1, attendance: [{ attendeeRef: 'p-1', kind: 'PARTICIPANT' }] } } });
    expect(checkIns.results).toHaveLength(1);
    owner.unsubscribe();
    checkIns.unsubscribe();
  });

  it('sends another organisation\'s subscriber nothing of a session it cannot see', async () => {
    const id = await schedule(comA, 'Private');
    const owner = await subscribe(SESSION_CHANGED, { id }, adminA);
    const stranger = await subscribe(SESSION_CHANGED, { id }, otherAdmin);
    await start(id);
    // positive control: the same committed event reached the owner's subscription
    expect((await owner.next()).data?.sessionChanged).toMatchObject({ id, status: 'LIVE' });
    await setPhase(id, 'Apply');
    expect((await owner.next()).data?.sessionChanged).toMatchObject({ id, currentPhase: 'Apply' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(stranger.results).toEqual([]);
    owner.unsubscribe();
    stranger.unsubscribe();
  });

  it('keeps who came to those who may see it, while counts go to every subscriber within the wall', async () => {
    const id = await schedule(comA, 'Counted');
    await start(id);
    const query = `subscription($id: ID!) { sessionCheckIns(sessionId: $id) { attendanceCount attendance { attendeeRef } } }`;
    const guest = await subscribe(query, { id }, participant('p-2'));
    const lead = await subscribe(query, { id }, facilitator('alpha', facA1));
    expect((await checkIn(id, participant('p-2'))).errors).toBeUndefined();
    expect(await lead.next()).toEqual({ data: { sessionCheckIns: { attendanceCount: 1, attendance: [{ attendeeRef: 'p-2' }] } } });
    const seen = await guest.next();
    expect(seen.data?.sessionCheckIns).toEqual({ attendanceCount: 1, attendance: null });
    expect(seen.errors?.map((e) => [e.extensions?.code, e.path?.join('.')])).toEqual([['FORBIDDEN', 'sessionCheckIns.attendance']]);
    guest.unsubscribe();
    lead.unsubscribe();
  });

  it('sends nothing for a change that was rolled back: a later committed change arrives first', async () => {
    const id = await schedule(comA, 'Before');
    const sub = await subscribe(SESSION_CHANGED, { id }, adminA);
    await start(id);
    // the start's own event first: it may still be on its way when the subscription starts otherwise
    expect((await sub.next()).data?.sessionChanged).toMatchObject({ id, status: 'LIVE' });
    // a refused mutation (not one of the session's phases)
    const refused = await gql(adminA, `mutation($id: ID!) { setSessionPhase(input: { sessionId: $id, phase: "Nope" }) { id } }`, { id });
    expect(errorCode(refused)).toBe('BAD_USER_INPUT');
    // published, then the whole transaction rolled back
    await expect(
      withScope(subgraph.requestDataSource, adminA, async (m) => {
        await publishEvent(m, { topic: 'session', key: id, data: { sessionId: id } });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    // published in a savepoint that was rolled back, inside a transaction that commits
    await withScope(subgraph.requestDataSource, adminA, async (m) => {
      await inTransaction(m, async (s) => {
        await publishEvent(s, { topic: 'session', key: id, data: { sessionId: id } });
        throw new Error('savepoint rolled back');
      }).catch(() => undefined);
    });
    await run(adminA, `mutation($id: ID!) { updateSession(id: $id, input: { topic: "After" }) { id } }`, { id });
    expect((await sub.next()).data?.sessionChanged).toMatchObject({ id, topic: 'After' });
    expect(sub.results).toHaveLength(2);
    sub.unsubscribe();
  });

  it('sends a program\'s and a community\'s live sessions as they start, change phase, end or are cancelled', async () => {
    const id = await schedule(comA, 'Going live');
    const elsewhere = await schedule(await createCommunity('alpha', otherProgram, 'Elsewhere'), 'Not this program');
    const dropped = await schedule(comA, 'Dropped');
    const query = `subscription($p: ID, $c: ID) { liveSessions(programId: $p, communityId: $c) { id status currentPhase } }`;
    const byProgram = await subscribe(query, { p: program }, adminA);
    const byCommunity = await subscribe(query, { c: comA }, adminA);
    // an event shows the session as it is when resolved: wait for each change's event before the next
    const seen: { program: unknown[]; community: unknown[] } = { program: [], community: [] };
    const next = async () => {
      seen.program.push((await byProgram.next()).data?.liveSessions);
      seen.community.push((await byCommunity.next()).data?.liveSessions);
    };
    try {
      await start(elsewhere);
      await start(id);
      await next();
      await setPhase(id, 'Discuss');
      await next();
      await run(adminA, `mutation($id: ID!) { cancelSession(id: $id) { id } }`, { id: dropped });
      await next();
      await end(id);
      await next();
      const expected = [
        { id, status: 'LIVE', currentPhase: 'Share' },
        { id, status: 'LIVE', currentPhase: 'Discuss' },
        { id: dropped, status: 'CANCELLED', currentPhase: null },
        { id, status: 'ENDED', currentPhase: null },
      ];
      // the session of the other program never came: the first event is this program's
      expect(seen.program).toEqual(expected);
      expect(seen.community).toEqual(expected);
    } finally {
      byProgram.unsubscribe();
      byCommunity.unsubscribe();
    }
  });

  it('leaves other organisations\' sessions out of a program\'s live sessions: its own arrive, the others never', async () => {
    const alphas = await schedule(comA, 'Alpha live');
    const others = await schedule(comO, 'Other live', [facO1]);
    const query = `subscription($p: ID!) { liveSessions(programId: $p) { id } }`;
    const owner = await subscribe(query, { p: program }, adminA);
    const stranger = await subscribe(query, { p: program }, otherAdmin);
    await start(alphas);
    await start(others, otherAdmin);
    // events are sent in commit order: the stranger's first is its own, so alpha's was filtered out
    expect((await stranger.next()).data?.liveSessions).toEqual({ id: others });
    expect((await owner.next()).data?.liveSessions).toEqual({ id: alphas });
    expect(stranger.results).toHaveLength(1);
    owner.unsubscribe();
    stranger.unsubscribe();
  });

  it('asks for exactly one of programId and communityId, and for session IDs', async () => {
    const neither = await subscribeRaw(`subscription { liveSessions { id } }`, {}, adminA);
    const both = await subscribeRaw(`subscription($p: ID, $c: ID) { liveSessions(programId: $p, communityId: $c) { id } }`, { p: program, c: comA }, adminA);
    const malformed = await subscribeRaw(SESSION_CHANGED, { id: 'nope' }, adminA);
    for (const sub of [neither, both, malformed]) {
      // refused in its subscribe function: one result with the error, then complete
      expect(await sub.ended).toBeUndefined();
      expect(sub.results).toEqual([{ errors: [expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) })] }]);
    }
    expect(neither.results[0].errors?.[0].extensions?.fields).toEqual([
      expect.objectContaining({ field: 'programId' }),
      expect.objectContaining({ field: 'communityId' }),
    ]);
    expect(malformed.results[0].errors?.[0].extensions?.fields).toEqual([expect.objectContaining({ field: 'id' })]);
  });

  it('closes a connection that carries no scope signed by the gateway (4403)', async () => {
    const forger = new ScopeSigner(generateGatewayKeyPair().privateKey);
    for (const params of [undefined, { [SCOPE_HEADER]: await forger.sign(SYSTEM_SCOPE) }]) {
      const sub = await subscribeRaw(SESSION_CHANGED, { id: newId('alpha', 'ses') }, undefined, newClient(params));
      expect(await sub.ended).toMatchObject({ code: 4403 });
    }
  });

  it('refuses a subscription whose own scope is forged', async () => {
    const forger = new ScopeSigner(generateGatewayKeyPair().privateKey);
    const results: Result[] = [];
    const errors = await new Promise<unknown>((resolve) => {
      void forger.sign(adminA).then((scope) =>
        client.subscribe({ query: SESSION_CHANGED, variables: { id: newId('alpha', 'ses') }, extensions: { scope } }, {
          next: (r) => results.push(r as Result),
          error: resolve,
          complete: () => resolve(undefined),
        }),
      );
    });
    expect((errors as { extensions?: { code?: string } }[]).map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
  });

  it('stops listening when subscribers leave, and nothing is left once all have', async () => {
    const id = await schedule(comA, 'Leaving');
    const before = subgraph.events.subscriptionCount;
    const own = newClient(await scopeHeaders(SYSTEM_SCOPE));
    const subs = [
      await subscribe(SESSION_CHANGED, { id }, adminA, own),
      await subscribe(SESSION_CHANGED, { id }, adminA, own),
      await subscribe(`subscription($p: ID!) { liveSessions(programId: $p) { id } }`, { p: program }, adminA, own),
    ];
    expect(subgraph.events.subscriptionCount).toBe(before + 3);
    subs[0].unsubscribe();
    await until(() => subgraph.events.subscriptionCount === before + 2, 'the unsubscribed one to stop');
    await own.dispose();
    await until(() => subgraph.events.subscriptionCount === before, 'the closed connection\'s subscriptions to stop');
    // every earlier test unsubscribed too
    await until(() => subgraph.events.subscriptionCount === 0, 'every subscription to stop');
  });

  describe('checkIn', () => {
    let live: string;
    let onCop: string;
    beforeAll(async () => {
      live = await schedule(comA, 'Check-ins');
      await start(live);
      onCop = await schedule(cop, 'CoP', [facA1]);
      await start(onCop, SYSTEM_SCOPE);
    });

    it('checks a participant in once, however often it asks', async () => {
      const sub = await subscribe(`subscription($id: ID!) { sessionCheckIns(sessionId: $id) { attendanceCount } }`, { id: live }, adminA);
      const first = await checkIn(live, participant('p-9'));
      const again = await checkIn(live, participant('p-9'));
      expect(first.data?.checkIn.attendanceCount).toBe(1);
      expect(again.data?.checkIn.attendanceCount).toBe(1);
      expect(await sub.next()).toEqual({ data: { sessionCheckIns: { attendanceCount: 1 } } });
      // positive control: the next real check-in is the next event, so the repeat published nothing
      await checkIn(live, participant('p-10'));
      expect(await sub.next()).toEqual({ data: { sessionCheckIns: { attendanceCount: 2 } } });
      sub.unsubscribe();
    });

    it('records a facilitator as FACILITATOR, also in a session of another organisation it does not facilitate', async () => {
      for (const [session, scope] of [[live, facilitator('alpha', facA2)], [onCop, facilitator('alpha', facA2)]] as const) {
        const res = await checkIn(session, scope);
        expect(res.errors).toBeUndefined();
      }
      const res = await gql(SYSTEM_SCOPE, `query($a: ID!, $b: ID!) { a: session(id: $a) { attendance { attendeeRef kind } } b: session(id: $b) { attendance { attendeeRef kind } } }`, {
        a: live,
        b: onCop,
      });
      expect(res.data?.a.attendance).toContainEqual({ attendeeRef: `person-${facA2}`, kind: 'FACILITATOR' });
      expect(res.data?.b.attendance).toEqual([{ attendeeRef: `person-${facA2}`, kind: 'FACILITATOR' }]);
    });

    it('refuses a session that is not LIVE (BAD_USER_INPUT), outside the wall (NOT_FOUND) and other roles (FORBIDDEN)', async () => {
      const scheduled = await schedule(comA, 'Not yet');
      const notLive = await checkIn(scheduled, participant('p-11'));
      expect(errorCode(notLive)).toBe('BAD_USER_INPUT');
      expect(notLive.errors?.[0].extensions?.fields).toEqual([expect.objectContaining({ field: 'sessionId' })]);
      const outside = await checkIn(live, participant('p-12', 'other'));
      expect(errorCode(outside)).toBe('NOT_FOUND');
      expect(outside.errors?.[0].extensions?.fields).toEqual([expect.objectContaining({ field: 'sessionId' })]);
      for (const scope of [adminA, scopeOf('national-manager', { organisation: 'nat', organisations: ['nat', 'alpha'], programs: [program] })]) {
        expect(errorCode(await checkIn(live, scope))).toBe('FORBIDDEN');
      }
      const res = await gql(SYSTEM_SCOPE, `query($a: ID!) { session(id: $a) { attendance { attendeeRef } } }`, { a: scheduled });
      expect(res.data?.session.attendance).toEqual([]);
    });
  });
});
