import { createSmallProgram, mutate, type SmallProgram } from './support/fixtures';
import { startTestHub, type Caller, type TestHub } from './support/hub';
import { move, registerNode, testNode, type TestNode } from './support/nodes';

/**
 * Engagement overlaps across the hub and partner nodes: no deployment holds two organisations'
 * plans at once, so the hub matches its own partners' plans with the plans each node lets the
 * caller see. A node whose plans the caller may not see cannot be matched: the answer says so.
 */
describe('engagement overlaps across the hub and partner nodes', () => {
  let hub: TestHub;
  let program: SmallProgram;
  let manager: Caller;
  let nodes: TestNode[] = [];
  const before: Record<string, any[]> = {};

  const OVERLAP = `id organisations { id } regions { id } audiences startsOn endsOn engagements { id organisation { id } title audiences detailsWithheld }`;
  const ofProgram = (caller: Caller) => caller.query(`query($p: ID!) { program(id: $p) { engagementOverlaps { ${OVERLAP} } } }`, { p: program.programId });
  const ofOrganisation = (caller: Caller, o: string) => caller.query(`query($o: ID!) { organisation(id: $o) { engagementOverlaps { ${OVERLAP} } } }`, { o });
  const missing = (res: { errors?: readonly any[] }) => (res.errors ?? []).map((e) => [e.extensions?.code, e.extensions?.organisation]).sort();
  const pairOf = (overlaps: any[], a: string, b: string) => overlaps.filter((o) => [a, b].every((x) => o.organisations.some((org: any) => org.id === x)));

  beforeAll(async () => {
    hub = await startTestHub({ accessScopeTtlMs: 0 });
    program = await createSmallProgram(hub, { partners: 3, facilitators: 1, groups: 1, sessionsPerGroup: 1, answersPerSession: 1 });
    ({ manager } = program);
    // three partners plan for the same families in the same region over overlapping months
    for (const [i, title, startsOn, endsOn] of [
      [0, 'Autumn parenting groups', '2027-03-01', '2027-05-31'],
      [1, 'Family yarning circles', '2027-04-01', '2027-06-30'],
      [2, 'Playgroup outreach', '2027-05-01', '2027-07-31'],
    ] as const) {
      await mutate(program.partners[i].admin, `mutation($i: PlanEngagementInput!) { planEngagement(input: $i) { id } }`, {
        i: { organisationId: `partner-${i}`, programId: program.programId, title, regionIds: ['au-qld-north'], audiences: ['Parents', `group ${i}`], startsOn, endsOn },
      });
    }
    // partner-0 opens its plans to the national manager; partner-1 does not
    await mutate(program.partners[0].admin, `mutation($p: ID!) { setSharingAgreement(programId: $p, input: { shareEngagementPlans: true }) { shareEngagementPlans } }`, { p: program.programId });
    before.manager = (await mutate(manager, `query($p: ID!) { program(id: $p) { engagementOverlaps { ${OVERLAP} } } }`, { p: program.programId })).program.engagementOverlaps;
    before.admin0 = (await mutate(program.partners[0].admin, `query { organisation(id: "partner-0") { engagementOverlaps { ${OVERLAP} } } }`)).organisation.engagementOverlaps;
    // partner-0's node follows the agreement kept at the hub; partner-1's node lets no plans out
    nodes = [testNode(hub, 'partner-0', { sharing: 'hub' }), testNode(hub, 'partner-1')];
    for (const node of nodes) {
      await node.start();
      await registerNode(hub, manager, node);
      await move(hub, manager, node, 'NODE');
    }
  }, 90_000);
  afterAll(async () => {
    for (const node of nodes) await node.destroy();
    await hub?.stop();
  });

  it('finds, for the national manager, the overlaps with the plans a node lets out, the same as all at the hub, and names the node that lets none out', async () => {
    expect(before.manager).toHaveLength(3);
    const res = await ofProgram(manager);
    const overlaps = res.data?.program.engagementOverlaps;
    // partner-0's plans come from its node and are matched at the hub with partner-2's
    expect(overlaps).toEqual(pairOf(before.manager, 'partner-0', 'partner-2'));
    // both sides' audiences are shown only to a caller who sees both sides' details: partner-2 keeps its own
    expect(overlaps[0].audiences).toBeNull();
    expect(overlaps[0].engagements.map((e: any) => [e.organisation.id, e.detailsWithheld])).toEqual([['partner-0', false], ['partner-2', true]]);
    expect(missing(res)).toEqual([['PARTNER_NODE_UNAVAILABLE', 'partner-1']]);
  });

  it('gives a node-hosted partner\'s admin its own overlaps with hub-hosted partners, matched at the hub', async () => {
    const res = await ofOrganisation(program.partners[0].admin, 'partner-0');
    expect(res.data?.organisation.engagementOverlaps).toEqual(pairOf(before.admin0, 'partner-0', 'partner-2'));
    // the other side shows what partner-0's admin may see of it: organisation, regions and dates
    expect(res.data?.organisation.engagementOverlaps[0].engagements[1]).toMatchObject({ organisation: { id: 'partner-2' }, title: null, audiences: null, detailsWithheld: true });
    // partner-1 is outside its admin's reach: not matched, not named
    expect(missing(res)).toEqual([['PARTNER_NODE_UNAVAILABLE', undefined]]);
  });

  it('does not match a hub-hosted partner\'s plans with plans its admin may not see on other partners\' nodes, and says so without naming them', async () => {
    const res = await ofProgram(program.partners[2].admin);
    expect(res.data?.program.engagementOverlaps).toEqual([]);
    expect(missing(res)).toEqual([['PARTNER_NODE_UNAVAILABLE', undefined]]);
  });
});
