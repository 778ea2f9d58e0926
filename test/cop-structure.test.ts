import { errorCode } from './support/graphql';
import { createSmallProgram, mutate, type SmallProgram } from './support/fixtures';
import { startTestHub, type Caller, type TestHub } from './support/hub';

/**
 * Issue 6 items 1 and 8 through the gateway, as the people in the source documents would use them:
 * a partner co-designs its community of practice (purpose, scope, expectations, terms of reference
 * revised over time), plans a seven-session 'Share, Discuss, Apply' program from the template with
 * its members' topics and cadence, records learnings and shares resources, and finds them again by
 * full-text search. Another partner sees and changes none of it.
 */
describe('co-design and structure of a community of practice, through the gateway', () => {
  let hub: TestHub;
  let program: SmallProgram;
  let adminA: Caller;
  let adminB: Caller;
  let facilitatorA: Caller;
  let copId: string;

  beforeAll(async () => {
    hub = await startTestHub({ accessScopeTtlMs: 0 });
    program = await createSmallProgram(hub, { partners: 2, facilitators: 2, groups: 1, sessionsPerGroup: 1, answersPerSession: 0 });
    const [a, b] = program.partners;
    adminA = await hub.as({ role: 'partner-admin', org: a.id, sub: 'sam.admin@partner-0' });
    adminB = await hub.as({ role: 'partner-admin', org: b.id, sub: 'kim.admin@partner-1' });
    facilitatorA = await hub.as({ role: 'facilitator', org: a.id, facilitator: a.facilitatorIds[0], sub: 'fac-0@partner-0' });
    const { createCommunity } = await mutate(
      adminA,
      `mutation($o: ID!, $p: ID!) { createCommunity(input: {
        organisationId: $o, programId: $p, kind: COMMUNITY_OF_PRACTICE, name: "Engagement practitioners CoP", mode: ONLINE,
        purpose: "Build staff capability in planning and delivering community engagement",
        scope: "Officer-level staff who plan and deliver engagement; not a decision-making body",
        expectations: "Attend when you can, take a turn to facilitate, keep what is shared confidential",
        termsOfReference: "Draft terms from the co-design session"
      }) { id } }`,
      { o: a.id, p: program.programId },
    );
    copId = createCommunity.id;
  }, 120_000);
  afterAll(() => hub.stop());

  it('keeps the terms of reference as versions: a partner admin revises them twice and the history shows who changed what, when', async () => {
    const revise = (text: string, changeNote: string) =>
      mutate(adminA, `mutation($i: ReviseCommunityDocumentInput!) { reviseCommunityDocument(input: $i) { version } }`, {
        i: { communityId: copId, kind: 'TERMS_OF_REFERENCE', text, changeNote },
      });
    expect((await revise('Meets monthly for 90 minutes, online.', 'Meeting length and frequency agreed by the group')).reviseCommunityDocument.version).toBe(2);
    expect((await revise('Meets monthly for 90 minutes, online. Members take turns to facilitate.', 'Rotating facilitation')).reviseCommunityDocument.version).toBe(3);

    const res = await adminA.query(`query($id: ID!) { community(id: $id) {
      purpose scope expectations termsOfReference
      documents(kind: TERMS_OF_REFERENCE) { totalCount nodes { version text changedBy changeNote changedAt } }
    } }`, { id: copId });
    expect(res.errors).toBeUndefined();
    const community = res.data?.community;
    expect(community.scope).toMatch(/not a decision-making body/);
    expect(community.expectations).toMatch(/take a turn to facilitate/);
    expect(community.termsOfReference).toBe('Meets monthly for 90 minutes, online. Members take turns to facilitate.');
    expect(community.documents.totalCount).toBe(3);
    expect(community.documents.nodes.map((d: Record<string, unknown>) => [d.version, d.changedBy, d.changeNote, d.text])).toEqual([
      [3, 'sam.admin@partner-0', 'Rotating facilitation', 'Meets monthly for 90 minutes, online. Members take turns to facilitate.'],
      [2, 'sam.admin@partner-0', 'Meeting length and frequency agreed by the group', 'Meets monthly for 90 minutes, online.'],
      [1, 'sam.admin@partner-0', 'First version', 'Draft terms from the co-design session'],
    ]);
    for (const d of community.documents.nodes) expect(Number.isNaN(Date.parse(d.changedAt))).toBe(false);
  });

  it('plans a seven-session program from the template with the members\' topics and cadence; it appears in community.sessions', async () => {
    const { sessionTemplates } = await mutate(adminA, `{ sessionTemplates { key name formatPhases suggestedTopics suggestedLengthMinutes } }`);
    const template = sessionTemplates.find((t: { name: string }) => t.name === 'Seven-session CoP: Share, Discuss, Apply');
    expect(template.suggestedTopics).toHaveLength(7);
    // the members keep five suggested topics and put two of their own in
    const topics = [...template.suggestedTopics.slice(0, 5), 'Working with our council\'s engagement plan template', 'Celebrating what we achieved'];
    const [lead, co] = program.partners[0].facilitatorIds;
    const { planSessionProgram } = await mutate(
      adminA,
      `mutation($i: PlanSessionProgramInput!) { planSessionProgram(input: $i) { id topic startsAt endsAt formatPhases facilitators { id } } }`,
      { i: { communityId: copId, topics, firstStartsAt: '2031-03-03T02:00:00.000Z', cadenceDays: 21, lengthMinutes: template.suggestedLengthMinutes, formatPhases: template.formatPhases, facilitatorIds: [lead, co] } },
    );
    expect(planSessionProgram).toHaveLength(7);
    expect(planSessionProgram.map((s: { facilitators: { id: string }[] }) => s.facilitators.map((f) => f.id))).toEqual([[lead], [co], [lead], [co], [lead], [co], [lead]]);
    expect(planSessionProgram[6].startsAt).toBe('2031-07-07T02:00:00.000Z');
    expect(Date.parse(planSessionProgram[0].endsAt) - Date.parse(planSessionProgram[0].startsAt)).toBe(90 * 60_000);

    const res = await adminA.query(`query($id: ID!) { community(id: $id) { sessions { totalCount nodes { topic formatPhases status } } } }`, { id: copId });
    expect(res.errors).toBeUndefined();
    expect(res.data?.community.sessions.totalCount).toBe(7);
    expect(res.data?.community.sessions.nodes.map((s: { topic: string }) => s.topic)).toEqual(topics);
    expect(res.data?.community.sessions.nodes.every((s: { formatPhases: string[]; status: string }) => s.formatPhases.join() === 'Share,Discuss,Apply' && s.status === 'SCHEDULED')).toBe(true);
  });

  it('finds a learning by a word that appears in it, and another partner does not', async () => {
    const [a] = program.partners;
    const past = await adminA.query(`query($c: ID!) { community(id: $c) { sessions(filter: { status: ENDED }) { nodes { id } } } }`, { c: a.groupIds[0] });
    const sessionId = past.data?.community.sessions.nodes[0].id;
    // the session's facilitator records what the group learned
    await mutate(facilitatorA, `mutation($i: RecordLearningInput!) { recordLearning(input: $i) { id } }`, {
      i: { sessionId, text: 'Mapping upcoming engagements showed two teams surveying the same families; coordinating avoids community fatigue.', tags: ['mapping'] },
    });
    await mutate(adminA, `mutation($i: ShareResourceInput!) { shareResource(input: $i) { id } }`, {
      i: { communityId: copId, title: 'Engagement mapping template', url: 'https://example.org/mapping', description: 'For mapping upcoming engagements across teams' },
    });

    const search = (caller: Caller, q: string) =>
      caller.query(`query($q: String!, $p: ID) { searchLearnings(query: $q, programId: $p) { totalCount nodes { text recordedBy session { id community { name } } } } }`, { q, p: program.programId });
    const found = await search(adminA, 'fatigue');
    expect(found.errors).toBeUndefined();
    expect(found.data?.searchLearnings.totalCount).toBe(1);
    expect(found.data?.searchLearnings.nodes[0]).toEqual({ text: expect.stringContaining('community fatigue'), recordedBy: 'fac-0@partner-0', session: { id: sessionId, community: { name: 'Group 0' } } });
    expect((await search(adminA, 'surveys')).data?.searchLearnings.totalCount).toBe(1);
    expect((await search(adminA, 'budget')).data?.searchLearnings.totalCount).toBe(0);
    const other = await search(adminB, 'fatigue');
    expect(other.errors).toBeUndefined();
    expect(other.data?.searchLearnings).toEqual({ totalCount: 0, nodes: [] });

    const session = await adminA.query(`query($s: ID!) { session(id: $s) { learnings { totalCount nodes { tags } } } }`, { s: sessionId });
    expect(session.data?.session.learnings).toEqual({ totalCount: 1, nodes: [{ tags: ['mapping'] }] });
    const resources = await adminA.query(`{ searchResources(query: "mapping template") { nodes { title community { name } organisation { name } } } }`);
    expect(resources.data?.searchResources.nodes).toEqual([{ title: 'Engagement mapping template', community: { name: 'Engagement practitioners CoP' }, organisation: { name: 'partner-0' } }]);
    expect((await adminB.query(`{ searchResources(query: "mapping template") { totalCount } }`)).data?.searchResources.totalCount).toBe(0);
  });

  it('lets another partner neither see nor change any of it', async () => {
    const seen = await adminB.query(`query($id: ID!) { community(id: $id) { id termsOfReference documents { totalCount } } }`, { id: copId });
    expect(seen.errors).toBeUndefined();
    expect(seen.data?.community).toBeNull();
    const attempts: [string, Record<string, unknown>][] = [
      [`mutation($i: ReviseCommunityDocumentInput!) { reviseCommunityDocument(input: $i) { id } }`, { i: { communityId: copId, kind: 'CODE_OF_PRACTICE', text: 'Planted' } }],
      [`mutation($i: PlanSessionProgramInput!) { planSessionProgram(input: $i) { id } }`, { i: { communityId: copId, topics: ['Planted'], firstStartsAt: '2031-01-01T00:00:00Z', cadenceDays: 7, lengthMinutes: 60 } }],
      [`mutation($i: ShareResourceInput!) { shareResource(input: $i) { id } }`, { i: { communityId: copId, title: 'Planted' } }],
      [`mutation($id: ID!) { updateCommunity(id: $id, input: { termsOfReference: "Planted" }) { id } }`, { id: copId }],
    ];
    for (const [query, variables] of attempts) {
      const res = await adminB.query(query, variables);
      expect(errorCode(res)).toBe('NOT_FOUND');
    }
    const { community } = await mutate(adminA, `query($id: ID!) { community(id: $id) { codeOfPractice sessionCount documents { totalCount } resources { totalCount } } }`, { id: copId });
    expect(community).toEqual({ codeOfPractice: '', sessionCount: 7, documents: { totalCount: 3 }, resources: { totalCount: 1 } });
    // partner A's own facilitator, rostered on the community's sessions (facilitation rotates), drafts its code of practice
    const byFacilitator = await facilitatorA.query(`mutation($i: ReviseCommunityDocumentInput!) { reviseCommunityDocument(input: $i) { version changedBy } }`, {
      i: { communityId: copId, kind: 'CODE_OF_PRACTICE', text: 'What is shared in the CoP stays in the CoP.', changeNote: 'Drafted with members' },
    });
    expect(byFacilitator.errors).toBeUndefined();
    expect(byFacilitator.data?.reviseCommunityDocument).toEqual({ version: 1, changedBy: 'fac-0@partner-0' });
  });
});
