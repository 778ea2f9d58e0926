import { keyFingerprint, generateGatewayKeyPair, type AccessScope, type Subgraph } from '@hub/core';
import { createPartnersSubgraph } from '@hub/partners';
import { dropTestDatabases, testSubgraphConfig } from '../../../test/support/database';
import { errorCode, postGraphQL } from '../../../test/support/graphql';
import { partnerAdmin, scopeHeaders, scopeOf, SYSTEM_SCOPE } from '../../../test/support/scopes';

type Vars = Record<string, unknown>;

describe('partners subgraph: the registry of partner nodes', () => {
  const config = testSubgraphConfig('partners');
  let subgraph: Subgraph;
  let url: string;
  const fingerprint = keyFingerprint(generateGatewayKeyPair().publicKey);

  const as = async (scope: AccessScope, query: string, variables?: Vars) => postGraphQL(url, query, variables, await scopeHeaders(scope));
  const ok = async (scope: AccessScope, query: string, variables?: Vars) => {
    const res = await as(scope, query, variables);
    if (res.errors?.length) throw new Error(JSON.stringify(res.errors));
    return res.data as Record<string, any>;
  };
  const stored = async () => ({
    nodes: await subgraph.dataSource.query(`SELECT * FROM partner_node ORDER BY organisation_id`),
    changes: await subgraph.dataSource.query(`SELECT count(*)::int AS n FROM partner_node_change`),
  });

  const manager = scopeOf('national-manager', { organisation: 'prc', organisations: ['pa', 'pb', 'prc'], subject: 'manager-1' });
  const adminA = partnerAdmin('pa', ['prc']);
  const facilitatorA = scopeOf('facilitator', { organisation: 'pa', organisations: ['pa', 'prc'], facilitator: 'pa.fac_01' });

  const endpoints = (port: number) => [
    { subgraph: 'FACILITATORS', url: `http://127.0.0.1:${port}/graphql`, wsUrl: `ws://127.0.0.1:${port}/graphql` },
    { subgraph: 'SESSIONS', url: `http://127.0.0.1:${port + 1}/graphql`, wsUrl: `ws://127.0.0.1:${port + 1}/graphql` },
    { subgraph: 'FEEDBACK', url: `https://node.example.org/feedback/graphql`, wsUrl: `wss://node.example.org/feedback/graphql` },
  ];
  const REGISTER = `mutation($i: RegisterPartnerNodeInput!) { registerPartnerNode(input: $i) { organisation { id } hosting status audience timeBudgetMs endpoints { subgraph url } } }`;
  const MOVE = `mutation($o: ID!, $h: PartnerHosting!) { movePartnerHosting(organisationId: $o, hosting: $h) { hosting } }`;
  const RETIRE = `mutation($o: ID!) { retirePartnerNode(organisationId: $o) { status } }`;
  const register = (scope: AccessScope, organisationId: string, extra: Vars = {}) =>
    as(scope, REGISTER, { i: { organisationId, endpoints: endpoints(5100), hubKeyFingerprint: fingerprint, ...extra } });

  beforeAll(async () => {
    subgraph = await createPartnersSubgraph(config);
    url = await subgraph.listen(0);
    for (const [id, kind] of [['prc', 'NATIONAL_MANAGER'], ['pa', 'DELIVERY_PARTNER'], ['pb', 'DELIVERY_PARTNER'], ['pc', 'DELIVERY_PARTNER']]) {
      await ok(SYSTEM_SCOPE, `mutation($id: ID!, $n: String!, $k: OrganisationKind!) { createOrganisation(input: { id: $id, name: $n, kind: $k }) { id } }`, { id, n: id, k: kind });
    }
  });
  afterAll(async () => {
    await subgraph.stop();
    await dropTestDatabases(config);
  });

  it('lets the national manager register a partner\'s node, hosted by the hub until moved', async () => {
    const res = await register(manager, 'pb', { timeBudgetMs: 1500 });
    expect(res.errors).toBeUndefined();
    expect(res.data?.registerPartnerNode).toEqual({
      organisation: { id: 'pb' },
      hosting: 'HUB',
      status: 'ACTIVE',
      audience: 'hub-node:pb',
      timeBudgetMs: 1500,
      endpoints: [
        { subgraph: 'FACILITATORS', url: 'http://127.0.0.1:5100/graphql' },
        { subgraph: 'SESSIONS', url: 'http://127.0.0.1:5101/graphql' },
        { subgraph: 'FEEDBACK', url: 'https://node.example.org/feedback/graphql' },
      ],
    });
  });

  it('lets a partner admin register its own organisation\'s node and no other', async () => {
    expect((await register(adminA, 'pa')).errors).toBeUndefined();
    const before = await stored();
    const other = await register(adminA, 'pc');
    expect(errorCode(other)).toBe('FORBIDDEN');
    expect(other.errors?.[0].extensions?.fields).toEqual([expect.objectContaining({ field: 'input.organisationId' })]);
    expect(errorCode(await register(facilitatorA, 'pa'))).toBe('FORBIDDEN');
    expect(errorCode(await as(adminA, MOVE, { o: 'pb', h: 'NODE' }))).toBe('FORBIDDEN');
    expect(await stored()).toEqual(before);
  });

  it('refuses endpoints that are not URLs, a subgraph named twice or left out, and a bad fingerprint, naming each field and saving nothing', async () => {
    const before = await stored();
    const bad = endpoints(5200);
    bad[1].wsUrl = 'http://not-a-websocket';
    const url = await as(manager, REGISTER, { i: { organisationId: 'pc', endpoints: bad, hubKeyFingerprint: fingerprint } });
    expect(errorCode(url)).toBe('BAD_USER_INPUT');
    expect(url.errors?.[0].extensions?.fields).toEqual([expect.objectContaining({ field: 'input.endpoints.1.wsUrl' })]);
    const twice = await as(manager, REGISTER, { i: { organisationId: 'pc', endpoints: [endpoints(1)[0], endpoints(2)[0], endpoints(3)[2]], hubKeyFingerprint: fingerprint } });
    expect(twice.errors?.[0].extensions?.fields).toEqual([expect.objectContaining({ field: 'input.endpoints.1.subgraph' })]);
    const missing = await as(manager, REGISTER, { i: { organisationId: 'pc', endpoints: endpoints(1).slice(0, 2), hubKeyFingerprint: fingerprint } });
    expect(missing.errors?.[0].extensions?.fields).toEqual([expect.objectContaining({ field: 'input.endpoints' })]);
    const key = await as(manager, REGISTER, { i: { organisationId: 'pc', endpoints: endpoints(1), hubKeyFingerprint: 'abc' } });
    expect(key.errors?.[0].extensions?.fields).toEqual([expect.objectContaining({ field: 'input.hubKeyFingerprint' })]);
    const unknown = await register(manager, 'nobody');
    expect(errorCode(unknown)).toBe('NOT_FOUND');
    expect(await stored()).toEqual(before);
  });

  it('moves hosting to the node and refuses to retire a node that still holds the records', async () => {
    expect((await ok(manager, MOVE, { o: 'pb', h: 'NODE' })).movePartnerHosting.hosting).toBe('NODE');
    const retire = await as(manager, RETIRE, { o: 'pb' });
    expect(errorCode(retire)).toBe('CONFLICT');
    expect(retire.errors?.[0].extensions?.fields).toEqual([expect.objectContaining({ field: 'organisationId' })]);
    expect(await ok(manager, MOVE, { o: 'pb', h: 'HUB' })).toEqual({ movePartnerHosting: { hosting: 'HUB' } });
    expect(await ok(manager, RETIRE, { o: 'pb' })).toEqual({ retirePartnerNode: { status: 'RETIRED' } });
    const moveRetired = await as(manager, MOVE, { o: 'pb', h: 'NODE' });
    expect(errorCode(moveRetired)).toBe('CONFLICT');
  });

  it('keeps an append-only trail of who changed what, when', async () => {
    const data = await ok(manager, `{ partnerNodes { organisation { id } history { action changedBy changedByRole changedAt before { hosting status } after { hosting status } } } }`);
    const pb = data.partnerNodes.find((n: any) => n.organisation.id === 'pb');
    expect(pb.history.map((h: any) => [h.action, h.changedBy, h.before?.hosting ?? null, h.after.hosting, h.after.status])).toEqual([
      ['REGISTER', 'manager-1', null, 'HUB', 'ACTIVE'],
      ['MOVE', 'manager-1', 'HUB', 'NODE', 'ACTIVE'],
      ['MOVE', 'manager-1', 'NODE', 'HUB', 'ACTIVE'],
      ['RETIRE', 'manager-1', 'HUB', 'HUB', 'RETIRED'],
    ]);
    expect(pb.history.every((h: any) => h.changedByRole === 'national-manager' && !Number.isNaN(Date.parse(h.changedAt)))).toBe(true);
    // not even the table's owner rewrites history
    await expect(subgraph.dataSource.query(`UPDATE partner_node_change SET changed_by = 'someone else'`)).rejects.toThrow(/append-only/);
    await expect(subgraph.dataSource.query(`DELETE FROM partner_node_change`)).rejects.toThrow(/append-only/);
  });

  it('shows each caller only the nodes it administers, and the gateway (system) all of them', async () => {
    const ids = async (scope: AccessScope, status?: string) =>
      ((await ok(scope, `query($s: PartnerNodeStatus) { partnerNodes(status: $s) { organisation { id } } }`, { s: status })).partnerNodes as any[]).map((n) => n.organisation.id);
    expect(await ids(SYSTEM_SCOPE)).toEqual(['pa', 'pb']);
    expect(await ids(SYSTEM_SCOPE, 'ACTIVE')).toEqual(['pa']);
    expect(await ids(manager)).toEqual(['pa', 'pb']);
    expect(await ids(adminA)).toEqual(['pa']);
    expect(await ids(facilitatorA)).toEqual([]);
    expect(await ids(partnerAdmin('pc', ['prc']))).toEqual([]);
    const org = await ok(adminA, `{ a: organisation(id: "pa") { partnerNode { status } } b: organisation(id: "pb") { partnerNode { status } } }`);
    expect(org).toEqual({ a: { partnerNode: { status: 'ACTIVE' } }, b: { partnerNode: null } });
  });
});
