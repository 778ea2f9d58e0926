import { createSmallProgram, mutate, type SmallProgram } from './support/fixtures';
import { startTestHub, type Caller, type TestHub } from './support/hub';
import { liveClient, subscribe } from './support/live';

/**
 * Issue 6 items 3–5 through the gateway, as their users would meet them: the three-tier forum loop,
 * engagement overlaps told to both partners and the national manager, participation and drop-off.
 */
describe('communities of practice: forums, engagements, participation', () => {
  let hub: TestHub;
  let program: SmallProgram;
  let manager: Caller;
  let admin0: Caller;
  let admin1: Caller;
  let facilitator0: Caller;
  const clients: ReturnType<typeof liveClient>[] = [];

  beforeAll(async () => {
    hub = await startTestHub();
    program = await createSmallProgram(hub, { partners: 2, facilitators: 1, groups: 1, sessionsPerGroup: 1, answersPerSession: 1 });
    ({ manager } = program);
    admin0 = program.partners[0].admin;
    admin1 = program.partners[1].admin;
    facilitator0 = await hub.as({ role: 'facilitator', org: 'partner-0', facilitator: program.partners[0].facilitatorIds[0], sub: 'fac-0' });
  }, 60_000);
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await hub.stop();
  });

  it('shows an item raised regionally, escalated twice, answered at the top and returned down, with its full path', async () => {
    const forum = async (name: string, tier: string, tierLevel: number) =>
      (await mutate(manager, `mutation($p: ID!, $n: String!, $t: String!, $l: Int!) {
        createCommunity(input: { organisationId: "natmgr", programId: $p, kind: FORUM, name: $n, mode: ONLINE, tier: $t, tierLevel: $l }) { id } }`,
      { p: program.programId, n: name, t: tier, l: tierLevel })).createCommunity.id as string;
    const top = await forum('Strategic leadership forum', 'strategic', 1);
    const state = await forum('State-wide practitioner forum', 'state', 2);
    const regional = await forum('Northern regional forum', 'regional', 3);

    const { raiseForumItem } = await mutate(facilitator0, `mutation($f: ID!) { raiseForumItem(input: { forumId: $f, title: "Interpreters for groups", description: "Families need interpreters" }) { id } }`, { f: regional });
    const id = raiseForumItem.id;
    await mutate(facilitator0, `mutation($i: ID!, $t: ID!) { escalateForumItem(input: { itemId: $i, toForumId: $t }) { status } }`, { i: id, t: state });
    await mutate(manager, `mutation($i: ID!, $t: ID!) { escalateForumItem(input: { itemId: $i, toForumId: $t, note: "Needs funding" }) { status } }`, { i: id, t: top });

    const PROGRAM_VIEW = `query($p: ID!) { program(id: $p) { name forumSummary { tier openItems responses averageDaysToResponse } } }`;
    const waiting = await mutate(manager, PROGRAM_VIEW, { p: program.programId });
    expect(waiting.program.name).toBe('Test program');
    expect(waiting.program.forumSummary.map((t: any) => [t.tier, t.openItems])).toEqual([['strategic', 1], ['state', 0], ['regional', 0]]);

    await mutate(manager, `mutation($i: ID!) { respondToForumItem(input: { itemId: $i, response: "Interpreter budget approved", decision: "Approved" }) { status } }`, { i: id });
    await mutate(manager, `mutation($i: ID!) { returnForumItem(input: { itemId: $i }) { status } }`, { i: id });
    await mutate(facilitator0, `mutation($i: ID!) { returnForumItem(input: { itemId: $i }) { status } }`, { i: id });

    const { forumItem } = await mutate(facilitator0, `query($i: ID!) { forumItem(id: $i) {
      status forum { name } program { name } path { name }
      history { kind forum { name } fromForum { name } text decision }
    } }`, { i: id });
    expect(forumItem).toMatchObject({ status: 'RESPONDED', forum: { name: 'Northern regional forum' }, program: { name: 'Test program' } });
    expect(forumItem.path.map((f: any) => f.name)).toEqual([
      'Northern regional forum', 'State-wide practitioner forum', 'Strategic leadership forum', 'State-wide practitioner forum', 'Northern regional forum',
    ]);
    expect(forumItem.history.map((e: any) => e.kind)).toEqual(['RAISED', 'ESCALATED', 'ESCALATED', 'RESPONDED', 'RETURNED', 'RETURNED']);
    expect(forumItem.history[3]).toMatchObject({ forum: { name: 'Strategic leadership forum' }, text: 'Interpreter budget approved', decision: 'Approved' });

    const answered = await mutate(manager, PROGRAM_VIEW, { p: program.programId });
    const strategic = answered.program.forumSummary.find((t: any) => t.tier === 'strategic');
    expect(strategic).toMatchObject({ openItems: 0, responses: 1 });
    expect(typeof strategic.averageDaysToResponse).toBe('number');
  });

  it('lets the national forum send a partner\'s item back to the partner\'s own forum, which the partner then sees answered', async () => {
    const create = async (caller: Caller, organisation: string, name: string, tier: string, tierLevel: number) =>
      (await mutate(caller, `mutation($o: ID!, $p: ID!, $n: String!, $t: String!, $l: Int!) {
        createCommunity(input: { organisationId: $o, programId: $p, kind: FORUM, name: $n, mode: ONLINE, tier: $t, tierLevel: $l }) { id } }`,
      { o: organisation, p: program.programId, n: name, t: tier, l: tierLevel })).createCommunity.id as string;
    const national = await create(manager, 'natmgr', 'National forum', 'national', 1);
    const own = await create(admin0, 'partner-0', 'Partner forum', 'partner', 2);
    const { raiseForumItem } = await mutate(facilitator0, `mutation($f: ID!) { raiseForumItem(input: { forumId: $f, title: "Transport to groups" }) { id } }`, { f: own });
    const id = raiseForumItem.id;
    await mutate(facilitator0, `mutation($i: ID!, $t: ID!) { escalateForumItem(input: { itemId: $i, toForumId: $t }) { status } }`, { i: id, t: national });
    await mutate(manager, `mutation($i: ID!) { respondToForumItem(input: { itemId: $i, response: "Use the travel fund" }) { status } }`, { i: id });
    const back = await mutate(manager, `mutation($i: ID!) { returnForumItem(input: { itemId: $i }) { status forum { name } } }`, { i: id });
    expect(back.returnForumItem).toEqual({ status: 'RESPONDED', forum: { name: 'Partner forum' } });
    const { forumItem } = await mutate(facilitator0, `query($i: ID!) { forumItem(id: $i) { status forum { name } history { kind forum { name } } } }`, { i: id });
    expect(forumItem.history.map((h: any) => [h.kind, h.forum.name])).toEqual([
      ['RAISED', 'Partner forum'], ['ESCALATED', 'National forum'], ['RESPONDED', 'National forum'], ['RETURNED', 'Partner forum'],
    ]);
    // once it is back, the partner's forum acts on it, not the national manager
    const again = await manager.query(`mutation($i: ID!) { closeForumItem(input: { itemId: $i }) { status } }`, { i: id });
    expect(again.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await mutate(facilitator0, `mutation($i: ID!) { closeForumItem(input: { itemId: $i }) { status } }`, { i: id })).closeForumItem.status).toBe('CLOSED');
  });

  it('tells both partners and the national manager of overlapping engagements, each seeing only what is shared', async () => {
    // partner-1 opens its engagement plans to the national manager; partner-0 does not
    await mutate(admin1, `mutation($p: ID!) { setSharingAgreement(programId: $p, input: { shareEngagementPlans: true }) { shareEngagementPlans } }`, { p: program.programId });
    const SUB = `subscription($o: ID, $p: ID) { engagementOverlaps(organisationId: $o, programId: $p) {
      organisations { name } regions { id } startsOn endsOn engagements { organisation { id } title detailsWithheld } } }`;
    const client = (c: Caller) => {
      const x = liveClient(hub.gatewayUrl, c.token);
      clients.push(x);
      return x;
    };
    const to0 = subscribe(client(admin0), SUB, { o: 'partner-0' });
    const to1 = subscribe(client(admin1), SUB, { o: 'partner-1' });
    const toManager = subscribe(client(manager), SUB, { p: program.programId });
    const deadline = Date.now() + 5000;
    while (hub.subgraphs.sessions.events.subscriptionCount < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));

    const PLAN = `mutation($i: PlanEngagementInput!) { planEngagement(input: $i) { id } }`;
    await mutate(admin0, PLAN, { i: { organisationId: 'partner-0', programId: program.programId, title: 'Partner 0 family days', regionIds: ['au-qld-central'], audiences: ['parents'], startsOn: '2099-05-01', endsOn: '2099-05-31' } });
    await mutate(admin1, PLAN, { i: { organisationId: 'partner-1', programId: program.programId, title: 'Partner 1 consultation', regionIds: ['au-qld-central'], audiences: ['Parents', 'grandparents'], startsOn: '2099-05-20', endsOn: '2099-06-10' } });

    const [live0, live1, liveManager] = await Promise.all([to0.next(), to1.next(), toManager.next()]);
    const sides = (r: any) => r.data.engagementOverlaps.engagements.map((e: any) => [e.organisation.id, e.title, e.detailsWithheld]);
    expect(live0.data?.engagementOverlaps).toMatchObject({ organisations: [{ name: 'partner-0' }, { name: 'partner-1' }], regions: [{ id: 'au-qld-central' }], startsOn: '2099-05-20', endsOn: '2099-05-31' });
    expect(sides(live0)).toEqual([['partner-0', 'Partner 0 family days', false], ['partner-1', null, true]]);
    expect(sides(live1)).toEqual([['partner-1', 'Partner 1 consultation', false], ['partner-0', null, true]]);
    expect(sides(liveManager)).toEqual([['partner-0', null, true], ['partner-1', 'Partner 1 consultation', false]]);

    // the same through queries
    const OVERLAPS = `query($o: ID!) { organisation(id: $o) { name engagementOverlaps { audiences engagements { organisation { name } title audiences } } } }`;
    const seen0 = await mutate(admin0, OVERLAPS, { o: 'partner-0' });
    expect(seen0.organisation.engagementOverlaps).toEqual([
      { audiences: null, engagements: [{ organisation: { name: 'partner-0' }, title: 'Partner 0 family days', audiences: ['parents'] }, { organisation: { name: 'partner-1' }, title: null, audiences: null }] },
    ]);
    const notTheirs = await admin1.query(OVERLAPS, { o: 'partner-0' });
    expect(notTheirs.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(notTheirs.data?.organisation).toEqual({ name: 'partner-0', engagementOverlaps: null });
    const national = await mutate(manager, `query($p: ID!) { program(id: $p) { engagementOverlaps { engagements { organisation { name } title } } } }`, { p: program.programId });
    expect(national.program.engagementOverlaps).toEqual([{ engagements: [{ organisation: { name: 'partner-0' }, title: null }, { organisation: { name: 'partner-1' }, title: 'Partner 1 consultation' }] }]);
  });

  it('lists a member who missed the last 3 sessions for its admin only, and the national participation view and attendance trend add up', async () => {
    const { createCommunity } = await mutate(admin0, `mutation($p: ID!) { createCommunity(input: { organisationId: "partner-0", programId: $p, kind: GROUP, name: "Drop-off group", mode: IN_PERSON }) { id } }`, { p: program.programId });
    const group = createCommunity.id;
    const came = [['m1', 'm2'], ['m2'], ['m2'], ['m2']];
    for (let i = 0; i < came.length; i++) {
      const startsAt = `2024-0${i + 1}-10T09:00:00.000Z`;
      const { scheduleSession } = await mutate(admin0, `mutation($c: ID!, $s: DateTimeISO!, $e: DateTimeISO!) { scheduleSession(input: { communityId: $c, topic: "Meet", startsAt: $s, endsAt: $e }) { id } }`, {
        c: group, s: startsAt, e: startsAt.replace('T09', 'T11'),
      });
      await mutate(admin0, `mutation($id: ID!) { endSession(id: $id) { id } }`, { id: scheduleSession.id });
      await mutate(admin0, `mutation($i: RecordAttendanceInput!) { recordAttendance(input: $i) { id } }`, { i: { sessionId: scheduleSession.id, attendees: came[i].map((attendeeRef) => ({ attendeeRef })), unidentifiedAttendees: 0 } });
    }
    const AT_RISK = `query($c: ID!) { community(id: $c) { name membersAtRisk(missedLast: 3) { attendeeRef missedSessions } } }`;
    expect((await mutate(admin0, AT_RISK, { c: group })).community).toEqual({ name: 'Drop-off group', membersAtRisk: [{ attendeeRef: 'm1', missedSessions: 3 }] });
    expect((await mutate(admin1, AT_RISK, { c: group })).community).toBeNull();

    const from = '2024-01-01T00:00:00.000Z';
    const to = '2024-05-01T00:00:00.000Z';
    const { community } = await mutate(admin0, `query($c: ID!, $f: DateTimeISO!, $t: DateTimeISO!) { community(id: $c) {
      attendanceTrend(from: $f, to: $t, interval: MONTH) { sessionsHeld attendance } retention { sessionNumber share } } }`, { c: group, f: from, t: to });
    expect(community.attendanceTrend).toEqual([1, 1, 1, 1].map((s, i) => ({ sessionsHeld: s, attendance: came[i].length })));
    expect(community.retention.map((r: any) => r.share)).toEqual([1, 0.5, 0.5, 0.5]);

    const { program: view } = await mutate(manager, `query($p: ID!, $f: DateTimeISO!, $t: DateTimeISO!) { program(id: $p) {
      participationByPartner(from: $f, to: $t) { organisation { name attendanceCount(from: $f, to: $t) } sessionsHeld attendance membersAtRisk }
      attendanceTrend(from: $f, to: $t, interval: MONTH) { sessionsHeld attendance }
      deliveryPartners { id } } }`, { p: program.programId, f: from, t: to });
    expect(view.participationByPartner).toEqual([{ organisation: { name: 'partner-0', attendanceCount: 5 }, sessionsHeld: 4, attendance: 5, membersAtRisk: 1 }]);
    // the program's trend adds up its communities' (here the one group that held sessions then)
    expect(view.attendanceTrend).toEqual(community.attendanceTrend);
    // within the caller's wall: another partner's admin counts none of partner-0's sessions
    const { program: walled } = await mutate(admin1, `query($p: ID!, $f: DateTimeISO!, $t: DateTimeISO!) { program(id: $p) { attendanceTrend(from: $f, to: $t) { sessionsHeld } } }`, { p: program.programId, f: from, t: to });
    expect(walled.attendanceTrend).toEqual([0, 0, 0, 0].map((sessionsHeld) => ({ sessionsHeld })));
  });
});
