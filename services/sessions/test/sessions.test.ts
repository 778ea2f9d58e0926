import { createSessionsSubgraph } from '@hub/sessions';
import { newId, SCOPE_STATEMENTS, type AccessScope, type Subgraph } from '@hub/core';
import { dropTestDatabases, testSubgraphConfig } from '../../../test/support/database';
import { errorCode, postGraphQL } from '../../../test/support/graphql';
import { scopeHeaders, scopeOf, SYSTEM_SCOPE } from '../../../test/support/scopes';

describe('sessions subgraph', () => {
  const config = testSubgraphConfig('sessions');
  let subgraph: Subgraph;
  let url: string;
  /** As the hub itself (the system scope): access rules are tested in access.test.ts. */
  const gql = async (query: string, variables?: Record<string, unknown>, scope: AccessScope = SYSTEM_SCOPE) =>
    postGraphQL(url, query, variables, await scopeHeaders(scope));
  const participant = (subject: string) => scopeOf('participant', { subject, organisations: ['uniting', 'prc'], programs: [program] });

  const program = newId('prc', 'prg');
  const otherProgram = newId('prc', 'prg');
  const [ana, ben, cal] = [newId('uniting', 'fac'), newId('uniting', 'fac'), newId('prc', 'fac')];
  let group: string;
  let cop: string;

  async function createCommunity(input: Record<string, unknown>): Promise<string> {
    const res = await gql(`mutation($input: CreateCommunityInput!) { createCommunity(input: $input) { id } }`, { input });
    expect(res.errors).toBeUndefined();
    return res.data?.createCommunity.id;
  }

  async function schedule(input: Record<string, unknown>): Promise<string> {
    const res = await gql(`mutation($input: ScheduleSessionInput!) { scheduleSession(input: $input) { id } }`, { input });
    expect(res.errors).toBeUndefined();
    return res.data?.scheduleSession.id;
  }

  const sessionCount = async () => (await gql(`{ sessions { totalCount } }`)).data?.sessions.totalCount;

  beforeAll(async () => {
    subgraph = await createSessionsSubgraph(config);
    url = await subgraph.listen(0);
    group = await createCommunity({
      organisationId: 'uniting',
      programId: program,
      kind: 'GROUP',
      name: 'Toowoomba MyTime',
      mode: 'IN_PERSON',
      regionId: 'au-qld-darling-downs',
      tier: 'regional',
      cadence: 'fortnightly',
    });
    cop = await createCommunity({
      organisationId: 'prc',
      programId: program,
      kind: 'COMMUNITY_OF_PRACTICE',
      name: 'National facilitator CoP',
      mode: 'ONLINE',
      cadence: 'quarterly',
      formatPhases: ['Check in', 'Case', 'Reflect'],
    });
  });
  afterAll(async () => {
    await subgraph.stop();
    await dropTestDatabases(config);
  });

  describe('communities', () => {
    it('creates a community whose ID names its organisation, with the default stage and format', async () => {
      const res = await gql(`query($id: ID!) { community(id: $id) {
        id kind tier name cadence mode maturityStage formatPhases purpose
        organisation { id } program { id } region { id } sessionCount
      } }`, { id: group });
      expect(res.errors).toBeUndefined();
      expect(res.data?.community).toEqual({
        id: expect.stringMatching(/^uniting\.com_/),
        kind: 'GROUP',
        tier: 'regional',
        name: 'Toowoomba MyTime',
        cadence: 'fortnightly',
        mode: 'IN_PERSON',
        maturityStage: 'POTENTIAL',
        formatPhases: ['Share', 'Discuss', 'Apply'],
        purpose: '',
        organisation: { id: 'uniting' },
        program: { id: program },
        region: { id: 'au-qld-darling-downs' },
        sessionCount: 0,
      });
    });

    it('refuses a malformed program ID, naming the field, and saves nothing', async () => {
      const before = (await gql(`{ communities { totalCount } }`)).data?.communities.totalCount;
      const res = await gql(`mutation { createCommunity(input: {
        organisationId: "uniting", programId: "MyTime", kind: GROUP, name: "X", mode: ONLINE
      }) { id } }`);
      expect(errorCode(res)).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0].extensions?.fields).toEqual([expect.objectContaining({ field: 'input.programId' })]);
      const after = (await gql(`{ communities { totalCount } }`)).data?.communities.totalCount;
      expect(after).toBe(before);
    });

    it('refuses an empty list of format phases', async () => {
      const res = await gql(`mutation($p: ID!) { createCommunity(input: {
        organisationId: "uniting", programId: $p, kind: GROUP, name: "X", mode: ONLINE, formatPhases: []
      }) { id } }`, { p: program });
      expect(errorCode(res)).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0].extensions?.fields).toEqual([expect.objectContaining({ field: 'input.formatPhases' })]);
    });

    it('updates a community, clears a field given as null and keeps the rest', async () => {
      const id = await createCommunity({ organisationId: 'uniting', programId: program, kind: 'FORUM', name: 'Forum', mode: 'HYBRID', cadence: 'monthly' });
      const res = await gql(`mutation($id: ID!) { updateCommunity(id: $id, input: { maturityStage: COALESCING, cadence: null, purpose: "Peer support" }) {
        maturityStage cadence purpose name mode
      } }`, { id });
      expect(res.errors).toBeUndefined();
      expect(res.data?.updateCommunity).toEqual({ maturityStage: 'COALESCING', cadence: null, purpose: 'Peer support', name: 'Forum', mode: 'HYBRID' });
    });

    it('answers NOT_FOUND when updating an unknown community', async () => {
      const res = await gql(`mutation($id: ID!) { updateCommunity(id: $id, input: { name: "Y" }) { id } }`, { id: newId('uniting', 'com') });
      expect(errorCode(res)).toBe('NOT_FOUND');
      expect(res.errors?.[0].extensions?.fields).toEqual([expect.objectContaining({ field: 'id' })]);
    });

    it('filters communities by kind, tier and region', async () => {
      const res = await gql(`query($p: ID!) {
        cops: communities(filter: { programId: $p, kind: COMMUNITY_OF_PRACTICE }) { nodes { id } }
        regional: communities(filter: { tier: "regional" }) { nodes { id } }
        downs: communities(filter: { regionId: "au-qld-darling-downs" }) { nodes { id } }
      }`, { p: program });
      expect(res.data?.cops.nodes).toEqual([{ id: cop }]);
      expect(res.data?.regional.nodes).toEqual([{ id: group }]);
      expect(res.data?.downs.nodes).toEqual([{ id: group }]);
    });
  });

  describe('scheduling', () => {
    it('schedules a session in the community\'s organisation with its phases, mode and facilitators in order', async () => {
      const id = await schedule({
        communityId: group,
        topic: 'Routines',
        startsAt: '2099-03-01T09:30:00Z',
        endsAt: '2099-03-01T11:30:00Z',
        facilitatorIds: [ben, ana],
      });
      const res = await gql(`query($id: ID!) { session(id: $id) {
        id status mode formatPhases currentPhase location facilitators { id } organisation { id } program { id }
        community { id } startsAt unidentifiedAttendees attendanceCount rsvpCounts { going maybe notGoing }
      } }`, { id });
      expect(res.data?.session).toEqual({
        id: expect.stringMatching(/^uniting\.ses_/),
        status: 'SCHEDULED',
        mode: 'IN_PERSON',
        formatPhases: ['Share', 'Discuss', 'Apply'],
        currentPhase: null,
        location: null,
        facilitators: [{ id: ben }, { id: ana }],
        organisation: { id: 'uniting' },
        program: { id: program },
        community: { id: group },
        startsAt: '2099-03-01T09:30:00.000Z',
        unidentifiedAttendees: 0,
        attendanceCount: 0,
        rsvpCounts: { going: 0, maybe: 0, notGoing: 0 },
      });
    });

    it('refuses an end that is not after the start, naming input.endsAt, and saves nothing', async () => {
      const before = await sessionCount();
      const res = await gql(`mutation($c: ID!) { scheduleSession(input: {
        communityId: $c, topic: "Backwards", startsAt: "2099-03-01T10:00:00Z", endsAt: "2099-03-01T10:00:00Z"
      }) { id } }`, { c: group });
      expect(errorCode(res)).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0].extensions?.fields).toEqual([expect.objectContaining({ field: 'input.endsAt' })]);
      expect(await sessionCount()).toBe(before);
    });

    it('answers NOT_FOUND for an unknown community and BAD_USER_INPUT for a malformed facilitator ID', async () => {
      const unknown = await gql(`mutation($c: ID!) { scheduleSession(input: {
        communityId: $c, topic: "T", startsAt: "2099-03-01T10:00:00Z", endsAt: "2099-03-01T11:00:00Z"
      }) { id } }`, { c: newId('uniting', 'com') });
      expect(errorCode(unknown)).toBe('NOT_FOUND');
      expect(unknown.errors?.[0].extensions?.fields).toEqual([expect.objectContaining({ field: 'input.communityId' })]);
      const malformed = await gql(`mutation($c: ID!) { scheduleSession(input: {
        communityId: $c, topic: "T", startsAt: "2099-03-01T10:00:00Z", endsAt: "2099-03-01T11:00:00Z", facilitatorIds: ["Jane Smith"]
      }) { id } }`, { c: group });
      expect(errorCode(malformed)).toBe('BAD_USER_INPUT');
      expect(malformed.errors?.[0].extensions?.fields).toEqual([expect.objectContaining({ field: 'input.facilitatorIds' })]);
    });

    it('reschedules a SCHEDULED session and rotates its facilitators', async () => {
      const id = await schedule({ communityId: group, topic: 'Play', startsAt: '2099-04-01T09:00:00Z', endsAt: '2099-04-01T10:00:00Z', facilitatorIds: [ana] });
      const res = await gql(`mutation($id: ID!, $f: [ID!]) { updateSession(id: $id, input: {
        startsAt: "2099-04-02T09:00:00Z", endsAt: "2099-04-02T10:30:00Z", location: "Library", facilitatorIds: $f
      }) { startsAt endsAt location facilitators { id } } }`, { id, f: [cal, ben] });
      expect(res.errors).toBeUndefined();
      expect(res.data?.updateSession).toEqual({
        startsAt: '2099-04-02T09:00:00.000Z',
        endsAt: '2099-04-02T10:30:00.000Z',
        location: 'Library',
        facilitators: [{ id: cal }, { id: ben }],
      });
    });

    it('refuses a new start after the current end, naming input.startsAt', async () => {
      const id = await schedule({ communityId: group, topic: 'Late', startsAt: '2099-05-01T09:00:00Z', endsAt: '2099-05-01T10:00:00Z' });
      const res = await gql(`mutation($id: ID!) { updateSession(id: $id, input: { startsAt: "2099-05-01T11:00:00Z" }) { id } }`, { id });
      expect(errorCode(res)).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0].extensions?.fields).toEqual([expect.objectContaining({ field: 'input.startsAt' })]);
    });
  });

  describe('session lifecycle', () => {
    let id: string;
    beforeAll(async () => {
      id = await schedule({ communityId: cop, topic: 'Quarterly CoP', startsAt: '2099-06-01T00:00:00Z', endsAt: '2099-06-01T01:30:00Z', facilitatorIds: [cal] });
    });

    it('starts a session in its first phase and moves through its phases', async () => {
      const started = await gql(`mutation($id: ID!) { startSession(id: $id) { status currentPhase } }`, { id });
      expect(started.data?.startSession).toEqual({ status: 'LIVE', currentPhase: 'Check in' });
      const moved = await gql(`mutation($id: ID!) { setSessionPhase(input: { sessionId: $id, phase: "Reflect" }) { currentPhase } }`, { id });
      expect(moved.data?.setSessionPhase).toEqual({ currentPhase: 'Reflect' });
    });

    it('refuses a phase the session does not have and keeps the current one', async () => {
      const res = await gql(`mutation($id: ID!) { setSessionPhase(input: { sessionId: $id, phase: "Apply" }) { currentPhase } }`, { id });
      expect(errorCode(res)).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0].extensions?.fields).toEqual([expect.objectContaining({ field: 'input.phase' })]);
      const now = await gql(`query($id: ID!) { session(id: $id) { currentPhase } }`, { id });
      expect(now.data?.session.currentPhase).toBe('Reflect');
    });

    it('refuses to start a LIVE session or reschedule it, naming the status, and changes nothing', async () => {
      const again = await gql(`mutation($id: ID!) { startSession(id: $id) { status } }`, { id });
      expect(errorCode(again)).toBe('CONFLICT');
      expect(again.errors?.[0].message).toContain('LIVE');
      const moved = await gql(`mutation($id: ID!) { updateSession(id: $id, input: { topic: "Renamed", startsAt: "2099-06-02T00:00:00Z" }) { id } }`, { id });
      expect(errorCode(moved)).toBe('CONFLICT');
      expect(moved.errors?.[0].extensions?.fields).toEqual([{ field: 'input.startsAt', message: 'session is LIVE' }]);
      const now = await gql(`query($id: ID!) { session(id: $id) { topic startsAt } }`, { id });
      expect(now.data?.session).toEqual({ topic: 'Quarterly CoP', startsAt: '2099-06-01T00:00:00.000Z' });
    });

    it('ends a LIVE session, clearing the phase, and then refuses phases, cancelling and RSVPs', async () => {
      const ended = await gql(`mutation($id: ID!) { endSession(id: $id) { status currentPhase } }`, { id });
      expect(ended.data?.endSession).toEqual({ status: 'ENDED', currentPhase: null });
      const phase = await gql(`mutation($id: ID!) { setSessionPhase(input: { sessionId: $id, phase: "Case" }) { id } }`, { id });
      expect(errorCode(phase)).toBe('CONFLICT');
      expect(phase.errors?.[0].extensions?.fields).toEqual([{ field: 'input.sessionId', message: 'session is ENDED' }]);
      const cancel = await gql(`mutation($id: ID!) { cancelSession(id: $id) { id } }`, { id });
      expect(errorCode(cancel)).toBe('CONFLICT');
      expect(cancel.errors?.[0].message).toContain('ENDED');
      const rsvp = await gql(`mutation($id: ID!) { setRsvp(input: { sessionId: $id, response: GOING }) { id } }`, { id }, participant('p-1'));
      expect(errorCode(rsvp)).toBe('CONFLICT');
    });

    it('records a past SCHEDULED session as ENDED, but not one that has not started', async () => {
      const past = await schedule({ communityId: group, topic: 'Held last week', startsAt: '2025-02-01T09:00:00Z', endsAt: '2025-02-01T11:00:00Z' });
      const ended = await gql(`mutation($id: ID!) { endSession(id: $id) { status } }`, { id: past });
      expect(ended.data?.endSession.status).toBe('ENDED');
      const future = await schedule({ communityId: group, topic: 'Next year', startsAt: '2099-07-01T09:00:00Z', endsAt: '2099-07-01T11:00:00Z' });
      const early = await gql(`mutation($id: ID!) { endSession(id: $id) { status } }`, { id: future });
      expect(errorCode(early)).toBe('CONFLICT');
    });

    it('cancels a SCHEDULED session and then refuses to start it', async () => {
      const other = await schedule({ communityId: group, topic: 'Rained out', startsAt: '2099-08-01T09:00:00Z', endsAt: '2099-08-01T11:00:00Z' });
      const cancelled = await gql(`mutation($id: ID!) { cancelSession(id: $id) { status } }`, { id: other });
      expect(cancelled.data?.cancelSession.status).toBe('CANCELLED');
      const start = await gql(`mutation($id: ID!) { startSession(id: $id) { status } }`, { id: other });
      expect(errorCode(start)).toBe('CONFLICT');
      expect(start.errors?.[0].message).toContain('CANCELLED');
    });

    it('answers NOT_FOUND for an unknown session and BAD_USER_INPUT for a malformed ID', async () => {
      const unknown = await gql(`mutation($id: ID!) { startSession(id: $id) { id } }`, { id: newId('uniting', 'ses') });
      expect(errorCode(unknown)).toBe('NOT_FOUND');
      expect(unknown.errors?.[0].extensions?.fields).toEqual([expect.objectContaining({ field: 'id' })]);
      const malformed = await gql(`mutation { startSession(id: "yesterday") { id } }`);
      expect(errorCode(malformed)).toBe('BAD_USER_INPUT');
    });
  });

  describe('RSVPs and attendance', () => {
    let id: string;
    beforeAll(async () => {
      id = await schedule({ communityId: group, topic: 'Feelings', startsAt: '2025-03-01T09:00:00Z', endsAt: '2025-03-01T11:00:00Z', facilitatorIds: [ana] });
    });

    it('keeps one RSVP per participant (the token\'s subject), the latest answer', async () => {
      for (const [ref, response] of [['p-1', 'GOING'], ['p-2', 'MAYBE'], ['p-1', 'NOT_GOING'], ['p-3', 'GOING']]) {
        const res = await gql(`mutation($id: ID!, $r: RsvpResponse!) {
          setRsvp(input: { sessionId: $id, response: $r }) { participantRef response session { id } }
        }`, { id, r: response }, participant(ref));
        expect(res.data?.setRsvp).toEqual({ participantRef: ref, response, session: { id } });
      }
      const res = await gql(`query($id: ID!) { session(id: $id) { rsvps { participantRef response } rsvpCounts { going maybe notGoing } } }`, { id });
      expect(res.data?.session.rsvpCounts).toEqual({ going: 1, maybe: 1, notGoing: 1 });
      expect(res.data?.session.rsvps).toHaveLength(3);
      expect(res.data?.session.rsvps).toContainEqual({ participantRef: 'p-1', response: 'NOT_GOING' });
    });

    it('takes no participant reference in the input: who answers is the caller', async () => {
      const res = await gql(`mutation($id: ID!) { setRsvp(input: { sessionId: $id, participantRef: "p-4", response: GOING }) { id } }`, { id }, participant('p-4'));
      expect(res.status).toBe(400);
      expect(errorCode(res)).toBe('GRAPHQL_VALIDATION_FAILED');
      const named = await gql(`mutation($id: ID!) { setRsvp(input: { sessionId: $id, response: GOING }) { id } }`, { id }, participant('Jane Smith'));
      expect(errorCode(named)).toBe('FORBIDDEN');
      const counts = await gql(`query($id: ID!) { session(id: $id) { rsvpCounts { going maybe notGoing } } }`, { id });
      expect(counts.data?.session.rsvpCounts).toEqual({ going: 1, maybe: 1, notGoing: 1 });
    });

    it('records attendance only once the session is LIVE or ENDED', async () => {
      const res = await gql(`mutation($id: ID!) { recordAttendance(input: { sessionId: $id, attendees: [], unidentifiedAttendees: 4 }) { id } }`, { id });
      expect(errorCode(res)).toBe('CONFLICT');
      expect(res.errors?.[0].extensions?.fields).toEqual([{ field: 'input.sessionId', message: 'session is SCHEDULED' }]);
    });

    it('records who came apart from RSVPs, counting unidentified attendees too, and replaces the record', async () => {
      await gql(`mutation($id: ID!) { endSession(id: $id) { id } }`, { id });
      const first = await gql(`mutation($id: ID!, $a: [AttendeeInput!]!) {
        recordAttendance(input: { sessionId: $id, attendees: $a, unidentifiedAttendees: 3 }) {
          attendance { attendeeRef kind } unidentifiedAttendees attendanceCount rsvpCounts { going }
        }
      }`, { id, a: [{ attendeeRef: 'p-2' }, { attendeeRef: ana, kind: 'FACILITATOR' }] });
      expect(first.errors).toBeUndefined();
      expect(first.data?.recordAttendance).toEqual({
        attendance: expect.arrayContaining([{ attendeeRef: 'p-2', kind: 'PARTICIPANT' }, { attendeeRef: ana, kind: 'FACILITATOR' }]),
        unidentifiedAttendees: 3,
        attendanceCount: 5,
        rsvpCounts: { going: 1 },
      });
      const second = await gql(`mutation($id: ID!) {
        recordAttendance(input: { sessionId: $id, attendees: [{ attendeeRef: "p-9" }], unidentifiedAttendees: 0 }) { attendance { attendeeRef } attendanceCount }
      }`, { id });
      expect(second.data?.recordAttendance).toEqual({ attendance: [{ attendeeRef: 'p-9' }], attendanceCount: 1 });
    });

    it('refuses attendance listing someone twice or a negative count, and keeps the previous record', async () => {
      const twice = await gql(`mutation($id: ID!) {
        recordAttendance(input: { sessionId: $id, attendees: [{ attendeeRef: "p-1" }, { attendeeRef: "p-1" }], unidentifiedAttendees: 2 }) { id }
      }`, { id });
      expect(errorCode(twice)).toBe('BAD_USER_INPUT');
      expect(twice.errors?.[0].extensions?.fields).toEqual([expect.objectContaining({ field: 'input.attendees.1.attendeeRef' })]);
      const negative = await gql(`mutation($id: ID!) { recordAttendance(input: { sessionId: $id, attendees: [], unidentifiedAttendees: -1 }) { id } }`, { id });
      expect(errorCode(negative)).toBe('BAD_USER_INPUT');
      expect(negative.errors?.[0].extensions?.fields).toEqual([expect.objectContaining({ field: 'input.unidentifiedAttendees' })]);
      const now = await gql(`query($id: ID!) { session(id: $id) { attendance { attendeeRef } attendanceCount } }`, { id });
      expect(now.data?.session).toEqual({ attendance: [{ attendeeRef: 'p-9' }], attendanceCount: 1 });
    });
  });

  describe('lists and counts', () => {
    it('filters sessions by community, facilitator, status and period, in start order', async () => {
      const res = await gql(`query($c: ID!, $f: ID!) {
        ofCop: sessions(filter: { communityId: $c }) { nodes { topic } }
        byAna: sessions(filter: { facilitatorId: $f }) { nodes { topic } }
        ended2025: sessions(filter: { status: ENDED, from: "2025-01-01T00:00:00Z", to: "2026-01-01T00:00:00Z" }) { nodes { topic } }
      }`, { c: cop, f: ana });
      expect(res.errors).toBeUndefined();
      expect(res.data?.ofCop.nodes).toEqual([{ topic: 'Quarterly CoP' }]);
      expect(res.data?.byAna.nodes).toEqual([{ topic: 'Feelings' }, { topic: 'Routines' }]);
      expect(res.data?.ended2025.nodes).toEqual([{ topic: 'Held last week' }, { topic: 'Feelings' }]);
    });

    it('lists a community\'s sessions by status and period and checks the nested filter and cursor', async () => {
      const res = await gql(`query($id: ID!) { community(id: $id) {
        ended: sessions(filter: { status: ENDED }) { nodes { topic } totalCount }
        in2099: sessions(filter: { from: "2099-01-01T00:00:00Z" }, first: 2) { nodes { topic } pageInfo { hasNextPage } totalCount }
        endedCount: sessionCount(status: ENDED)
      } }`, { id: group });
      expect(res.errors).toBeUndefined();
      expect(res.data?.community).toEqual({
        ended: { nodes: [{ topic: 'Held last week' }, { topic: 'Feelings' }], totalCount: 2 },
        in2099: { nodes: [{ topic: 'Routines' }, { topic: 'Play' }], pageInfo: { hasNextPage: true }, totalCount: 5 },
        endedCount: 2,
      });
      const backwards = await gql(`query($id: ID!) { community(id: $id) { sessions(filter: { from: "2026-01-01T00:00:00Z", to: "2025-01-01T00:00:00Z" }) { totalCount } } }`, { id: group });
      expect(errorCode(backwards)).toBe('BAD_USER_INPUT');
      expect(backwards.errors?.[0].extensions?.fields).toEqual([expect.objectContaining({ field: 'filter.to' })]);
      const badCursor = await gql(`query($id: ID!) { community(id: $id) { sessions(after: "nope") { totalCount } } }`, { id: group });
      expect(errorCode(badCursor)).toBe('BAD_USER_INPUT');
    });

    it('pages through sessions with cursors and rejects a malformed cursor or a period ending before it starts', async () => {
      const first = await gql(`{ sessions(first: 2) { nodes { id } pageInfo { hasNextPage endCursor } totalCount } }`);
      expect(first.data?.sessions.nodes).toHaveLength(2);
      const rest = await gql(`query($after: String) { sessions(first: 100, after: $after) { nodes { id } pageInfo { hasNextPage } } }`, {
        after: first.data?.sessions.pageInfo.endCursor,
      });
      expect(rest.data?.sessions.nodes).toHaveLength(first.data?.sessions.totalCount - 2);
      expect(rest.data?.sessions.pageInfo.hasNextPage).toBe(false);
      const bad = await gql(`{ sessions(after: "not-a-cursor") { totalCount } }`);
      expect(errorCode(bad)).toBe('BAD_USER_INPUT');
      expect(bad.errors?.[0].extensions?.fields).toEqual([expect.objectContaining({ field: 'after' })]);
      const forged = await gql(`query($after: String) { sessions(after: $after) { totalCount } }`, {
        after: Buffer.from(JSON.stringify(['soon', 'x'])).toString('base64url'),
      });
      expect(errorCode(forged)).toBe('BAD_USER_INPUT');
      const backwards = await gql(`{ sessions(filter: { from: "2026-01-01T00:00:00Z", to: "2025-01-01T00:00:00Z" }) { totalCount } }`);
      expect(errorCode(backwards)).toBe('BAD_USER_INPUT');
      expect(backwards.errors?.[0].extensions?.fields).toEqual([expect.objectContaining({ field: 'filter.to' })]);
    });

    it('counts an organisation\'s communities, sessions and attendance with one GROUP BY per count', async () => {
      const query = `query($r: [_Any!]!, $p: ID!) { _entities(representations: $r) { ... on Organisation {
        id
        groups: communityCount(kind: GROUP, programId: $p)
        all: communityCount
        held: sessionCount(from: "2025-01-01T00:00:00Z", to: "2026-01-01T00:00:00Z", status: ENDED, programId: $p)
        sessionCount
        elsewhere: sessionCount(programId: "${otherProgram}")
        attendanceCount(from: "2025-01-01T00:00:00Z", to: "2026-01-01T00:00:00Z", programId: $p)
      } } }`;
      const before = subgraph.statements.count;
      const res = await gql(query, {
        p: program,
        r: [{ __typename: 'Organisation', id: 'uniting' }, { __typename: 'Organisation', id: 'prc' }, { __typename: 'Organisation', id: 'nobody' }],
      });
      expect(subgraph.statements.count - before).toBe(6 + SCOPE_STATEMENTS);
      expect(res.errors).toBeUndefined();
      expect(res.data?._entities).toEqual([
        { id: 'uniting', groups: 1, all: 2, held: 2, sessionCount: 7, elsewhere: 0, attendanceCount: 1 },
        { id: 'prc', groups: 0, all: 1, held: 0, sessionCount: 1, elsewhere: 0, attendanceCount: 0 },
        { id: 'nobody', groups: 0, all: 0, held: 0, sessionCount: 0, elsewhere: 0, attendanceCount: 0 },
      ]);
    });

    it('lists a program\'s communities and counts its sessions', async () => {
      const res = await gql(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Program {
        id communities(filter: { organisationId: "uniting" }) { nodes { name } totalCount } sessionCount(status: CANCELLED)
      } } }`, { r: [{ __typename: 'Program', id: program }, { __typename: 'Program', id: otherProgram }] });
      expect(res.errors).toBeUndefined();
      expect(res.data?._entities).toEqual([
        { id: program, communities: { nodes: [{ name: 'Forum' }, { name: 'Toowoomba MyTime' }], totalCount: 2 }, sessionCount: 1 },
        { id: otherProgram, communities: { nodes: [], totalCount: 0 }, sessionCount: 0 },
      ]);
    });

    it('lists the sessions each facilitator facilitates, leaving out cancelled ones', async () => {
      await schedule({ communityId: group, topic: 'Dropped', startsAt: '2099-09-01T09:00:00Z', endsAt: '2099-09-01T10:00:00Z', facilitatorIds: [cal] });
      const dropped = (await gql(`{ sessions(filter: { status: SCHEDULED, from: "2099-09-01T00:00:00Z", to: "2099-09-02T00:00:00Z" }) { nodes { id } } }`))
        .data?.sessions.nodes[0].id;
      await gql(`mutation($id: ID!) { cancelSession(id: $id) { id } }`, { id: dropped });
      const res = await gql(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Facilitator {
        id
        sessionsFacilitated { nodes { topic } totalCount }
        cancelled: sessionsFacilitated(filter: { status: CANCELLED }) { totalCount }
        sessionsFacilitatedCount
        in2025: sessionsFacilitatedCount(from: "2025-01-01T00:00:00Z", to: "2026-01-01T00:00:00Z")
      } } }`, { r: [ana, ben, cal].map((id) => ({ __typename: 'Facilitator', id })) });
      expect(res.errors).toBeUndefined();
      expect(res.data?._entities).toEqual([
        { id: ana, sessionsFacilitated: { nodes: [{ topic: 'Feelings' }, { topic: 'Routines' }], totalCount: 2 }, cancelled: { totalCount: 0 }, sessionsFacilitatedCount: 2, in2025: 1 },
        { id: ben, sessionsFacilitated: { nodes: [{ topic: 'Routines' }, { topic: 'Play' }], totalCount: 2 }, cancelled: { totalCount: 0 }, sessionsFacilitatedCount: 2, in2025: 0 },
        { id: cal, sessionsFacilitated: { nodes: [{ topic: 'Play' }, { topic: 'Quarterly CoP' }], totalCount: 2 }, cancelled: { totalCount: 1 }, sessionsFacilitatedCount: 2, in2025: 0 },
      ]);
    });

    it('resolves Community and Session references in one query each for many keys', async () => {
      const sessionId = (await gql(`{ sessions(first: 1) { nodes { id } } }`)).data?.sessions.nodes[0].id;
      const before = subgraph.statements.count;
      const res = await gql(`query($r: [_Any!]!) { _entities(representations: $r) {
        ... on Community { id name } ... on Session { id topic }
      } }`, {
        r: [
          { __typename: 'Community', id: group },
          { __typename: 'Community', id: cop },
          { __typename: 'Community', id: newId('uniting', 'com') },
          { __typename: 'Session', id: sessionId },
        ],
      });
      expect(res.data?._entities).toEqual([
        { id: group, name: 'Toowoomba MyTime' },
        { id: cop, name: 'National facilitator CoP' },
        null,
        { id: sessionId, topic: 'Held last week' },
      ]);
      expect(subgraph.statements.count - before).toBe(2 + SCOPE_STATEMENTS);
    });
  });

  describe('batching', () => {
    let bulk: string;
    const facilitators = Array.from({ length: 5 }, () => newId('bulk', 'fac'));
    const listQuery = `query($c: ID!, $n: Int!) { sessions(first: $n, filter: { communityId: $c }) {
      nodes { id topic facilitators { id } community { id name organisation { id } } rsvpCounts { going } attendanceCount }
      totalCount
    } }`;

    beforeAll(async () => {
      bulk = await createCommunity({ organisationId: 'bulk', programId: program, kind: 'GROUP', name: 'Bulk', mode: 'ONLINE' });
      const mutations = Array.from({ length: 100 }, (_, i) => {
        const day = new Date(Date.UTC(2030, 0, 1 + i)).toISOString();
        const end = new Date(Date.UTC(2030, 0, 1 + i, 2)).toISOString();
        const ids = JSON.stringify([facilitators[i % 5], facilitators[(i + 1) % 5]]);
        return `s${i}: scheduleSession(input: { communityId: "${bulk}", topic: "Session ${i}", startsAt: "${day}", endsAt: "${end}", facilitatorIds: ${ids} }) { id }`;
      });
      const res = await gql(`mutation { ${mutations.join('\n')} }`);
      expect(res.errors).toBeUndefined();
    });

    it('lists 10 or 100 sessions with their facilitators and community in the same number of SQL statements', async () => {
      const before10 = subgraph.statements.count;
      const ten = await gql(listQuery, { c: bulk, n: 10 });
      const statements10 = subgraph.statements.count - before10;
      const before100 = subgraph.statements.count;
      const hundred = await gql(listQuery, { c: bulk, n: 100 });
      const statements100 = subgraph.statements.count - before100;
      expect(ten.errors).toBeUndefined();
      expect(hundred.errors).toBeUndefined();
      expect(ten.data?.sessions.nodes).toHaveLength(10);
      expect(hundred.data?.sessions.nodes).toHaveLength(100);
      expect(hundred.data?.sessions.nodes[99].facilitators).toEqual([{ id: facilitators[4] }, { id: facilitators[0] }]);
      expect(hundred.data?.sessions.nodes[0].community).toEqual({ id: bulk, name: 'Bulk', organisation: { id: 'bulk' } });
      expect(statements100).toBe(statements10);
    });

    it('pages each parent\'s nested connection on its own, in the same number of statements for 1 or 5 parents', async () => {
      const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Facilitator {
        id sessionsFacilitated(first: 3) { nodes { topic community { name } } pageInfo { hasNextPage endCursor } totalCount }
      } } }`;
      const one = [{ __typename: 'Facilitator', id: facilitators[0] }];
      const five = facilitators.map((id) => ({ __typename: 'Facilitator', id }));
      const before1 = subgraph.statements.count;
      const res1 = await gql(query, { r: one });
      const statements1 = subgraph.statements.count - before1;
      const before5 = subgraph.statements.count;
      const res5 = await gql(query, { r: five });
      const statements5 = subgraph.statements.count - before5;
      expect(res5.errors).toBeUndefined();
      expect(statements5).toBe(statements1);
      expect(res1.data?._entities[0]).toEqual(res5.data?._entities[0]);
      // facilitator 0 runs sessions 0, 4, 5, 9, 10, … (40 of them); facilitator 1 runs 0, 1, 5, 6, …
      expect(res5.data?._entities[0].sessionsFacilitated.nodes.map((n: { topic: string }) => n.topic)).toEqual(['Session 0', 'Session 4', 'Session 5']);
      expect(res5.data?._entities[1].sessionsFacilitated.nodes.map((n: { topic: string }) => n.topic)).toEqual(['Session 0', 'Session 1', 'Session 5']);
      expect(res5.data?._entities.map((f: { sessionsFacilitated: { totalCount: number } }) => f.sessionsFacilitated.totalCount)).toEqual([40, 40, 40, 40, 40]);

      const next = await gql(`query($r: [_Any!]!, $after: String) { _entities(representations: $r) { ... on Facilitator {
        sessionsFacilitated(first: 3, after: $after) { nodes { topic } }
      } } }`, { r: one, after: res1.data?._entities[0].sessionsFacilitated.pageInfo.endCursor });
      expect(next.data?._entities[0].sessionsFacilitated.nodes.map((n: { topic: string }) => n.topic)).toEqual(['Session 9', 'Session 10', 'Session 14']);
    });

    it('lists organisations\' communities with their sessions in the same number of statements for 1 or 3 organisations', async () => {
      const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Organisation {
        id communities(first: 5) { nodes { name sessionCount sessions(first: 2) { nodes { topic facilitators { id } } totalCount } } totalCount }
      } } }`;
      const before1 = subgraph.statements.count;
      const res1 = await gql(query, { r: [{ __typename: 'Organisation', id: 'bulk' }] });
      const statements1 = subgraph.statements.count - before1;
      const before3 = subgraph.statements.count;
      const res3 = await gql(query, { r: ['bulk', 'uniting', 'prc'].map((id) => ({ __typename: 'Organisation', id })) });
      const statements3 = subgraph.statements.count - before3;
      expect(res3.errors).toBeUndefined();
      expect(statements3).toBe(statements1);
      expect(res3.data?._entities[0]).toEqual(res1.data?._entities[0]);
      expect(res3.data?._entities[0].communities.nodes[0]).toEqual({
        name: 'Bulk',
        sessionCount: 100,
        sessions: { nodes: [{ topic: 'Session 0', facilitators: [{ id: facilitators[0] }, { id: facilitators[1] }] }, { topic: 'Session 1', facilitators: [{ id: facilitators[1] }, { id: facilitators[2] }] }], totalCount: 100 },
      });
      expect(res3.data?._entities[1].communities.nodes.map((c: { name: string }) => c.name)).toEqual(['Forum', 'Toowoomba MyTime']);
      expect(res3.data?._entities[2].communities.totalCount).toBe(1);
    });
  });
});
