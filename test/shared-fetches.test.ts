import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGateway, type Gateway } from '@hub/gateway';
import { createSmallProgram, type SmallProgram } from './support/fixtures';
import { postGraphQL } from './support/graphql';
import { gatewayConfigFor, startTestHub, type Caller, type TestHub } from './support/hub';

/**
 * A real HTTP proxy in front of the sessions subgraph that holds every request back for a while
 * before passing it on, so requests made at the same time are certainly in flight together, and
 * that records the operations it passes on.
 */
async function slowProxy(target: string, delayMs: number) {
  const operations: string[] = [];
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString();
    operations.push((JSON.parse(body) as { query: string }).query);
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => ['content-type', 'x-hub-scope'].includes(k))) as Record<string, string>;
    const answer = await fetch(target, { method: 'POST', headers, body });
    res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
    res.end(await answer.text());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    operations,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const DASHBOARD = `query Dashboard($p: ID!) {
  program(id: $p) { deliveryPartners { id name communityCount(kind: GROUP) sessionCount(status: ENDED) attendanceCount } }
}`;

describe('identical subgraph queries in flight at once', () => {
  let hub: TestHub;
  let program: SmallProgram;
  let proxy: Awaited<ReturnType<typeof slowProxy>>;
  let gateway: Gateway;
  let url: string;
  const ask = (caller: Caller, query: string, variables?: Record<string, unknown>) =>
    postGraphQL(url, query, variables, { authorization: `Bearer ${caller.token}` });

  beforeAll(async () => {
    hub = await startTestHub();
    program = await createSmallProgram(hub, { partners: 2, facilitators: 2, groups: 2, sessionsPerGroup: 2, answersPerSession: 0 });
    proxy = await slowProxy(hub.subgraphs.sessions.url(), 1500);
    gateway = await createGateway(gatewayConfigFor(hub, { subgraphUrls: { ...gatewayConfigFor(hub).subgraphUrls, sessions: proxy.url } }));
    url = await gateway.listen(0);
  }, 120_000);
  afterAll(async () => {
    await gateway?.stop();
    await proxy?.close();
    await hub?.stop();
  });
  beforeEach(() => {
    proxy.operations.length = 0;
  });

  it('share one request to the subgraph, and every caller gets the whole answer', async () => {
    const alone = await ask(program.manager, DASHBOARD, { p: program.programId });
    expect(alone.errors).toBeUndefined();
    expect(alone.data?.program.deliveryPartners).toHaveLength(2);
    expect(alone.data?.program.deliveryPartners[0].sessionCount).toBe(4);
    const perRequest = proxy.operations.length;
    expect(perRequest).toBeGreaterThan(0);

    proxy.operations.length = 0;
    const together = await Promise.all(Array.from({ length: 8 }, () => ask(program.manager, DASHBOARD, { p: program.programId })));
    for (const answer of together) expect(answer).toEqual(alone);
    expect(proxy.operations).toHaveLength(perRequest);
  });

  it('are not shared between callers whose scopes differ', async () => {
    const admin = program.partners[0].admin;
    const requestsOf = async (caller: Caller) => {
      proxy.operations.length = 0;
      await ask(caller, DASHBOARD, { p: program.programId });
      return proxy.operations.length;
    };
    const expected = (await requestsOf(program.manager)) + (await requestsOf(admin));
    proxy.operations.length = 0;
    const [manager, partner] = await Promise.all([ask(program.manager, DASHBOARD, { p: program.programId }), ask(admin, DASHBOARD, { p: program.programId })]);
    expect(manager.data?.program.deliveryPartners).toHaveLength(2);
    // a partner admin sees its own partnership only (docs/access.md)
    expect(partner.data?.program.deliveryPartners.map((p: { id: string }) => p.id)).toEqual([program.partners[0].id]);
    expect(proxy.operations).toHaveLength(expected);
  });

  it('never share a mutation: each one reaches the subgraph', async () => {
    const admin = program.partners[0].admin;
    const rename = `mutation($id: ID!) { updateCommunity(id: $id, input: { name: "Renamed group" }) { id name } }`;
    const answers = await Promise.all(Array.from({ length: 4 }, () => ask(admin, rename, { id: program.partners[0].groupIds[0] })));
    for (const a of answers) expect(a.data?.updateCommunity.name).toBe('Renamed group');
    expect(proxy.operations.filter((op) => op.startsWith('mutation'))).toHaveLength(4);
  });
});
