import { Client } from 'pg';
import { ownerOf } from '@hub/core';
import { demoCallers, seedDemo, type DemoSummary } from '@hub/hub';
import { startTestHub, type TestHub } from './support/hub';

/** Runs SQL directly on one subgraph's own database: the ground truth the gateway must match. */
async function sql<T>(url: string, text: string, values: unknown[]): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}

describe('the demo program npm start seeds', () => {
  let hub: TestHub;
  let demo: DemoSummary;

  beforeAll(async () => {
    hub = await startTestHub();
    demo = await seedDemo(hub);
  }, 120_000);
  afterAll(() => hub.stop());

  it('is shaped like the national program of the source documents', () => {
    expect(demo.counts).toMatchObject({ organisations: 9, facilitators: 150, groups: 200, communitiesOfPractice: 5 });
    expect(demo.counts.sessions).toBeGreaterThan(4000);
    expect(demo.counts.attendance).toBeGreaterThan(20000);
    expect(demo.counts.feedbackResponses).toBeGreaterThan(1000);
  });

  it('is not seeded twice', async () => {
    const again = await seedDemo(hub);
    expect(again.programId).toBe(demo.programId);
    const manager = await hub.as({ role: 'national-manager', org: 'prc', programs: [demo.programId] });
    const res = await manager.query(`{ programs { totalCount } }`);
    expect(res.data?.programs.totalCount).toBe(1);
  });

  it('gives the national overview the same numbers as SQL on each subgraph\'s own database', async () => {
    const manager = await hub.as({ role: 'national-manager', org: 'prc', programs: [demo.programId] });
    const res = await manager.query(
      `query($p: ID!, $from: DateTimeISO!, $to: DateTimeISO!) { program(id: $p) { deliveryPartners {
        id facilitatorCount(status: ACTIVE) groups: communityCount(kind: GROUP, programId: $p)
        sessionsHeld: sessionCount(from: $from, to: $to, status: ENDED, programId: $p)
        feedbackResponseCount(from: $from, to: $to, programId: $p)
      } } }`,
      { p: demo.programId, from: demo.yearStart, to: demo.yearEnd },
    );
    expect(res.errors).toBeUndefined();
    const partners = res.data?.program.deliveryPartners as { id: string }[];
    expect(partners).toHaveLength(8);

    const { configs } = hub;
    const facilitators = await sql<{ id: string; n: number }>(configs.facilitators.databaseUrl, `SELECT organisation_id AS id, count(*)::int AS n FROM facilitator WHERE status = 'ACTIVE' GROUP BY 1`, []);
    const groups = await sql<{ id: string; n: number }>(configs.sessions.databaseUrl, `SELECT organisation_id AS id, count(*)::int AS n FROM community WHERE kind = 'GROUP' AND program_id = $1 GROUP BY 1`, [demo.programId]);
    const held = await sql<{ id: string; n: number }>(
      configs.sessions.databaseUrl,
      `SELECT organisation_id AS id, count(*)::int AS n FROM session WHERE status = 'ENDED' AND program_id = $1 AND starts_at >= $2 AND starts_at < $3 GROUP BY 1`,
      [demo.programId, demo.yearStart, demo.yearEnd],
    );
    // answers to polls that reached the minimum group size (5) in the period: smaller groups count nothing
    const responses = await sql<{ id: string; n: number }>(
      configs.feedback.databaseUrl,
      `SELECT id, sum(n)::int AS n FROM (
         SELECT p.organisation_id AS id, p.id AS poll, count(*) AS n FROM response r JOIN poll p ON p.id = r.poll_id
         WHERE p.program_id = $1 AND r.submitted_on >= $2::date AND r.submitted_on < $3::date GROUP BY 1, 2
       ) per_poll WHERE n >= 5 GROUP BY 1`,
      [demo.programId, demo.yearStart, demo.yearEnd],
    );
    const of = (rows: { id: string; n: number }[], id: string) => rows.find((r) => r.id === id)?.n ?? 0;
    const expected = partners.map(({ id }) => ({
      id,
      facilitatorCount: of(facilitators, id),
      groups: of(groups, id),
      sessionsHeld: of(held, id),
      feedbackResponseCount: of(responses, id),
    }));
    expect(res.data?.program.deliveryPartners).toEqual(expected);
    expect(expected.every((p) => p.facilitatorCount > 0 && p.groups > 0 && p.sessionsHeld > 0 && p.feedbackResponseCount > 0)).toBe(true);
  });

  it('has a working sign-in for each role, as npm start prints them', async () => {
    const callers = await demoCallers(hub, demo.programId);
    expect(callers.map((c) => c.request.role)).toEqual(['national-manager', 'partner-admin', 'facilitator', 'participant']);
    const sessions = `{ sessions(first: 50) { totalCount nodes { id } } }`;
    const [manager, admin, facilitator, participant] = await Promise.all(callers.map(async (c) => hub.as(c.request)));

    const all = await manager.query(sessions);
    const own = await admin.query(sessions);
    expect(all.errors).toBeUndefined();
    expect(own.errors).toBeUndefined();
    expect(own.data?.sessions.totalCount).toBeGreaterThan(0);
    expect(all.data?.sessions.totalCount).toBeGreaterThan(own.data?.sessions.totalCount);
    const partner = callers[1].request.org;
    // its own groups, plus the national CoPs it takes part in (owned by the program's manager)
    expect(own.data?.sessions.nodes.every((n: { id: string }) => [partner, 'prc'].includes(ownerOf(n.id) ?? ''))).toBe(true);

    const me = await facilitator.query(`query($id: ID!) { facilitator(id: $id) { email detailsWithheld } }`, { id: callers[2].request.facilitator });
    expect(me.data?.facilitator).toEqual({ email: expect.stringContaining('@'), detailsWithheld: false });

    const browse = await participant.query(`{ communities(first: 5) { totalCount } }`);
    expect(browse.errors).toBeUndefined();
  });

  it('has an example of each part of the community-of-practice lifecycle, as the README\'s queries show', async () => {
    const manager = await hub.as({ role: 'national-manager', org: 'prc', programs: [demo.programId] });
    const ask = async (query: string, variables: Record<string, unknown> = {}) => {
      const res = await manager.query(query, { p: demo.programId, ...variables });
      expect(res.errors).toBeUndefined();
      return res.data as Record<string, any>;
    };
    const { from, to } = { from: demo.yearStart, to: demo.yearEnd };

    // 1. co-design: a community with versioned terms of reference
    const structure = await ask(`query($p: ID!) { program(id: $p) { communities(first: 100, filter: { kind: COMMUNITY_OF_PRACTICE }) { nodes { id name documents(kind: TERMS_OF_REFERENCE) { totalCount } } } } }`);
    const cops = structure.program.communities.nodes as { id: string; name: string; documents: { totalCount: number } }[];
    expect(cops.some((c) => c.documents.totalCount >= 2)).toBe(true);
    // 2. membership rules, and a member who breaks one; 7. maturity history
    const national = cops.filter((c) => c.id.startsWith('prc.'));
    const rules = await ask(`query($c: ID!) { community(id: $c) { membershipRules { confidentialityRequired } ruleBreaches { reason } maturityHistory { totalCount } facilitationShare { share } } }`, { c: national[0].id });
    expect(rules.community.membershipRules.confidentialityRequired).toBe(true);
    expect(rules.community.ruleBreaches.length).toBeGreaterThan(0);
    expect(rules.community.maturityHistory.totalCount).toBeGreaterThanOrEqual(2);
    expect(rules.community.facilitationShare.length).toBeGreaterThan(0);
    // 3. the three-tier loop; 4. overlapping engagements
    const loop = await ask(`query($p: ID!) { program(id: $p) { forumSummary { tier openItems } engagementOverlaps { organisations { id } } } }`);
    expect(loop.program.forumSummary.map((t: { tier: string }) => t.tier)).toEqual(expect.arrayContaining(['strategic', 'state', 'regional']));
    expect(loop.program.engagementOverlaps.length).toBeGreaterThan(0);
    // 5. participation and drop-off across partners; 6. outcomes
    const participation = await ask(`query($p: ID!, $from: DateTimeISO!, $to: DateTimeISO!) { program(id: $p) { participationByPartner(from: $from, to: $to) { sessionsHeld membersAtRisk } outcomeSummary { responseCount } } }`, { from, to });
    // every delivery partner, and the national manager for its communities of practice
    expect(participation.program.participationByPartner).toHaveLength(9);
    expect(participation.program.participationByPartner.some((p: { membersAtRisk: number }) => p.membersAtRisk > 0)).toBe(true);
    // 6. a confidence change measured from anonymous pairs
    const pairs = await Promise.all(
      national.map((c) => ask(`query($c: ID!) { community(id: $c) { sessions(first: 10) { nodes { confidencePairs { nodes { change { pairedCount averageChange } } } } } } }`, { c: c.id })),
    );
    const changes = pairs
      .flatMap((r) => r.community.sessions.nodes)
      .flatMap((s: { confidencePairs: { nodes: { change: unknown }[] } }) => s.confidencePairs.nodes.map((n) => n.change))
      .filter(Boolean);
    expect(changes.length).toBeGreaterThan(0);
    // 8. learnings found by full-text search
    const search = await ask(`query($p: ID!) { searchLearnings(query: "families", programId: $p) { totalCount } }`);
    expect(search.searchLearnings.totalCount).toBeGreaterThan(0);
  });
});

