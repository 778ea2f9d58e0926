import { createFeedbackSubgraph, POLL_TOPIC } from '@hub/feedback';
import { newId, newUntimedId, publishEvent, type AccessScope, type Subgraph } from '@hub/core';
import type { ExecutionResult } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { dropTestDatabases, testSubgraphConfig } from '../../../test/support/database';
import { errorCode, postGraphQL } from '../../../test/support/graphql';
import { partnerAdmin, scopeHeaders, scopeOf, SYSTEM_SCOPE } from '../../../test/support/scopes';

const A = 'alpha';
const B = 'beta';
const MANAGER = 'natmgr';
const PROGRAM = newId(MANAGER, 'prg');
const SESSION_A = newId(A, 'ses');
const COMMUNITY_A = newId(A, 'com');
const SESSION_B = newId(B, 'ses');

/** How long a subscription is watched for an event that must not come (after a positive control has arrived). */
const QUIET_MS = 250;

type Result = ExecutionResult<Record<string, any>>;

/** One subscription's received results, in order. */
interface Feed {
  /** The next result (waiting up to 5 s for it). */
  next(): Promise<Result>;
  /** Nothing (more) has arrived within QUIET_MS. */
  expectQuiet(): Promise<void>;
  stop(): void;
}

describe('feedback subscriptions (graphql-ws)', () => {
  const config = testSubgraphConfig('feedback');
  let subgraph: Subgraph;
  let url: string;
  let client: Client;
  /** Every subscription started by the current test, stopped after it even when it failed. */
  let started: (() => void)[] = [];

  const adminA = partnerAdmin(A, [MANAGER], [PROGRAM]);
  const adminB = partnerAdmin(B, [MANAGER], [PROGRAM]);
  const facilitatorA = scopeOf('facilitator', { subject: 'fac-a', organisation: A, facilitator: newId(A, 'fac'), organisations: [A, MANAGER], programs: [PROGRAM] });
  const managerScope = scopeOf('national-manager', { organisation: MANAGER, organisations: [MANAGER, A, B], programs: [PROGRAM] });
  /** A participant of A's groups (each answerer its own subject). */
  const participantA = (subject: string) => scopeOf('participant', { subject, organisations: [A, MANAGER], programs: [PROGRAM] });
  const participantB = (subject: string) => scopeOf('participant', { subject, organisations: [B, MANAGER], programs: [PROGRAM] });

  const gql = async (query: string, variables: Record<string, unknown> | undefined, scope: AccessScope) => postGraphQL(url, query, variables, await scopeHeaders(scope));

  const CREATE = `mutation($input: CreatePollInput!) { createPoll(input: $input) { id resultsVisibility } }`;
  const SUBMIT = `mutation($input: SubmitResponseInput!) { submitResponse(input: $input) { accepted } }`;
  const CLOSE = `mutation($id: ID!) { closePoll(id: $id) { id status } }`;

  async function createPoll(scope: AccessScope, input: Record<string, unknown>): Promise<string> {
    const res = await gql(CREATE, { input: { programId: PROGRAM, kind: 'POLL', question: 'How was it?', answerType: 'CHOICE', options: ['Good', 'Poor'], ...input } }, scope);
    expect(res.errors).toBeUndefined();
    return res.data?.createPoll.id;
  }

  async function submit(scope: AccessScope, pollId: string, choice = 0) {
    return gql(SUBMIT, { input: { pollId, choice } }, scope);
  }

  async function until(condition: () => boolean, what: string, ms = 5000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Starts a subscription as `scope` and waits until the subgraph listens for its events. */
  async function follow(query: string, variables: Record<string, unknown>, scope: AccessScope): Promise<Feed> {
    const before = subgraph.events.subscriptionCount;
    const received: Result[] = [];
    let wake: (() => void) | undefined;
    const push = (r: Result) => {
      received.push(r);
      wake?.();
    };
    const stop = client.subscribe<Record<string, any>>(
      { query, variables, extensions: { scope: (await scopeHeaders(scope))['x-hub-scope'] } },
      {
        next: (r) => push(r as Result),
        error: (e) => push({ errors: Array.isArray(e) ? e : [e as never] }),
        complete: () => undefined,
      },
    );
    started.push(stop);
    await until(() => subgraph.events.subscriptionCount > before || received.length > 0, 'the subscription to start');
    return {
      async next() {
        const deadline = Date.now() + 5000;
        while (received.length === 0) {
          if (Date.now() > deadline) throw new Error('no event within 5 s');
          await new Promise<void>((resolve) => {
            wake = resolve;
            setTimeout(resolve, 100);
          });
        }
        return received.shift() as Result;
      },
      async expectQuiet() {
        await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
        expect(received).toEqual([]);
      },
      stop,
    };
  }

  const POLL_RESULTS = `subscription($id: ID!) { pollResults(pollId: $id) { id status resultsVisibility results { responseCount suppressed minimumGroupSize options { label count } } } }`;
  const CHECK_INS = `subscription($c: ID, $s: ID) { checkInResponses(communityId: $c, sessionId: $s) { id kind community { id } session { id } } }`;

  beforeAll(async () => {
    subgraph = await createFeedbackSubgraph(config);
    url = await subgraph.listen(0);
    client = createClient({
      url: subgraph.url().replace('http', 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: await scopeHeaders(SYSTEM_SCOPE),
      retryAttempts: 0,
    });
  });
  afterEach(async () => {
    for (const stop of started) stop();
    started = [];
    // the subgraph lets go of every stopped subscription
    await until(() => subgraph.events.subscriptionCount === 0, 'the subscriptions to end');
  });
  afterAll(async () => {
    await client?.dispose();
    await subgraph.stop();
    await dropTestDatabases(config);
  });

  it('sends live results on every answer, suppressed until the minimum group size (default 5 at the subgraph) and shown from then on', async () => {
    const pollId = await createPoll(adminA, { organisationId: A, sessionId: SESSION_A });
    const feed = await follow(POLL_RESULTS, { id: pollId }, facilitatorA);
    for (let i = 1; i <= 6; i++) {
      expect((await submit(participantA(`live-${i}`), pollId, i === 6 ? 1 : 0)).errors).toBeUndefined();
      const event = await feed.next();
      expect(event.errors).toBeUndefined();
      const poll = event.data?.pollResults;
      expect(poll).toMatchObject({ id: pollId, status: 'OPEN', resultsVisibility: 'LIVE' });
      if (i < 5) {
        expect(poll.results).toEqual({ responseCount: null, suppressed: true, minimumGroupSize: 5, options: [{ label: 'Good', count: null }, { label: 'Poor', count: null }] });
      } else if (i === 5) {
        expect(poll.results).toEqual({ responseCount: 5, suppressed: false, minimumGroupSize: 5, options: [{ label: 'Good', count: 5 }, { label: 'Poor', count: 0 }] });
      } else {
        // one "Poor" among six: hidden, and "Good" with it (complementary suppression)
        expect(poll.results).toEqual({ responseCount: 6, suppressed: false, minimumGroupSize: 5, options: [{ label: 'Good', count: null }, { label: 'Poor', count: null }] });
      }
    }
    // closing is an event too
    expect((await gql(CLOSE, { id: pollId }, adminA)).errors).toBeUndefined();
    expect((await feed.next()).data?.pollResults).toMatchObject({ id: pollId, status: 'CLOSED', results: { responseCount: 6 } });
    feed.stop();
  });

  it('sends nothing for an AFTER_CLOSE poll until it closes, then its results; queries withhold them until then as well', async () => {
    const create = await gql(CREATE, { input: { organisationId: A, programId: PROGRAM, communityId: COMMUNITY_A, kind: 'POLL', question: 'Q?', answerType: 'CHOICE', options: ['Yes', 'No'], resultsVisibility: 'AFTER_CLOSE' } }, adminA);
    expect(create.data?.createPoll.resultsVisibility).toBe('AFTER_CLOSE');
    const pollId = create.data?.createPoll.id;
    const feed = await follow(POLL_RESULTS, { id: pollId }, adminA);
    // a LIVE poll answered alongside: its events show the answers do get through
    const livePoll = await createPoll(adminA, { organisationId: A, communityId: COMMUNITY_A });
    const live = await follow(POLL_RESULTS, { id: livePoll }, adminA);
    for (let i = 0; i < 5; i++) {
      expect((await submit(participantA(`after-${i}`), pollId)).errors).toBeUndefined();
      expect((await submit(participantA(`after-${i}`), livePoll)).errors).toBeUndefined();
      expect((await live.next()).data?.pollResults.id).toBe(livePoll);
    }
    const RESULTS = `query($id: ID!) { poll(id: $id) { results { responseCount suppressed options { count } } } }`;
    // withheld from everyone, the organisation's own admins included
    for (const scope of [adminA, managerScope, SYSTEM_SCOPE]) {
      expect((await gql(RESULTS, { id: pollId }, scope)).data?.poll.results).toEqual({ responseCount: null, suppressed: true, options: [{ count: null }, { count: null }] });
    }
    expect((await gql(CLOSE, { id: pollId }, adminA)).errors).toBeUndefined();
    // the first event of the AFTER_CLOSE poll is its closing, with the results
    const closed = await feed.next();
    expect(closed.errors).toBeUndefined();
    expect(closed.data?.pollResults).toEqual({
      id: pollId,
      status: 'CLOSED',
      resultsVisibility: 'AFTER_CLOSE',
      results: { responseCount: 5, suppressed: false, minimumGroupSize: 5, options: [{ label: 'Yes', count: 5 }, { label: 'No', count: 0 }] },
    });
    expect((await gql(RESULTS, { id: pollId }, adminA)).data?.poll.results).toEqual({ responseCount: 5, suppressed: false, options: [{ count: 5 }, { count: 0 }] });
    await feed.expectQuiet();
    feed.stop();
    live.stop();
  });

  it('sends a poll\'s events only to subscribers who may read it', async () => {
    const pollA = await createPoll(adminA, { organisationId: A, sessionId: SESSION_A });
    const pollB = await createPoll(adminB, { organisationId: B, sessionId: SESSION_B });
    const own = await follow(POLL_RESULTS, { id: pollA }, adminA);
    const other = await follow(POLL_RESULTS, { id: pollA }, adminB);
    const otherOwn = await follow(POLL_RESULTS, { id: pollB }, adminB);
    const manager = await follow(POLL_RESULTS, { id: pollA }, managerScope);
    expect((await submit(participantA('wall-1'), pollA)).errors).toBeUndefined();
    expect((await submit(participantB('wall-1'), pollB)).errors).toBeUndefined();
    // positive controls: A's admin and the program's national manager get A's poll; B's admin gets B's
    expect((await own.next()).data?.pollResults.id).toBe(pollA);
    expect((await manager.next()).data?.pollResults.id).toBe(pollA);
    expect((await otherOwn.next()).data?.pollResults.id).toBe(pollB);
    // B's admin, outside A's wall, gets nothing of A's poll
    await other.expectQuiet();
    for (const feed of [own, other, otherOwn, manager]) feed.stop();
  });

  it('tells the facilitators of a community of each check-in answer, and participants nothing', async () => {
    const checkIn = await createPoll(adminA, { organisationId: A, communityId: COMMUNITY_A, kind: 'CHECK_IN', answerType: 'RATING', options: null });
    const otherPoll = await createPoll(adminA, { organisationId: A, communityId: COMMUNITY_A, kind: 'POLL' });
    const facilitator = await follow(CHECK_INS, { c: COMMUNITY_A }, facilitatorA);
    const participant = await follow(CHECK_INS, { c: COMMUNITY_A }, participantA('checker'));
    const outsider = await follow(CHECK_INS, { c: COMMUNITY_A }, adminB);
    // an answer to a poll that is not a check-in tells nothing: the first event is the check-in's
    expect((await submit(participantA('ci-1'), otherPoll)).errors).toBeUndefined();
    expect((await gql(SUBMIT, { input: { pollId: checkIn, rating: 4 } }, participantA('ci-1'))).errors).toBeUndefined();
    const event = await facilitator.next();
    expect(event.errors).toBeUndefined();
    expect(event.data?.checkInResponses).toEqual({ id: checkIn, kind: 'CHECK_IN', community: { id: COMMUNITY_A }, session: null });
    await participant.expectQuiet();
    await outsider.expectQuiet();
    for (const feed of [facilitator, participant, outsider]) feed.stop();
  });

  it('follows a session\'s check-ins by sessionId, apart from its community\'s', async () => {
    const sessionCheckIn = await createPoll(adminA, { organisationId: A, sessionId: SESSION_A, kind: 'CHECK_IN', answerType: 'TEXT', options: null });
    const communityCheckIn = await createPoll(adminA, { organisationId: A, communityId: COMMUNITY_A, kind: 'CHECK_IN', answerType: 'TEXT', options: null });
    const bySession = await follow(CHECK_INS, { s: SESSION_A }, adminA);
    const byCommunity = await follow(CHECK_INS, { c: COMMUNITY_A }, managerScope);
    expect((await gql(SUBMIT, { input: { pollId: sessionCheckIn, text: 'Tired but here' } }, participantA('s-1'))).errors).toBeUndefined();
    expect((await gql(SUBMIT, { input: { pollId: communityCheckIn, text: 'Good week' } }, participantA('s-1'))).errors).toBeUndefined();
    expect((await bySession.next()).data?.checkInResponses).toEqual({ id: sessionCheckIn, kind: 'CHECK_IN', community: null, session: { id: SESSION_A } });
    // the community's follower gets its own check-in first: the session's was never sent to it
    expect((await byCommunity.next()).data?.checkInResponses.id).toBe(communityCheckIn);
    await bySession.expectQuiet();
    bySession.stop();
    byCommunity.stop();
  });

  it.each([
    ['neither a community nor a session', {}, ['communityId', 'sessionId']],
    ['both a community and a session', { c: COMMUNITY_A, s: SESSION_A }, ['communityId', 'sessionId']],
    ['a session ID as the community', { c: SESSION_A }, ['communityId']],
  ])('refuses a check-in subscription with %s', async (_case, variables, named) => {
    const feed = await follow(CHECK_INS, variables, facilitatorA);
    const res = await feed.next();
    expect(errorCode(res as never)).toBe('BAD_USER_INPUT');
    expect((res.errors?.[0]?.extensions?.fields as { field: string }[]).map((f) => f.field)).toEqual(named);
    expect(subgraph.events.subscriptionCount).toBe(0);
    feed.stop();
  });

  it('refuses a malformed poll ID', async () => {
    const feed = await follow(POLL_RESULTS, { id: 'poll-1' }, facilitatorA);
    expect(errorCode((await feed.next()) as never)).toBe('BAD_USER_INPUT');
    feed.stop();
  });

  it('sends nothing for an answer that is rolled back', async () => {
    const pollId = await createPoll(adminA, { organisationId: A, communityId: COMMUNITY_A });
    for (let i = 0; i < 5; i++) expect((await submit(participantA(`rb-${i}`), pollId)).errors).toBeUndefined();
    const feed = await follow(POLL_RESULTS, { id: pollId }, adminA);
    const checkIns = await follow(CHECK_INS, { c: COMMUNITY_A }, adminA);

    // a second answer by the same person is refused (CONFLICT) and its transaction rolled back
    const again = await submit(participantA('rb-0'), pollId, 1);
    expect(errorCode(again)).toBe('CONFLICT');
    // a change published inside a transaction that then rolls back (the answer and its event together)
    await subgraph.dataSource
      .transaction(async (m) => {
        await m.query(`INSERT INTO response (id, poll_id, choice) VALUES ($1, $2, 1)`, [newUntimedId(A, 'rsp'), pollId]);
        await publishEvent(m, { topic: POLL_TOPIC, key: pollId, data: { pollId } });
        throw new Error('roll back');
      })
      .catch((e: Error) => expect(e.message).toBe('roll back'));

    // positive control: the next answer's event is the first to come, counting only committed answers
    expect((await submit(participantA('rb-5'), pollId)).errors).toBeUndefined();
    expect((await feed.next()).data?.pollResults.results).toMatchObject({ responseCount: 6, options: [{ label: 'Good', count: 6 }, { label: 'Poor', count: 0 }] });
    await feed.expectQuiet();
    // not a check-in poll: nothing on the community's check-ins either
    await checkIns.expectQuiet();
    feed.stop();
    checkIns.stop();
  });

  it('lets go of the events when a subscriber unsubscribes or its connection closes', async () => {
    const pollId = await createPoll(adminA, { organisationId: A, sessionId: SESSION_A });
    const a = await follow(POLL_RESULTS, { id: pollId }, adminA);
    const b = await follow(CHECK_INS, { s: SESSION_A }, adminA);
    expect(subgraph.events.subscriptionCount).toBe(2);
    a.stop();
    await until(() => subgraph.events.subscriptionCount === 1, 'one subscription to end');
    b.stop();
    await until(() => subgraph.events.subscriptionCount === 0, 'both subscriptions to end');

    // a connection that goes away takes its subscriptions with it
    const other = createClient({ url: subgraph.url().replace('http', 'ws'), webSocketImpl: WebSocket, connectionParams: await scopeHeaders(SYSTEM_SCOPE), retryAttempts: 0 });
    const token = (await scopeHeaders(adminA))['x-hub-scope'];
    other.subscribe({ query: POLL_RESULTS, variables: { id: pollId }, extensions: { scope: token } }, { next: () => undefined, error: () => undefined, complete: () => undefined });
    await until(() => subgraph.events.subscriptionCount === 1, 'the subscription to start');
    await other.dispose();
    await until(() => subgraph.events.subscriptionCount === 0, 'the closed connection\'s subscription to end');
  });
});
