import { Community, createSessionsSubgraph, Session, SessionFacilitator } from '@hub/sessions';
import { generateGatewayKeyPair, newId, SCOPE_HEADER, SCOPE_STATEMENTS, ScopeSigner, withScope, type AccessScope, type Subgraph } from '@hub/core';
import { dropTestDatabases, testSubgraphConfig } from '../../../test/support/database';
import { errorCode, postGraphQL, type GraphQLResponse } from '../../../test/support/graphql';
import { partnerAdmin, scopeHeaders, scopeOf, SYSTEM_SCOPE } from '../../../test/support/scopes';

/**
 * docs/access.md for the sessions subgraph: the tenant wall (partner admins A and B of one program,
 * whose national manager is `nat`), who may run a session, who sees who came, and row-level security.
 */
describe('sessions access', () => {
  const config = testSubgraphConfig('sessions');
  let subgraph: Subgraph;
  let url: string;
  const gql = async (scope: AccessScope, query: string, variables?: Record<string, unknown>) =>
    postGraphQL(url, query, variables, await scopeHeaders(scope));
  const sys = (query: string, variables?: Record<string, unknown>) => gql(SYSTEM_SCOPE, query, variables);

  const program = newId('nat', 'prg');
  const [facA1, facA2, facB1] = [newId('alpha', 'fac'), newId('alpha', 'fac'), newId('beta', 'fac')];
  const adminA = partnerAdmin('alpha', ['nat'], [program]);
  const adminB = partnerAdmin('beta', ['nat'], [program]);
  const facilitator = (organisation: string, id: string) =>
    scopeOf('facilitator', { organisation, facilitator: id, organisations: [organisation, 'nat'], programs: [program], subject: `person-${id}` });
  const participant = (subject: string, organisation: string) => scopeOf('participant', { subject, organisations: [organisation, 'nat'], programs: [program] });
  const manager = (sessions: string[] = []) =>
    scopeOf('national-manager', { organisation: 'nat', organisations: ['nat', 'alpha', 'beta'], programs: [program], shares: { contacts: [], sessions, engagements: [] } });

  let comA: string;
  let comB: string;
  let cop: string;
  let sAPast: string;
  let sALive: string;
  let sBPast: string;
  let sBNext: string;
  let sCop: string;

  async function createCommunity(organisationId: string, name: string, kind = 'GROUP'): Promise<string> {
    const res = await sys(`mutation($input: CreateCommunityInput!) { createCommunity(input: $input) { id } }`, {
      input: { organisationId, programId: program, kind, name, mode: 'ONLINE' },
    });
    expect(res.errors).toBeUndefined();
    return res.data?.createCommunity.id;
  }

  async function schedule(communityId: string, topic: string, startsAt: string, facilitatorIds: string[]): Promise<string> {
    const endsAt = new Date(new Date(startsAt).getTime() + 3600_000).toISOString();
    const res = await sys(`mutation($input: ScheduleSessionInput!) { scheduleSession(input: $input) { id } }`, {
      input: { communityId, topic, startsAt, endsAt, facilitatorIds },
    });
    expect(res.errors).toBeUndefined();
    return res.data?.scheduleSession.id;
  }

  async function endWithAttendance(id: string, refs: string[], unidentified: number): Promise<void> {
    const ended = await sys(`mutation($id: ID!) { endSession(id: $id) { id } }`, { id });
    expect(ended.errors).toBeUndefined();
    const res = await sys(`mutation($id: ID!, $a: [AttendeeInput!]!, $u: Int!) {
      recordAttendance(input: { sessionId: $id, attendees: $a, unidentifiedAttendees: $u }) { id }
    }`, { id, a: refs.map((attendeeRef) => ({ attendeeRef })), u: unidentified });
    expect(res.errors).toBeUndefined();
  }

  /** Everything stored about B's records, as the owner sees it. */
  const snapshotOfB = async () =>
    sys(`query($c: ID!, $past: ID!, $next: ID!) {
      community(id: $c) { name purpose kind cadence maturityStage updatedAt sessionCount }
      past: session(id: $past) { topic status startsAt facilitators { id } attendance { attendeeRef } unidentifiedAttendees rsvps { participantRef response } updatedAt }
      next: session(id: $next) { topic status startsAt currentPhase facilitators { id } attendance { attendeeRef } rsvps { participantRef response } updatedAt }
      communities(filter: { organisationId: "beta" }) { totalCount }
    }`, { c: comB, past: sBPast, next: sBNext });

  const fieldsOf = (res: GraphQLResponse<unknown>) => res.errors?.[0]?.extensions?.fields;

  beforeAll(async () => {
    subgraph = await createSessionsSubgraph(config);
    url = await subgraph.listen(0);
    comA = await createCommunity('alpha', 'Alpha group');
    comB = await createCommunity('beta', 'Beta group');
    cop = await createCommunity('nat', 'National CoP', 'COMMUNITY_OF_PRACTICE');
    sAPast = await schedule(comA, 'Alpha past', '2025-02-01T09:00:00Z', [facA1]);
    sALive = await schedule(comA, 'Alpha next', '2099-01-01T09:00:00Z', [facA1]);
    sBPast = await schedule(comB, 'Beta past', '2025-02-02T09:00:00Z', [facB1, facA1]);
    sBNext = await schedule(comB, 'Beta next', '2099-01-02T09:00:00Z', [facB1]);
    sCop = await schedule(cop, 'CoP meeting', '2099-01-03T09:00:00Z', [facA1]);
    await endWithAttendance(sAPast, ['p-a1', 'p-a2'], 1);
    await endWithAttendance(sBPast, ['p-b1'], 2);
    const rsvpA = await gql(participant('p-a1', 'alpha'), `mutation($id: ID!) { setRsvp(input: { sessionId: $id, response: GOING }) { id } }`, { id: sALive });
    expect(rsvpA.errors).toBeUndefined();
    const rsvpB = await gql(participant('p-b1', 'beta'), `mutation($id: ID!) { setRsvp(input: { sessionId: $id, response: MAYBE }) { id } }`, { id: sBNext });
    expect(rsvpB.errors).toBeUndefined();
  });
  afterAll(async () => {
    await subgraph.stop();
    await dropTestDatabases(config);
  });

  describe('the scope header', () => {
    it('refuses a request without it: HTTP 401 UNAUTHENTICATED', async () => {
      const res = await postGraphQL(url, `{ sessions { totalCount } }`);
      expect(res.status).toBe(401);
      expect(errorCode(res)).toBe('UNAUTHENTICATED');
      expect(res.data).toBeUndefined();
    });

    it('refuses a scope signed by anyone but the gateway: HTTP 403', async () => {
      const forger = new ScopeSigner(generateGatewayKeyPair().privateKey);
      const res = await postGraphQL(url, `{ sessions { totalCount } }`, undefined, { [SCOPE_HEADER]: await forger.sign(SYSTEM_SCOPE) });
      expect(res.status).toBe(403);
      expect(errorCode(res)).toBe('FORBIDDEN');
    });
  });

  describe('the tenant wall', () => {
    it('answers null for B\'s community and sessions by ID', async () => {
      const res = await gql(adminA, `query($b: ID!, $s: ID!, $a: ID!) {
        community(id: $b) { id } session(id: $s) { id } own: community(id: $a) { id }
      }`, { b: comB, s: sBNext, a: comA });
      expect(res.errors).toBeUndefined();
      expect(res.data).toEqual({ community: null, session: null, own: { id: comA } });
    });

    it('leaves B\'s records out of lists and their totals, even when filtered for', async () => {
      const res = await gql(adminA, `{
        communities { nodes { id } totalCount }
        sessions { nodes { id } totalCount }
        beta: communities(filter: { organisationId: "beta" }) { nodes { id } totalCount }
        betaSessions: sessions(filter: { organisationId: "beta" }) { totalCount }
        byFacilitator: sessions(filter: { facilitatorId: "${facA1}" }) { nodes { id } totalCount }
      }`);
      expect(res.errors).toBeUndefined();
      expect(res.data?.communities.nodes.map((n: { id: string }) => n.id).sort()).toEqual([comA, cop].sort());
      expect(res.data?.communities.totalCount).toBe(2);
      expect(res.data?.sessions.nodes.map((n: { id: string }) => n.id)).toEqual([sAPast, sALive, sCop]);
      expect(res.data?.sessions.totalCount).toBe(3);
      expect(res.data?.beta).toEqual({ nodes: [], totalCount: 0 });
      expect(res.data?.betaSessions.totalCount).toBe(0);
      // facA1 also facilitates one of B's sessions: not A's to see
      expect(res.data?.byFacilitator).toEqual({ nodes: [{ id: sAPast }, { id: sALive }, { id: sCop }], totalCount: 3 });
    });

    it('answers null for B\'s records asked for by _entities representation', async () => {
      const res = await gql(adminA, `query($r: [_Any!]!) { _entities(representations: $r) { ... on Community { id } ... on Session { id } } }`, {
        r: [
          { __typename: 'Community', id: comB },
          { __typename: 'Session', id: sBPast },
          { __typename: 'Community', id: comA },
          { __typename: 'Session', id: sAPast },
        ],
      });
      expect(res.errors).toBeUndefined();
      expect(res.data?._entities).toEqual([null, null, { id: comA }, { id: sAPast }]);
    });

    it('gives nothing of B\'s through Organisation, Program or Facilitator, and leaves B out of A\'s counts', async () => {
      const res = await gql(adminA, `query($r: [_Any!]!) { _entities(representations: $r) {
        ... on Organisation { id communities { nodes { id } totalCount } communityCount sessionCount attendanceCount }
        ... on Program { id communities { nodes { id } totalCount } sessionCount }
        ... on Facilitator { id sessionsFacilitated { nodes { id } totalCount } sessionsFacilitatedCount }
      } }`, {
        r: [
          { __typename: 'Organisation', id: 'beta' },
          { __typename: 'Organisation', id: 'alpha' },
          { __typename: 'Program', id: program },
          { __typename: 'Facilitator', id: facB1 },
          { __typename: 'Facilitator', id: facA1 },
        ],
      });
      expect(res.errors).toBeUndefined();
      const [beta, alpha, prog, fb, fa] = res.data?._entities;
      expect(beta).toEqual({ id: 'beta', communities: { nodes: [], totalCount: 0 }, communityCount: 0, sessionCount: 0, attendanceCount: 0 });
      expect(alpha).toEqual({ id: 'alpha', communities: { nodes: [{ id: comA }], totalCount: 1 }, communityCount: 1, sessionCount: 2, attendanceCount: 3 });
      expect(prog.communities.totalCount).toBe(2);
      expect(prog.communities.nodes.map((n: { id: string }) => n.id).sort()).toEqual([comA, cop].sort());
      expect(prog.sessionCount).toBe(3);
      // B's facilitator record is outside A's wall: as if absent
      expect(fb).toEqual({ id: facB1, sessionsFacilitated: null, sessionsFacilitatedCount: null });
      expect(fa).toEqual({ id: facA1, sessionsFacilitated: { nodes: [{ id: sAPast }, { id: sALive }, { id: sCop }], totalCount: 3 }, sessionsFacilitatedCount: 3 });
      // while B counts its own
      const own = await gql(adminB, `query($r: [_Any!]!) { _entities(representations: $r) { ... on Organisation { sessionCount attendanceCount } } }`, {
        r: [{ __typename: 'Organisation', id: 'beta' }],
      });
      expect(own.data?._entities).toEqual([{ sessionCount: 2, attendanceCount: 3 }]);
    });

    it('refuses every mutation of A on B\'s records as NOT_FOUND (or FORBIDDEN on a create) and changes nothing', async () => {
      const before = await snapshotOfB();
      expect(before.errors).toBeUndefined();
      const attempts: [AccessScope, string, Record<string, unknown>, string, string][] = [
        [adminA, `mutation($id: ID!) { updateCommunity(id: $id, input: { name: "Taken" }) { id } }`, { id: comB }, 'NOT_FOUND', 'id'],
        [adminA, `mutation($c: ID!) { scheduleSession(input: { communityId: $c, topic: "Ours", startsAt: "2099-02-01T00:00:00Z", endsAt: "2099-02-01T01:00:00Z" }) { id } }`, { c: comB }, 'NOT_FOUND', 'input.communityId'],
        [adminA, `mutation($p: ID!) { createCommunity(input: { organisationId: "beta", programId: $p, kind: GROUP, name: "Fake", mode: ONLINE }) { id } }`, { p: program }, 'FORBIDDEN', 'input.organisationId'],
        [adminA, `mutation($id: ID!) { updateSession(id: $id, input: { topic: "Taken" }) { id } }`, { id: sBNext }, 'NOT_FOUND', 'id'],
        [adminA, `mutation($id: ID!) { cancelSession(id: $id) { id } }`, { id: sBNext }, 'NOT_FOUND', 'id'],
        [adminA, `mutation($id: ID!) { startSession(id: $id) { id } }`, { id: sBNext }, 'NOT_FOUND', 'id'],
        [adminA, `mutation($id: ID!) { setSessionPhase(input: { sessionId: $id, phase: "Share" }) { id } }`, { id: sBNext }, 'NOT_FOUND', 'input.sessionId'],
        [adminA, `mutation($id: ID!) { endSession(id: $id) { id } }`, { id: sBNext }, 'NOT_FOUND', 'id'],
        [adminA, `mutation($id: ID!) { recordAttendance(input: { sessionId: $id, attendees: [], unidentifiedAttendees: 9 }) { id } }`, { id: sBPast }, 'NOT_FOUND', 'input.sessionId'],
        // A's facilitator rostered on B's session still cannot reach it: B is outside its wall
        [facilitator('alpha', facA1), `mutation($id: ID!) { recordAttendance(input: { sessionId: $id, attendees: [], unidentifiedAttendees: 9 }) { id } }`, { id: sBPast }, 'NOT_FOUND', 'input.sessionId'],
        [participant('p-a1', 'alpha'), `mutation($id: ID!) { setRsvp(input: { sessionId: $id, response: NOT_GOING }) { id } }`, { id: sBNext }, 'NOT_FOUND', 'input.sessionId'],
      ];
      for (const [scope, query, variables, code, field] of attempts) {
        const res = await gql(scope, query, variables);
        expect({ query, code: errorCode(res) }).toEqual({ query, code });
        expect(fieldsOf(res)).toEqual([expect.objectContaining({ field })]);
        expect(res.data).toBeNull();
      }
      expect(await snapshotOfB()).toEqual(before);
    });

    it('refuses changes to records A can see but does not own (the national CoP), naming the field', async () => {
      const before = await sys(`query($c: ID!, $s: ID!) { community(id: $c) { name updatedAt sessionCount } session(id: $s) { topic status updatedAt } }`, { c: cop, s: sCop });
      const attempts: [string, Record<string, unknown>, string][] = [
        [`mutation($id: ID!) { updateCommunity(id: $id, input: { name: "Ours" }) { id } }`, { id: cop }, 'id'],
        [`mutation($c: ID!) { scheduleSession(input: { communityId: $c, topic: "Ours", startsAt: "2099-02-01T00:00:00Z", endsAt: "2099-02-01T01:00:00Z" }) { id } }`, { c: cop }, 'input.communityId'],
        [`mutation($id: ID!) { updateSession(id: $id, input: { topic: "Ours" }) { id } }`, { id: sCop }, 'id'],
        [`mutation($id: ID!) { cancelSession(id: $id) { id } }`, { id: sCop }, 'id'],
        [`mutation($id: ID!) { startSession(id: $id) { id } }`, { id: sCop }, 'id'],
        [`mutation($p: ID!) { createCommunity(input: { organisationId: "nat", programId: $p, kind: GROUP, name: "Ours", mode: ONLINE }) { id } }`, { p: program }, 'input.organisationId'],
        [`mutation($p: ID!) { createCommunity(input: { organisationId: "alpha", programId: $p, kind: GROUP, name: "Elsewhere", mode: ONLINE }) { id } }`, { p: newId('nat', 'prg') }, 'input.programId'],
      ];
      for (const [query, variables, field] of attempts) {
        const res = await gql(adminA, query, variables);
        expect({ query, code: errorCode(res) }).toEqual({ query, code: 'FORBIDDEN' });
        expect(fieldsOf(res)).toEqual([expect.objectContaining({ field })]);
      }
      expect(await sys(`query($c: ID!, $s: ID!) { community(id: $c) { name updatedAt sessionCount } session(id: $s) { topic status updatedAt } }`, { c: cop, s: sCop })).toEqual(before);
      const communities = await gql(adminA, `{ communities { totalCount } }`);
      expect(communities.data?.communities.totalCount).toBe(2);
    });

    it('lets A manage its own records', async () => {
      const created = await gql(adminA, `mutation($p: ID!) { createCommunity(input: { organisationId: "alpha", programId: $p, kind: FORUM, name: "Alpha forum", mode: HYBRID }) { id } }`, { p: program });
      expect(created.errors).toBeUndefined();
      const id = created.data?.createCommunity.id;
      const updated = await gql(adminA, `mutation($id: ID!) { updateCommunity(id: $id, input: { cadence: "monthly" }) { cadence } }`, { id });
      expect(updated.data?.updateCommunity).toEqual({ cadence: 'monthly' });
      const scheduled = await gql(adminA, `mutation($c: ID!) { scheduleSession(input: { communityId: $c, topic: "Forum", startsAt: "2099-03-01T00:00:00Z", endsAt: "2099-03-01T01:00:00Z" }) { id } }`, { c: id });
      expect(scheduled.errors).toBeUndefined();
      const cancelled = await gql(adminA, `mutation($id: ID!) { cancelSession(id: $id) { status } }`, { id: scheduled.data?.scheduleSession.id });
      expect(cancelled.data?.cancelSession).toEqual({ status: 'CANCELLED' });
    });
  });

  describe('running a session', () => {
    it('refuses another facilitator of the same organisation, naming the field, and changes nothing', async () => {
      const other = facilitator('alpha', facA2);
      const start = await gql(other, `mutation($id: ID!) { startSession(id: $id) { status } }`, { id: sALive });
      expect(errorCode(start)).toBe('FORBIDDEN');
      expect(fieldsOf(start)).toEqual([expect.objectContaining({ field: 'id' })]);
      const attendance = await gql(other, `mutation($id: ID!) { recordAttendance(input: { sessionId: $id, attendees: [{ attendeeRef: "p-x" }], unidentifiedAttendees: 1 }) { id } }`, { id: sAPast });
      expect(errorCode(attendance)).toBe('FORBIDDEN');
      expect(fieldsOf(attendance)).toEqual([expect.objectContaining({ field: 'input.sessionId' })]);
      const end = await gql(other, `mutation($id: ID!) { endSession(id: $id) { status } }`, { id: sALive });
      expect(errorCode(end)).toBe('FORBIDDEN');
      const now = await sys(`query($a: ID!, $p: ID!) { a: session(id: $a) { status } p: session(id: $p) { attendanceCount } }`, { a: sALive, p: sAPast });
      expect(now.data).toEqual({ a: { status: 'SCHEDULED' }, p: { attendanceCount: 3 } });
    });

    it('lets a facilitator of the session start it, move its phases, record attendance and see who came', async () => {
      const own = facilitator('alpha', facA1);
      const start = await gql(own, `mutation($id: ID!) { startSession(id: $id) { status currentPhase } }`, { id: sALive });
      expect(start.errors).toBeUndefined();
      expect(start.data?.startSession).toEqual({ status: 'LIVE', currentPhase: 'Share' });
      const phase = await gql(own, `mutation($id: ID!) { setSessionPhase(input: { sessionId: $id, phase: "Apply" }) { currentPhase } }`, { id: sALive });
      expect(phase.data?.setSessionPhase).toEqual({ currentPhase: 'Apply' });
      const recorded = await gql(own, `mutation($id: ID!) {
        recordAttendance(input: { sessionId: $id, attendees: [{ attendeeRef: "p-a1" }, { attendeeRef: "p-a3" }], unidentifiedAttendees: 1 }) {
          attendance { attendeeRef } attendanceCount rsvps { participantRef response }
        }
      }`, { id: sALive });
      expect(recorded.errors).toBeUndefined();
      expect(recorded.data?.recordAttendance).toEqual({
        attendance: [{ attendeeRef: 'p-a1' }, { attendeeRef: 'p-a3' }],
        attendanceCount: 3,
        rsvps: [{ participantRef: 'p-a1', response: 'GOING' }],
      });
      // but it does not manage the session
      const cancel = await gql(own, `mutation($id: ID!) { updateSession(id: $id, input: { topic: "Mine" }) { id } }`, { id: sALive });
      expect(errorCode(cancel)).toBe('FORBIDDEN');
    });

    it('lets a facilitator run a session of another organisation it can read (the national CoP), through row-level security too', async () => {
      const own = facilitator('alpha', facA1);
      const start = await gql(own, `mutation($id: ID!) { startSession(id: $id) { status } }`, { id: sCop });
      expect(start.errors).toBeUndefined();
      expect(start.data?.startSession).toEqual({ status: 'LIVE' });
      const recorded = await gql(own, `mutation($id: ID!) { recordAttendance(input: { sessionId: $id, attendees: [{ attendeeRef: "p-c1" }], unidentifiedAttendees: 0 }) { attendanceCount } }`, { id: sCop });
      expect(recorded.errors).toBeUndefined();
      expect(recorded.data?.recordAttendance).toEqual({ attendanceCount: 1 });
      const cancel = await gql(own, `mutation($id: ID!) { cancelSession(id: $id) { id } }`, { id: sCop });
      expect(errorCode(cancel)).toBe('FORBIDDEN');
    });
  });

  describe('who came', () => {
    const query = `query($a: ID!, $b: ID!) {
      a: session(id: $a) { attendance { attendeeRef } rsvps { participantRef } attendanceCount unidentifiedAttendees rsvpCounts { going maybe notGoing } }
      b: session(id: $b) { attendance { attendeeRef } rsvps { participantRef } attendanceCount unidentifiedAttendees rsvpCounts { going maybe notGoing } }
    }`;
    const forbiddenPaths = (res: GraphQLResponse<unknown>) =>
      (res.errors ?? []).map((e) => [e.extensions?.code, e.path?.join('.')]).sort();

    it('shows a national manager the lists of a partner that shares session details only, and the counts of all', async () => {
      const res = await gql(manager(['alpha']), query, { a: sAPast, b: sBPast });
      expect(res.data).toEqual({
        a: { attendance: [{ attendeeRef: 'p-a1' }, { attendeeRef: 'p-a2' }], rsvps: [], attendanceCount: 3, unidentifiedAttendees: 1, rsvpCounts: { going: 0, maybe: 0, notGoing: 0 } },
        b: { attendance: null, rsvps: null, attendanceCount: 3, unidentifiedAttendees: 2, rsvpCounts: { going: 0, maybe: 0, notGoing: 0 } },
      });
      expect(forbiddenPaths(res)).toEqual([['FORBIDDEN', 'b.attendance'], ['FORBIDDEN', 'b.rsvps']]);
      const closed = await gql(manager(), query, { a: sAPast, b: sBPast });
      expect(closed.data?.a.attendance).toBeNull();
      expect(closed.data?.a.attendanceCount).toBe(3);
      expect(forbiddenPaths(closed)).toHaveLength(4);
    });

    it('shows the organisation\'s admins their own lists, never another\'s', async () => {
      const res = await gql(adminB, query, { a: sAPast, b: sBNext });
      expect(res.data?.a).toBeNull();
      expect(res.data?.b).toEqual({ attendance: [], rsvps: [{ participantRef: 'p-b1' }], attendanceCount: 0, unidentifiedAttendees: 0, rsvpCounts: { going: 0, maybe: 1, notGoing: 0 } });
      expect(res.errors).toBeUndefined();
    });

    it('withholds the lists from a facilitator not on the session and from participants, but gives the counts', async () => {
      for (const scope of [facilitator('alpha', facA2), participant('p-a1', 'alpha')]) {
        const res = await gql(scope, query, { a: sAPast, b: sALive });
        expect(res.data?.a).toEqual({ attendance: null, rsvps: null, attendanceCount: 3, unidentifiedAttendees: 1, rsvpCounts: { going: 0, maybe: 0, notGoing: 0 } });
        expect(res.data?.b.rsvpCounts).toEqual({ going: 1, maybe: 0, notGoing: 0 });
        expect(forbiddenPaths(res)).toEqual([['FORBIDDEN', 'a.attendance'], ['FORBIDDEN', 'a.rsvps'], ['FORBIDDEN', 'b.attendance'], ['FORBIDDEN', 'b.rsvps']]);
      }
    });

    it('checks a facilitator\'s sessions in the same number of statements for 1 or 3 sessions', async () => {
      const list = `query($n: Int!) { sessions(first: $n) { nodes { id attendance { attendeeRef } rsvps { participantRef } attendanceCount } } }`;
      const own = facilitator('alpha', facA1);
      const before1 = subgraph.statements.count;
      const one = await gql(own, list, { n: 1 });
      const statements1 = subgraph.statements.count - before1;
      const before3 = subgraph.statements.count;
      const three = await gql(own, list, { n: 3 });
      const statements3 = subgraph.statements.count - before3;
      expect(one.errors).toBeUndefined();
      expect(three.errors).toBeUndefined();
      expect(three.data?.sessions.nodes).toHaveLength(3);
      // page, facilitators, attendance, RSVPs, identified attendance: one statement each
      expect(statements1).toBe(5 + SCOPE_STATEMENTS);
      expect(statements3).toBe(statements1);
    });

    it('hides a facilitator\'s sessions from participants (a facilitator record is not theirs to read)', async () => {
      const res = await gql(participant('p-a1', 'alpha'), `query($r: [_Any!]!) { _entities(representations: $r) { ... on Facilitator { sessionsFacilitated { totalCount } sessionsFacilitatedCount } } }`, {
        r: [{ __typename: 'Facilitator', id: facA1 }],
      });
      expect(res.data?._entities).toEqual([{ sessionsFacilitated: null, sessionsFacilitatedCount: null }]);
    });
  });

  describe('RSVPs', () => {
    it('keeps a participant\'s or facilitator\'s own RSVP under its subject, and refuses administrators', async () => {
      const me = facilitator('alpha', facA2);
      const res = await gql(me, `mutation($id: ID!) { setRsvp(input: { sessionId: $id, response: GOING }) { participantRef response } }`, { id: sCop });
      expect(res.errors).toBeUndefined();
      expect(res.data?.setRsvp).toEqual({ participantRef: `person-${facA2}`, response: 'GOING' });
      const admin = await gql(adminA, `mutation($id: ID!) { setRsvp(input: { sessionId: $id, response: GOING }) { id } }`, { id: sCop });
      expect(errorCode(admin)).toBe('FORBIDDEN');
      const counts = await sys(`query($id: ID!) { session(id: $id) { rsvpCounts { going } } }`, { id: sCop });
      expect(counts.data?.session.rsvpCounts).toEqual({ going: 1 });
    });
  });

  describe('row-level security (the second wall)', () => {
    it('shows a scoped transaction only its organisations\' rows, with no filter in code', async () => {
      const sessions = await withScope(subgraph.requestDataSource, partnerAdmin('alpha'), (m) => m.getRepository(Session).find());
      expect(sessions.map((s) => s.organisationId)).toEqual(expect.arrayContaining(['alpha']));
      expect(new Set(sessions.map((s) => s.organisationId))).toEqual(new Set(['alpha']));
      expect(sessions.map((s) => s.id)).toEqual(expect.arrayContaining([sAPast, sALive]));
      const links = await withScope(subgraph.requestDataSource, partnerAdmin('alpha'), (m) => m.getRepository(SessionFacilitator).find());
      // facilitator links only of A's sessions (through their session's policy), though facA1 is on one of B's too
      expect(links.every((l) => l.sessionId.startsWith('alpha.'))).toBe(true);
      expect(links.map((l) => l.sessionId)).toEqual(expect.arrayContaining([sAPast, sALive]));
      expect(links.map((l) => l.sessionId)).not.toContain(sBPast);
      const counts = await withScope(subgraph.requestDataSource, partnerAdmin('alpha'), (m) =>
        m.query(`SELECT (SELECT count(*) FROM rsvp WHERE organisation_id <> 'alpha')::int AS rsvps, (SELECT count(*) FROM attendance WHERE organisation_id <> 'alpha')::int AS attendance`),
      );
      expect(counts).toEqual([{ rsvps: 0, attendance: 0 }]);
    });

    it('shows nothing outside a scoped transaction', async () => {
      expect(await subgraph.requestDataSource.query(`SELECT count(*)::int AS n FROM session`)).toEqual([{ n: 0 }]);
      expect(await subgraph.requestDataSource.query(`SELECT count(*)::int AS n FROM community`)).toEqual([{ n: 0 }]);
    });

    it('refuses writing B-owned rows through A\'s transaction', async () => {
      const a = partnerAdmin('alpha');
      await expect(
        withScope(subgraph.requestDataSource, a, (m) =>
          m.insert(Community, { id: newId('beta', 'com'), organisationId: 'beta', programId: program, kind: 'GROUP' as never, name: 'Planted', mode: 'ONLINE' as never }),
        ),
      ).rejects.toThrow(/row-level security/);
      await expect(
        withScope(subgraph.requestDataSource, a, (m) => m.insert(SessionFacilitator, { sessionId: sBNext, facilitatorId: facA1, position: 5 })),
      ).rejects.toThrow(/row-level security/);
      await expect(
        withScope(subgraph.requestDataSource, a, (m) =>
          m.query(`INSERT INTO rsvp (id, session_id, organisation_id, participant_ref, response) VALUES ($1, $2, 'beta', 'p-z', 'GOING')`, [newId('beta', 'rsv'), sBNext]),
        ),
      ).rejects.toThrow(/row-level security/);
      const updated = await withScope(subgraph.requestDataSource, a, (m) => m.update(Session, { id: sBNext }, { topic: 'Renamed' }));
      expect(updated.affected).toBe(0);
      // a facilitator not on a session it can read cannot change it either
      await expect(
        withScope(subgraph.requestDataSource, facilitator('alpha', facA2), (m) => m.update(Session, { id: sCop }, { topic: 'Renamed' })),
      ).rejects.toThrow(/row-level security/);
      const stored = await subgraph.dataSource.getRepository(Session).findBy({ id: sBNext });
      expect(stored[0].topic).toBe('Beta next');
      expect(await subgraph.dataSource.getRepository(Community).countBy({ name: 'Planted' })).toBe(0);
      expect((await subgraph.dataSource.getRepository(Session).findOneByOrFail({ id: sCop })).topic).toBe('CoP meeting');
    });
  });
});
