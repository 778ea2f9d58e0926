import { createSmallProgram, type SmallProgram } from './support/fixtures';
import { startTestHub, type TestHub } from './support/hub';

describe('when one subgraph is down', () => {
  let hub: TestHub;
  let program: SmallProgram;

  beforeAll(async () => {
    hub = await startTestHub();
    program = await createSmallProgram(hub, { partners: 2, facilitators: 2, groups: 1, sessionsPerGroup: 1, answersPerSession: 5 });
    await hub.stopSubgraph('feedback');
  });
  afterAll(() => hub.stop());

  it('still answers queries that do not touch it', async () => {
    const res = await program.manager.query(`query($p: ID!) { program(id: $p) { deliveryPartners { id facilitatorCount groups: communityCount(kind: GROUP) } } }`, { p: program.programId });
    expect(res.errors).toBeUndefined();
    expect(res.data?.program.deliveryPartners).toEqual([
      { id: 'partner-0', facilitatorCount: 2, groups: 1 },
      { id: 'partner-1', facilitatorCount: 2, groups: 1 },
    ]);
  });

  it('returns the other subgraphs\' data plus SUBGRAPH_UNAVAILABLE naming the service, never its URL', async () => {
    const res = await program.manager.query(
      `query($p: ID!) { program(id: $p) { deliveryPartners { id facilitatorCount feedbackResponseCount(programId: $p) } } }`,
      { p: program.programId },
    );
    expect(res.data?.program.deliveryPartners).toEqual([
      { id: 'partner-0', facilitatorCount: 2, feedbackResponseCount: null },
      { id: 'partner-1', facilitatorCount: 2, feedbackResponseCount: null },
    ]);
    expect(res.errors?.map((e) => e.extensions?.code)).toContain('SUBGRAPH_UNAVAILABLE');
    const error = res.errors?.find((e) => e.extensions?.code === 'SUBGRAPH_UNAVAILABLE');
    expect(error?.extensions?.serviceName).toBe('feedback');
    const body = JSON.stringify(res);
    expect(body).not.toMatch(/127\.0\.0\.1|localhost|https?:\/\/|ECONNREFUSED/);
  });

  it('reports itself not ready, naming the missing service', async () => {
    const res = await fetch(new URL('/health/ready', hub.gatewayUrl));
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'degraded', unavailable: ['feedback'] });
    expect((await fetch(new URL('/health/live', hub.gatewayUrl))).status).toBe(200);
  });

  it('answers fully again once the subgraph is back', async () => {
    await hub.startSubgraph('feedback');
    const res = await program.manager.query(`query($p: ID!) { program(id: $p) { deliveryPartners { feedbackResponseCount(programId: $p) } } }`, { p: program.programId });
    expect(res.errors).toBeUndefined();
    expect(res.data?.program.deliveryPartners).toEqual([{ feedbackResponseCount: 5 }, { feedbackResponseCount: 5 }]);
  });

  it('keeps a session\'s own fields when the facilitators subgraph is down, with its facilitators\' fields null', async () => {
    await hub.stopSubgraph('facilitators');
    try {
      const res = await program.partners[0].admin.query(`{ sessions(first: 1) { nodes { topic status facilitators { displayName } } } }`);
      expect(res.data?.sessions.nodes).toEqual([{ topic: 'Check in', status: 'ENDED', facilitators: [{ displayName: null }, { displayName: null }] }]);
      expect(res.errors?.find((e) => e.extensions?.code === 'SUBGRAPH_UNAVAILABLE')?.extensions?.serviceName).toBe('facilitators');
    } finally {
      await hub.startSubgraph('facilitators');
    }
  });
});

describe('when the partners subgraph, which the gateway asks who may see what, is down', () => {
  let hub: TestHub;

  beforeAll(async () => {
    hub = await startTestHub({ accessScopeTtlMs: 0 });
    await hub.stopSubgraph('partners');
  });
  afterAll(() => hub.stop());

  it('refuses with SUBGRAPH_UNAVAILABLE naming partners rather than guessing a scope', async () => {
    const admin = await hub.as({ role: 'partner-admin', org: 'partner-0' });
    const res = await admin.query(`{ sessions { totalCount } }`);
    expect(res.status).toBe(503);
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'partners' });
    expect(res.data ?? null).toBeNull();
  });
});
