import { createSessionsSubgraph } from '@hub/sessions';
import { newId, type AccessScope, type Subgraph } from '@hub/core';
import { dropTestDatabases, testSubgraphConfig } from '../../../test/support/database';
import { errorCode, postGraphQL } from '../../../test/support/graphql';
import { partnerAdmin, scopeHeaders, scopeOf, SYSTEM_SCOPE } from '../../../test/support/scopes';

/**
 * Issue 6 items 3–5 in the sessions subgraph: the three-tier forum loop, engagement overlaps, and
 * participation and drop-off; the program is `nat`'s, delivered by partners alpha and beta.
 */
describe('forums, engagements and participation', () => {
  const config = testSubgraphConfig('sessions');
  let subgraph: Subgraph;
  let url: string;
  const gql = async (scope: AccessScope, query: string, variables?: Record<string, unknown>) => postGraphQL(url, query, variables, await scopeHeaders(scope));
  const ok = async (scope: AccessScope, query: string, variables?: Record<string, unknown>) => {
    const res = await gql(scope, query, variables);
    expect(res.errors).toBeUndefined();
    return res.data as Record<string, any>;
  };

  const program = newId('nat', 'prg');
  const facA = newId('alpha', 'fac');
  const adminA = partnerAdmin('alpha', ['nat'], [program]);
  const adminB = partnerAdmin('beta', ['nat'], [program]);
  const facilitatorA = scopeOf('facilitator', { organisation: 'alpha', facilitator: facA, organisations: ['alpha', 'nat'], programs: [program], subject: 'fac-a' });
  const participant = scopeOf('participant', { subject: 'p-x', organisations: ['alpha', 'nat'], programs: [program] });
  const manager = (shares: { sessions?: string[]; engagements?: string[] } = {}) =>
    scopeOf('national-manager', {
      organisation: 'nat',
      subject: 'manager',
      organisations: ['nat', 'alpha', 'beta'],
      programs: [program],
      shares: { contacts: [], sessions: shares.sessions ?? [], engagements: shares.engagements ?? [] },
    });

  const forum = async (name: string, tier: string, tierLevel: number) =>
    (await ok(SYSTEM_SCOPE, `mutation($i: CreateCommunityInput!) { createCommunity(input: $i) { id tierLevel } }`, {
      i: { organisationId: 'nat', programId: program, kind: 'FORUM', name, mode: 'ONLINE', tier, tierLevel },
    })).createCommunity.id as string;

  let strategic: string;
  let state: string;
  let regional: string;

  beforeAll(async () => {
    subgraph = await createSessionsSubgraph(config);
    url = await subgraph.listen(0);
    strategic = await forum('Strategic leadership', 'strategic', 1);
    state = await forum('State practitioners', 'state', 2);
    regional = await forum('North regional', 'regional', 3);
  });
  afterAll(async () => {
    await subgraph.stop();
    await dropTestDatabases(config);
  });

  describe('the three-tier loop', () => {
    const ITEM = `query($id: ID!) { forumItem(id: $id) {
      title status tier tierLevel raisedBy forum { id } raisedIn { id } path { id }
      history { kind tier text decision forum { id } fromForum { id } actor }
    } }`;

    it('carries an item up two tiers and its answer back down, keeping every step', async () => {
      const raised = await ok(facilitatorA, `mutation($f: ID!) { raiseForumItem(input: { forumId: $f, title: "Waitlists in the north", description: "Families wait 3 months" }) { id status tier } }`, { f: regional });
      const id = raised.raiseForumItem.id;
      expect(raised.raiseForumItem).toMatchObject({ status: 'OPEN', tier: 'regional' });

      // one tier at a time
      const skip = await gql(facilitatorA, `mutation($i: ID!, $t: ID!) { escalateForumItem(input: { itemId: $i, toForumId: $t }) { id } }`, { i: id, t: strategic });
      expect(errorCode(skip)).toBe('BAD_USER_INPUT');
      expect(skip.errors?.[0]?.extensions?.fields).toEqual([expect.objectContaining({ field: 'input.toForumId' })]);

      await ok(facilitatorA, `mutation($i: ID!, $t: ID!) { escalateForumItem(input: { itemId: $i, toForumId: $t, note: "State-wide issue" }) { status } }`, { i: id, t: state });
      await ok(manager(), `mutation($i: ID!, $t: ID!) { escalateForumItem(input: { itemId: $i, toForumId: $t }) { status } }`, { i: id, t: strategic });

      // a partner admin reads the program's forums but does not act in them
      const notMine = await gql(adminB, `mutation($i: ID!) { respondToForumItem(input: { itemId: $i, response: "no" }) { id } }`, { i: id });
      expect(errorCode(notMine)).toBe('FORBIDDEN');

      const open = await ok(manager(), `query($p: ID!) { _entities(representations: [{ __typename: "Program", id: $p }]) { ... on Program {
        forumSummary { tier tierLevel openItems responses averageDaysToResponse }
        forumItems(filter: { status: ESCALATED }) { totalCount nodes { id tier } }
      } } }`, { p: program });
      expect(open._entities[0].forumItems).toEqual({ totalCount: 1, nodes: [{ id, tier: 'strategic' }] });
      expect(open._entities[0].forumSummary).toEqual([
        { tier: 'strategic', tierLevel: 1, openItems: 1, responses: 0, averageDaysToResponse: null },
        { tier: 'state', tierLevel: 2, openItems: 0, responses: 0, averageDaysToResponse: null },
        { tier: 'regional', tierLevel: 3, openItems: 0, responses: 0, averageDaysToResponse: null },
      ]);

      await ok(manager(), `mutation($i: ID!) { respondToForumItem(input: { itemId: $i, response: "Funding a second group", decision: "Fund" }) { status } }`, { i: id });
      await ok(manager(), `mutation($i: ID!) { returnForumItem(input: { itemId: $i }) { status tier } }`, { i: id });
      const back = await ok(facilitatorA, `mutation($i: ID!) { returnForumItem(input: { itemId: $i, note: "For the region" }) { status tier } }`, { i: id });
      expect(back.returnForumItem).toEqual({ status: 'RESPONDED', tier: 'regional' });

      const seen = (await ok(facilitatorA, ITEM, { id })).forumItem;
      expect(seen).toMatchObject({ status: 'RESPONDED', tier: 'regional', tierLevel: 3, raisedBy: 'fac-a', forum: { id: regional }, raisedIn: { id: regional } });
      expect(seen.path.map((f: { id: string }) => f.id)).toEqual([regional, state, strategic, state, regional]);
      expect(seen.history.map((e: any) => [e.kind, e.forum.id, e.fromForum?.id ?? null])).toEqual([
        ['RAISED', regional, null],
        ['ESCALATED', state, regional],
        ['ESCALATED', strategic, state],
        ['RESPONDED', strategic, null],
        ['RETURNED', state, strategic],
        ['RETURNED', regional, state],
      ]);
      expect(seen.history[3]).toMatchObject({ text: 'Funding a second group', decision: 'Fund', tier: 'strategic' });
      // who took a step is for the person and the administrators involved
      expect(seen.history.map((e: any) => e.actor)).toEqual(['fac-a', 'fac-a', null, null, null, 'fac-a']);

      const summary = await ok(manager(), `query($p: ID!) { _entities(representations: [{ __typename: "Program", id: $p }]) { ... on Program { forumSummary { tier openItems responses averageDaysToResponse } } } }`, { p: program });
      const top = summary._entities[0].forumSummary[0];
      expect(top).toMatchObject({ tier: 'strategic', openItems: 0, responses: 1 });
      expect(top.averageDaysToResponse).toBeGreaterThanOrEqual(0);

      // participants see no forum items
      expect((await ok(participant, ITEM, { id })).forumItem).toBeNull();

      await ok(facilitatorA, `mutation($i: ID!) { closeForumItem(input: { itemId: $i }) { status } }`, { i: id });
      const closed = await gql(facilitatorA, `mutation($i: ID!) { closeForumItem(input: { itemId: $i }) { status } }`, { i: id });
      expect(errorCode(closed)).toBe('CONFLICT');
    });

    it('refuses raising in a community that is not a forum, and returning an item that never left', async () => {
      const group = (await ok(SYSTEM_SCOPE, `mutation($i: CreateCommunityInput!) { createCommunity(input: $i) { id } }`, {
        i: { organisationId: 'alpha', programId: program, kind: 'GROUP', name: 'Alpha group', mode: 'ONLINE' },
      })).createCommunity.id;
      const notForum = await gql(adminA, `mutation($f: ID!) { raiseForumItem(input: { forumId: $f, title: "x" }) { id } }`, { f: group });
      expect(errorCode(notForum)).toBe('BAD_USER_INPUT');
      const { raiseForumItem } = await ok(facilitatorA, `mutation($f: ID!) { raiseForumItem(input: { forumId: $f, title: "Local" }) { id } }`, { f: regional });
      const nowhere = await gql(facilitatorA, `mutation($i: ID!) { returnForumItem(input: { itemId: $i }) { id } }`, { i: raiseForumItem.id });
      expect(errorCode(nowhere)).toBe('BAD_USER_INPUT');
    });
  });

  describe('engagement overlaps', () => {
    const ORG_OVERLAPS = `query($o: ID!) { _entities(representations: [{ __typename: "Organisation", id: $o }]) { ... on Organisation {
      engagementOverlaps { regions { id } audiences startsOn endsOn organisations { id }
        engagements { organisation { id } title audiences startsOn endsOn detailsWithheld regions { id } } }
    } } }`;
    const plan = (scope: AccessScope, organisationId: string, title: string, regionIds: string[], audiences: string[], startsOn: string, endsOn: string) =>
      ok(scope, `mutation($i: PlanEngagementInput!) { planEngagement(input: $i) { id title audiences } }`, {
        i: { organisationId, programId: program, title, regionIds, audiences, startsOn, endsOn },
      });

    beforeAll(async () => {
      await plan(adminA, 'alpha', 'Alpha parent forums', ['au-vic-north'], ['Parents'], '2099-03-01', '2099-03-10');
      await plan(adminB, 'beta', 'Beta carers survey', ['au-vic-north', 'au-vic-south'], ['parents ', 'carers'], '2099-03-05', '2099-03-20');
      // no overlap: other region; other audience; other dates
      await plan(adminB, 'beta', 'Beta south', ['au-vic-south'], ['parents'], '2099-03-01', '2099-03-10');
      await plan(adminB, 'beta', 'Beta youth', ['au-vic-north'], ['youth'], '2099-03-01', '2099-03-10');
      await plan(adminB, 'beta', 'Beta later', ['au-vic-north'], ['parents'], '2099-04-01', '2099-04-10');
    });

    it('reports the overlap to each partner with the other\'s details withheld', async () => {
      const a = (await ok(adminA, ORG_OVERLAPS, { o: 'alpha' }))._entities[0].engagementOverlaps;
      expect(a).toEqual([
        {
          regions: [{ id: 'au-vic-north' }],
          audiences: null,
          startsOn: '2099-03-05',
          endsOn: '2099-03-10',
          organisations: [{ id: 'alpha' }, { id: 'beta' }],
          engagements: [
            { organisation: { id: 'alpha' }, title: 'Alpha parent forums', audiences: ['parents'], startsOn: '2099-03-01', endsOn: '2099-03-10', detailsWithheld: false, regions: [{ id: 'au-vic-north' }] },
            { organisation: { id: 'beta' }, title: null, audiences: null, startsOn: '2099-03-05', endsOn: '2099-03-20', detailsWithheld: true, regions: [{ id: 'au-vic-north' }, { id: 'au-vic-south' }] },
          ],
        },
      ]);
      const b = (await ok(adminB, ORG_OVERLAPS, { o: 'beta' }))._entities[0].engagementOverlaps;
      expect(b).toHaveLength(1);
      expect(b[0].engagements.map((e: any) => [e.organisation.id, e.title])).toEqual([['beta', 'Beta carers survey'], ['alpha', null]]);
      // another partner's overlaps and plans are not for a partner
      const other = await gql(adminB, ORG_OVERLAPS, { o: 'alpha' });
      expect(errorCode(other)).toBe('FORBIDDEN');
    });

    it('reports it to the national manager with details only where the partner shares them', async () => {
      const q = `query($p: ID!) { _entities(representations: [{ __typename: "Program", id: $p }]) { ... on Program {
        engagementOverlaps { audiences engagements { organisation { id } title detailsWithheld } } } } }`;
      const closed = (await ok(manager(), q, { p: program }))._entities[0].engagementOverlaps;
      expect(closed).toEqual([{ audiences: null, engagements: [{ organisation: { id: 'alpha' }, title: null, detailsWithheld: true }, { organisation: { id: 'beta' }, title: null, detailsWithheld: true }] }]);
      const shared = (await ok(manager({ engagements: ['beta'] }), q, { p: program }))._entities[0].engagementOverlaps;
      expect(shared[0].engagements.map((e: any) => e.title).sort()).toEqual(['Beta carers survey', null].sort());
      const both = (await ok(manager({ engagements: ['alpha', 'beta'] }), q, { p: program }))._entities[0].engagementOverlaps;
      expect(both[0].audiences).toEqual(['parents']);
    });

    it('finds an overlap made by an update, and refuses a window that ends before it starts', async () => {
      const { planEngagement } = await plan(adminA, 'alpha', 'Alpha youth camp', ['au-vic-west'], ['youth'], '2099-03-01', '2099-03-02');
      const bad = await gql(adminA, `mutation($id: ID!) { updateEngagement(id: $id, input: { endsOn: "2099-02-01" }) { id } }`, { id: planEngagement.id });
      expect(bad.errors?.[0]?.extensions?.fields).toEqual([expect.objectContaining({ field: 'input.endsOn' })]);
      await ok(adminA, `mutation($id: ID!) { updateEngagement(id: $id, input: { regionIds: ["au-vic-north"] }) { id } }`, { id: planEngagement.id });
      const a = (await ok(adminA, ORG_OVERLAPS, { o: 'alpha' }))._entities[0].engagementOverlaps;
      expect(a).toHaveLength(2);
      const foreign = await gql(adminB, `mutation($id: ID!) { withdrawEngagement(id: $id) }`, { id: planEngagement.id });
      expect(errorCode(foreign)).toBe('NOT_FOUND');
      await ok(adminA, `mutation($id: ID!) { withdrawEngagement(id: $id) }`, { id: planEngagement.id });
    });
  });

  describe('participation and drop-off', () => {
    let group: string;
    beforeAll(async () => {
      group = (await ok(SYSTEM_SCOPE, `mutation($i: CreateCommunityInput!) { createCommunity(input: $i) { id } }`, {
        i: { organisationId: 'alpha', programId: program, kind: 'GROUP', name: 'Alpha parents', mode: 'IN_PERSON' },
      })).createCommunity.id;
      const days = ['2024-01-08', '2024-01-22', '2024-02-05', '2024-02-19'];
      const came = [['p1', 'p2', 'p3'], ['p2', 'p3'], ['p2'], ['p2', 'p3']];
      for (let i = 0; i < days.length; i++) {
        const { scheduleSession } = await ok(SYSTEM_SCOPE, `mutation($c: ID!, $s: DateTimeISO!, $e: DateTimeISO!) { scheduleSession(input: { communityId: $c, topic: "Meet", startsAt: $s, endsAt: $e }) { id } }`, {
          c: group, s: `${days[i]}T09:00:00.000Z`, e: `${days[i]}T11:00:00.000Z`,
        });
        await ok(SYSTEM_SCOPE, `mutation($id: ID!) { endSession(id: $id) { id } }`, { id: scheduleSession.id });
        await ok(SYSTEM_SCOPE, `mutation($i: RecordAttendanceInput!) { recordAttendance(input: $i) { id } }`, {
          i: { sessionId: scheduleSession.id, attendees: came[i].map((attendeeRef) => ({ attendeeRef })), unidentifiedAttendees: 1 },
        });
      }
    });

    const AT_RISK = `query($c: ID!) { community(id: $c) { membersAtRisk(missedLast: 3) { attendeeRef lastAttendedAt missedSessions } } }`;

    it('lists who missed the last 3 sessions for the admin, not for others', async () => {
      expect((await ok(adminA, AT_RISK, { c: group })).community.membersAtRisk).toEqual([{ attendeeRef: 'p1', lastAttendedAt: '2024-01-08T09:00:00.000Z', missedSessions: 3 }]);
      expect((await ok(adminB, AT_RISK, { c: group })).community).toBeNull();
      const nm = await gql(manager(), AT_RISK, { c: group });
      expect(errorCode(nm)).toBe('FORBIDDEN');
      expect(nm.data?.community).toEqual({ membersAtRisk: null });
      expect((await ok(manager({ sessions: ['alpha'] }), AT_RISK, { c: group })).community.membersAtRisk).toHaveLength(1);
    });

    it('gives trends, retention and the national view that add up', async () => {
      const res = await ok(manager(), `query($c: ID!, $p: ID!) {
        community(id: $c) { attendanceTrend(from: "2024-01-01T00:00:00.000Z", to: "2024-04-01T00:00:00.000Z", interval: MONTH) { periodStart sessionsHeld attendance averagePerSession }
          weeks: attendanceTrend(from: "2024-01-01T00:00:00.000Z", to: "2024-03-01T00:00:00.000Z", interval: WEEK) { sessionsHeld attendance }
          retention { sessionNumber cohort retained share } }
        _entities(representations: [{ __typename: "Program", id: $p }]) { ... on Program {
          retention { sessionNumber cohort retained }
          participationByPartner(from: "2024-01-01T00:00:00.000Z", to: "2024-04-01T00:00:00.000Z") { organisation { id } communities sessionsHeld attendance averagePerSession members membersAtRisk } } }
      }`, { c: group, p: program });
      expect(res.community.attendanceTrend).toEqual([
        { periodStart: '2024-01-01T00:00:00.000Z', sessionsHeld: 2, attendance: 7, averagePerSession: 3.5 },
        { periodStart: '2024-02-01T00:00:00.000Z', sessionsHeld: 2, attendance: 5, averagePerSession: 2.5 },
        { periodStart: '2024-03-01T00:00:00.000Z', sessionsHeld: 0, attendance: 0, averagePerSession: null },
      ]);
      expect(res.community.weeks).toHaveLength(9);
      expect(res.community.weeks.reduce((n: number, w: any) => n + w.attendance, 0)).toBe(12);
      expect(res.community.retention).toEqual([
        { sessionNumber: 1, cohort: 3, retained: 3, share: 1 },
        { sessionNumber: 2, cohort: 3, retained: 2, share: 2 / 3 },
        { sessionNumber: 3, cohort: 3, retained: 1, share: 1 / 3 },
        { sessionNumber: 4, cohort: 3, retained: 2, share: 2 / 3 },
      ]);
      const [program_] = res._entities;
      expect(program_.retention.map((r: any) => r.retained)).toEqual([3, 2, 1, 2]);
      expect(program_.participationByPartner).toEqual([
        { organisation: { id: 'alpha' }, communities: 1, sessionsHeld: 4, attendance: 12, averagePerSession: 3, members: 3, membersAtRisk: 1 },
      ]);
    });
  });
});
