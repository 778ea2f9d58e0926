import { createSmallProgram, mutate, type SmallProgram } from './support/fixtures';
import { startTestHub, type Caller, type TestHub } from './support/hub';
import { move, registerNode, summaries, testNode, type TestNode } from './support/nodes';

/**
 * Records of one organisation that refer to another's, across deployments. The three-tier forum
 * loop: a partner's items escalated into the national forum move with the partner to its own node
 * and back, keep showing their forums, and the national forum's people still answer and return
 * them; the partner escalates new ones from its node. Communities of practice: the node's
 * facilitators train on the program's catalogue and join the national community, held to its
 * rules, which the hub keeps. Everything through the gateway, on the hub's and the node's own
 * databases.
 */
describe('records referring to another organisation\'s, across the hub and a partner node', () => {
  let hub: TestHub;
  let program: SmallProgram;
  let manager: Caller;
  let admin0: Caller;
  let node: TestNode;
  let national: string;
  let local: string;
  let escalated: string;
  let original: Awaited<ReturnType<typeof summaries>>;
  let view: unknown;
  let course: string;
  let cop: string;

  const ITEMS = `query($p: ID!) { program(id: $p) { forumSummary { tier openItems responses }
    forumItems(first: 50) { totalCount edges { node { id title status tier forumId forum { name } raisedIn { name } path { name }
      history { kind text forum { name } fromForum { name } } } } } } }`;
  const inForum = async (forum: string, caller: Caller = manager) =>
    (await mutate(caller, `query($f: ID!) { community(id: $f) { name forumItems(first: 10) { totalCount edges { node { id title } } } } }`, { f: forum })).community;
  const items = async (caller: Caller = manager) => (await mutate(caller, ITEMS, { p: program.programId })).program;
  const step = (caller: Caller, mutation: string, input: Record<string, unknown>) =>
    caller.query(`mutation($i: ${mutation[0].toUpperCase()}${mutation.slice(1)}Input!) { ${mutation}(input: $i) { id status forum { name } } }`, { i: input });

  beforeAll(async () => {
    hub = await startTestHub({ accessScopeTtlMs: 0 });
    program = await createSmallProgram(hub, { partners: 2, facilitators: 2, groups: 1, sessionsPerGroup: 1, answersPerSession: 1 });
    ({ manager } = program);
    admin0 = program.partners[0].admin;
    const forum = async (caller: Caller, organisation: string, name: string, tier: string, tierLevel: number) =>
      (await mutate(caller, `mutation($o: ID!, $p: ID!, $n: String!, $t: String!, $l: Int!) {
        createCommunity(input: { organisationId: $o, programId: $p, kind: FORUM, name: $n, mode: ONLINE, tier: $t, tierLevel: $l }) { id } }`,
      { o: organisation, p: program.programId, n: name, t: tier, l: tierLevel })).createCommunity.id as string;
    national = await forum(manager, 'natmgr', 'National practice forum', 'national', 1);
    local = await forum(admin0, 'partner-0', 'Partner 0 practice forum', 'local', 2);
    // all hub-hosted: one item escalated into the national forum, one staying local
    const raise = async (title: string) => (await mutate(admin0, `mutation($f: ID!, $t: String!) { raiseForumItem(input: { forumId: $f, title: $t }) { id } }`, { f: local, t: title })).raiseForumItem.id as string;
    escalated = await raise('Waiting lists for groups');
    await raise('Venue for the spring groups');
    expect((await step(admin0, 'escalateForumItem', { itemId: escalated, toForumId: national, note: 'Every region has this' })).errors).toBeUndefined();
    // the national community of practice and the catalogue course it requires, kept at the hub
    course = (await mutate(manager, `mutation($p: ID!) { createTrainingCourse(input: { programId: $p, organisationId: "natmgr", name: "Group facilitation foundations" }) { id } }`, { p: program.programId })).createTrainingCourse.id;
    cop = (await mutate(manager, `mutation($p: ID!) { createCommunity(input: { organisationId: "natmgr", programId: $p, kind: COMMUNITY_OF_PRACTICE, name: "National practitioners CoP", mode: ONLINE }) { id } }`, { p: program.programId })).createCommunity.id;
    await mutate(manager, `mutation($c: ID!, $i: SetMembershipRulesInput!) { setMembershipRules(communityId: $c, input: $i) { confidentialityRequired } }`, {
      c: cop,
      i: { requiredTraining: [{ courseId: course, minimumLevel: 'PRACTITIONER' }], confidentialityRequired: true },
    });
    original = await summaries(hub.subgraphs, 'partner-0');
    view = await items();
    node = testNode(hub, 'partner-0');
    await node.start();
    await registerNode(hub, manager, node);
  }, 60_000);
  afterAll(async () => {
    await node?.destroy();
    await hub?.stop();
  });

  it('moves a partner whose item sits in the national forum to its node, counted and checksummed, and shows the same items', async () => {
    expect(original.sessions.forum_item.count).toBe(2);
    const report = await move(hub, manager, node, 'NODE');
    expect(report.after).toEqual(original);
    expect(await summaries(node.running!.subgraphs, 'partner-0')).toEqual(original);
    expect((await summaries(hub.subgraphs, 'partner-0')).sessions.forum_item.count).toBe(0);
    // the item is on the node, its national forum at the hub: the gateway fills the forum in
    const now = await items();
    expect(now).toEqual(view);
    const item = now.forumItems.edges.find((e: any) => e.node.id === escalated).node;
    expect(item).toMatchObject({ status: 'ESCALATED', tier: 'national', forumId: national, forum: { name: 'National practice forum' }, raisedIn: { name: 'Partner 0 practice forum' } });
    expect(item.path.map((f: any) => f.name)).toEqual(['Partner 0 practice forum', 'National practice forum']);
    expect(item.history.map((h: any) => [h.kind, h.forum.name, h.fromForum?.name ?? null])).toEqual([
      ['RAISED', 'Partner 0 practice forum', null],
      ['ESCALATED', 'National practice forum', 'Partner 0 practice forum'],
    ]);
    // the national forum (at the hub) lists the item its partner's node holds
    expect(await inForum(national)).toEqual({ name: 'National practice forum', forumItems: { totalCount: 1, edges: [{ node: { id: escalated, title: 'Waiting lists for groups' } }] } });
    expect((await inForum(local)).forumItems.totalCount).toBe(1);
    // to another partner too, who reads the national forum, though not partner-0's own records
    expect((await inForum(national, program.partners[1].admin)).forumItems.edges).toEqual([{ node: { id: escalated, title: 'Waiting lists for groups' } }]);
    // and so does the program's list of forums, and the national list of communities
    const forums = await mutate(manager, `query($p: ID!) {
      program(id: $p) { communities(filter: { kind: FORUM }) { edges { node { name items: forumItems(first: 10) { totalCount edges { node { id } } } } } } }
      communities(filter: { kind: FORUM }) { nodes { name forumItems { totalCount } } } }`, { p: program.programId });
    expect(forums.program.communities.edges.map((e: any) => [e.node.name, e.node.items.totalCount, e.node.items.edges.length])).toEqual([
      ['National practice forum', 1, 1],
      ['Partner 0 practice forum', 1, 1],
    ]);
    expect(forums.communities.nodes).toEqual([
      { name: 'National practice forum', forumItems: { totalCount: 1 } },
      { name: 'Partner 0 practice forum', forumItems: { totalCount: 1 } },
    ]);
  });

  it('lets the national forum answer and return the node-hosted item, recorded on the node', async () => {
    const answered = await step(manager, 'respondToForumItem', { itemId: escalated, response: 'We will fund two more groups', decision: 'Funded' });
    expect(answered.errors).toBeUndefined();
    expect(answered.data?.respondToForumItem).toEqual({ id: escalated, status: 'RESPONDED', forum: { name: 'National practice forum' } });
    const returned = await step(manager, 'returnForumItem', { itemId: escalated, note: 'Back to you' });
    expect(returned.errors).toBeUndefined();
    expect(returned.data?.returnForumItem).toEqual({ id: escalated, status: 'RESPONDED', forum: { name: 'Partner 0 practice forum' } });
    const [row] = await node.running!.subgraphs.sessions.dataSource.query(`SELECT forum_id, status FROM forum_item WHERE id = $1`, [escalated]);
    expect(row).toEqual({ forum_id: local, status: 'RESPONDED' });
    const item = (await items(admin0)).forumItems.edges.find((e: any) => e.node.id === escalated).node;
    expect(item.history.map((h: any) => [h.kind, h.forum.name, h.text])).toEqual([
      ['RAISED', 'Partner 0 practice forum', null],
      ['ESCALATED', 'National practice forum', 'Every region has this'],
      ['RESPONDED', 'National practice forum', 'We will fund two more groups'],
      ['RETURNED', 'Partner 0 practice forum', 'Back to you'],
    ]);
  });

  it('lets the partner raise an item on its node and escalate it into the national forum at the hub', async () => {
    const raised = await mutate(admin0, `mutation($f: ID!) { raiseForumItem(input: { forumId: $f, title: "Interpreters" }) { id } }`, { f: local });
    const id = raised.raiseForumItem.id as string;
    const up = await step(admin0, 'escalateForumItem', { itemId: id, toForumId: national });
    expect(up.errors).toBeUndefined();
    expect(up.data?.escalateForumItem).toEqual({ id, status: 'ESCALATED', forum: { name: 'National practice forum' } });
    const national_ = await mutate(manager, `query($p: ID!) { program(id: $p) { forumItems(first: 10, filter: { tier: "national" }) { edges { node { id forum { name } } } } } }`, { p: program.programId });
    expect(national_.program.forumItems.edges.map((e: any) => e.node)).toEqual([{ id, forum: { name: 'National practice forum' } }]);
    expect((await inForum(national)).forumItems.edges.map((e: any) => e.node.id)).toEqual([id]);
    // the partner's own forum holds the one it was sent back, newest first across the deployments
    expect((await inForum(local, admin0)).forumItems.edges.map((e: any) => e.node.title)).toEqual(['Venue for the spring groups', 'Waiting lists for groups']);
    const { forumSummary } = await items();
    expect(forumSummary).toEqual([
      { tier: 'national', openItems: 1, responses: 1 },
      { tier: 'local', openItems: 1, responses: 0 },
    ]);
  });

  it('refuses an escalation to a forum that does not exist, or to one the caller cannot read, changing nothing', async () => {
    const before = await summaries(node.running!.subgraphs, 'partner-0');
    const [{ id }] = await node.running!.subgraphs.sessions.dataSource.query(`SELECT id FROM forum_item WHERE status = 'OPEN' LIMIT 1`);
    const missing = await step(admin0, 'escalateForumItem', { itemId: id, toForumId: national.replace(/.$/, national.endsWith('0') ? '1' : '0') });
    expect(missing.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', fields: [{ field: 'input.toForumId' }] });
    // partner-1 is hub-hosted and may not act in partner-0's forum, nor see its items
    const other = await step(program.partners[1].admin, 'respondToForumItem', { itemId: id, response: 'Not mine' });
    expect(other.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(await summaries(node.running!.subgraphs, 'partner-0')).toEqual(before);
  });

  it('records a node-hosted facilitator\'s training on the hub\'s catalogue, lets it join the national community of practice held to its rules, and reports its breaches with the hub\'s members', async () => {
    const [trained, untrained] = program.partners[0].facilitatorIds;
    const recorded = await admin0.query(`mutation($i: RecordTrainingInput!) { recordTraining(input: $i) { id course { name } completedOn expiresOn } }`, {
      i: { facilitatorId: trained, courseId: course, completedOn: '2026-03-01', accreditationLevel: 'PRACTITIONER' },
    });
    expect(recorded.errors).toBeUndefined();
    expect(recorded.data?.recordTraining).toMatchObject({ course: { name: 'Group facilitation foundations' }, completedOn: '2026-03-01', expiresOn: null });
    // on the node's database, referring to the hub's course by ID
    const onNode = await node.running!.subgraphs.facilitators.dataSource.query(`SELECT course_id FROM training_record WHERE facilitator_id = $1`, [trained]);
    expect(onNode).toEqual([{ course_id: course }]);
    expect((await hub.subgraphs.facilitators.dataSource.query(`SELECT count(*)::int AS n FROM training_record WHERE organisation_id = 'partner-0'`))[0].n).toBe(0);

    const memberships = () => node.running!.subgraphs.facilitators.dataSource.query(`SELECT facilitator_id FROM community_membership WHERE community_id = $1`, [cop]);
    const join = (facilitatorId: string, confidentialityAgreed: boolean) =>
      admin0.query(`mutation($i: JoinCommunityInput!) { joinCommunity(input: $i) { id } }`, { i: { facilitatorId, communityId: cop, confidentialityAgreed } });
    const refused = await join(untrained, true);
    expect(refused.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ field: 'input.facilitatorId', message: 'has not completed Group facilitation foundations (PRACTITIONER or above)' }],
    });
    const unagreed = await join(trained, false);
    expect(unagreed.errors?.[0].extensions?.fields).toEqual([{ field: 'input.confidentialityAgreed', message: 'has not agreed to keep what is shared in this community confidential' }]);
    expect(await memberships()).toEqual([]);
    const joined = await join(trained, true);
    expect(joined.errors).toBeUndefined();
    expect(await memberships()).toEqual([{ facilitator_id: trained }]);
    const members = await mutate(manager, `query($c: ID!) { community(id: $c) { memberCount members(first: 10) { edges { node { facilitator { id } } } } } }`, { c: cop });
    expect(members.community.memberCount).toBe(1);
    expect(members.community.members.edges.map((e: any) => e.node.facilitator.id)).toEqual([trained]);

    // a hub-hosted partner's facilitator joins too; then both trainings lapse
    const admin1 = program.partners[1].admin;
    const other = program.partners[1].facilitatorIds[0];
    const otherRecord = await mutate(admin1, `mutation($i: RecordTrainingInput!) { recordTraining(input: $i) { id } }`, {
      i: { facilitatorId: other, courseId: course, completedOn: '2026-02-01', accreditationLevel: 'ADVANCED' },
    });
    await mutate(admin1, `mutation($i: JoinCommunityInput!) { joinCommunity(input: $i) { id } }`, { i: { facilitatorId: other, communityId: cop, confidentialityAgreed: true } });
    const lapse = (caller: Caller, id: string) => mutate(caller, `mutation($id: ID!) { updateTrainingRecord(id: $id, input: { expiresOn: "2026-06-01" }) { id } }`, { id });
    await lapse(admin0, recorded.data?.recordTraining.id);
    await lapse(admin1, otherRecord.recordTraining.id);
    // the national community's administrators see both, the node's member checked on its node against the hub's rules
    const lapsed = 'has completed Group facilitation foundations (PRACTITIONER or above), but it expired on 2026-06-01';
    const breaches = await mutate(manager, `query($c: ID!) { community(id: $c) { ruleBreaches { membership { facilitator { id } } rule reason } } }`, { c: cop });
    expect(breaches.community.ruleBreaches).toEqual([
      { membership: { facilitator: { id: trained } }, rule: 'TRAINING', reason: lapsed },
      { membership: { facilitator: { id: other } }, rule: 'TRAINING', reason: lapsed },
    ]);
    // and the node-hosted member's own membership says so to its organisation's admin
    const own = await mutate(admin0, `query($f: ID!) { facilitator(id: $f) { memberships { breaches { rule reason } } } }`, { f: trained });
    expect(own.facilitator.memberships).toEqual([{ breaches: [{ rule: 'TRAINING', reason: lapsed }] }]);
  });

  it('refuses a node-hosted facilitator\'s join while the hub, which keeps the community\'s rules, does not answer, changing nothing', async () => {
    const [, untrained] = program.partners[0].facilitatorIds;
    const memberships = () => node.running!.subgraphs.facilitators.dataSource.query(`SELECT count(*)::int AS n FROM community_membership WHERE community_id = $1`, [cop]);
    const before = await memberships();
    await hub.stopSubgraph('facilitators');
    try {
      const res = await admin0.query(`mutation($i: JoinCommunityInput!) { joinCommunity(input: $i) { id } }`, { i: { facilitatorId: untrained, communityId: cop, confidentialityAgreed: true } });
      expect(res.data?.joinCommunity ?? null).toBeNull();
      expect(res.errors?.map((e) => [e.extensions?.code, e.extensions?.serviceName])).toEqual([['SUBGRAPH_UNAVAILABLE', 'facilitators']]);
      expect(res.errors?.[0].message).toMatch(/held by the hub, which did not answer: nothing was done/);
    } finally {
      await hub.startSubgraph('facilitators');
    }
    expect(await memberships()).toEqual(before);
  });

  it('moves the partner back with its items, losing and duplicating nothing', async () => {
    const there = await summaries(node.running!.subgraphs, 'partner-0');
    const shown = await items();
    const report = await move(hub, manager, node, 'HUB');
    expect(report.after).toEqual(there);
    expect(await summaries(hub.subgraphs, 'partner-0')).toEqual(there);
    expect(await items()).toEqual(shown);
  });
});
