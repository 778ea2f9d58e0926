import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SCOPE_HEADER } from '@hub/core';
import { createGateway, DEFAULT_LIMITS, type Gateway } from '@hub/gateway';
import { createHubKeys, mintToken } from '@hub/hub';
import { SignJWT } from 'jose';
import { createPrivateKey } from 'node:crypto';
import { postGraphQL } from '../../test/support/graphql';
import { gatewayConfigFor, startTestHub, type Caller, type TestHub } from '../../test/support/hub';

describe('the public edge', () => {
  let hub: TestHub;
  let admin: Caller;

  beforeAll(async () => {
    hub = await startTestHub();
    admin = await hub.as({ role: 'partner-admin', org: 'edge-org' });
  });
  afterAll(() => hub.stop());

  describe('identity', () => {
    const ask = (headers: Record<string, string>) => postGraphQL(hub.gatewayUrl, `{ regions { id } }`, undefined, headers);

    it('answers a signed-in caller', async () => {
      const res = await admin.query(`{ regions { id } }`);
      expect(res.status).toBe(200);
      expect(res.errors).toBeUndefined();
    });

    it('refuses a request without a token with 401 UNAUTHENTICATED', async () => {
      const res = await ask({});
      expect(res.status).toBe(401);
      expect(res.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
      expect(res.data ?? null).toBeNull();
    });

    it('refuses expired tokens, other issuers, other audiences and other keys', async () => {
      const expired = await mintToken(hub.keys, { role: 'partner-admin', org: 'edge-org', ttlSeconds: -60 });
      const stranger = await createHubKeys();
      const otherKey = await mintToken({ ...stranger, issuer: hub.keys.issuer, audience: hub.keys.audience }, { role: 'partner-admin', org: 'edge-org' });
      const otherIssuer = await mintToken({ ...hub.keys, issuer: 'urn:someone-else' }, { role: 'partner-admin', org: 'edge-org' });
      const otherAudience = await mintToken({ ...hub.keys, audience: 'another-app' }, { role: 'partner-admin', org: 'edge-org' });
      for (const [token, message] of [
        [expired, /expired/],
        [otherKey, /not valid/],
        [otherIssuer, /not valid/],
        [otherAudience, /not valid/],
        ['not-a-jwt', /not valid/],
      ] as const) {
        const res = await ask({ authorization: `Bearer ${token}` });
        expect(res.status).toBe(401);
        expect(res.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
        expect(res.errors?.[0].message).toMatch(message);
      }
    });

    it('refuses a token whose claims do not make a caller, saying which claim', async () => {
      const noOrg = await mintToken(hub.keys, { role: 'partner-admin' });
      const res = await ask({ authorization: `Bearer ${noOrg}` });
      expect(res.status).toBe(401);
      expect(res.errors?.[0].message).toMatch(/org/);
      const unknownRole = await new SignJWT({ role: 'superuser', org: 'edge-org' })
        .setProtectedHeader({ alg: 'EdDSA', kid: 'hub-dev-1' })
        .setIssuer(hub.keys.issuer)
        .setAudience(hub.keys.audience)
        .setSubject('x')
        .setExpirationTime('1h')
        .sign(createPrivateKey(hub.keys.tokenSigningKey));
      expect((await ask({ authorization: `Bearer ${unknownRole}` })).errors?.[0].message).toMatch(/role/);
    });
  });

  describe('going around the gateway', () => {
    it('gets nothing from a subgraph without the gateway-signed scope, even with a valid caller token', async () => {
      for (const subgraph of Object.values(hub.subgraphs)) {
        const bare = await postGraphQL(subgraph.url(), `{ _service { sdl } }`);
        expect(bare.status).toBe(401);
        expect(bare.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
        const withCallerToken = await postGraphQL(subgraph.url(), `{ _service { sdl } }`, undefined, { authorization: `Bearer ${admin.token}` });
        expect(withCallerToken.status).toBe(401);
        const forged = await postGraphQL(subgraph.url(), `{ _service { sdl } }`, undefined, { [SCOPE_HEADER]: admin.token });
        expect(forged.status).toBe(403);
        expect(forged.errors?.[0].extensions?.code).toBe('FORBIDDEN');
        expect(forged.data ?? null).toBeNull();
      }
    });
  });

  describe('operation limits', () => {
    const nest = (depth: number) => `{ regions { ${'children { '.repeat(depth)}id${' }'.repeat(depth)} } }`;

    it.each([
      ['depth', nest(DEFAULT_LIMITS.depth + 1)],
      ['aliases', `{ ${Array.from({ length: DEFAULT_LIMITS.aliases + 1 }, (_, i) => `a${i}: regions { id }`).join(' ')} }`],
      ['directives', `{ regions { id ${'@include(if: true) '.repeat(DEFAULT_LIMITS.directives + 1)} } }`],
      ['cost', `{ ${Array.from({ length: 20 }, (_, i) => `a${i}: ${'organisations(first: 100) { nodes { programs { deliveryPartners { programs { name } } } } }'}`).join(' ')} }`],
    ])('refuses an operation over the %s limit with 400 naming the limit', async (limit, query) => {
      const res = await admin.query(query);
      expect(res.status).toBe(400);
      expect(res.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(res.errors?.map((e) => e.extensions?.limit)).toContain(limit);
    });

    it('refuses an operation over the token limit with 400, before parsing it all', async () => {
      const res = await admin.query(`{ regions { ${'id '.repeat(DEFAULT_LIMITS.tokens)} } }`);
      expect(res.status).toBe(400);
      expect(res.errors?.[0].extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
      expect(res.errors?.[0].message).toMatch(/tokens/);
    });

    it('answers malformed operations with 400, never 500', async () => {
      for (const query of ['{ regions { id }', '{ nonsense }', 'mutation { }', '{ regions(parentId: 3 { id } }', '}}}}']) {
        const res = await admin.query(query);
        expect({ query, status: res.status }).toEqual({ query, status: 400 });
      }
      const notJson = await fetch(hub.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.token}` }, body: '{"query": ' });
      expect(notJson.status).toBe(400);
    });

    it('refuses a body over 1 MB', async () => {
      const res = await fetch(hub.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.token}` },
        body: JSON.stringify({ query: '{ regions { id } }', variables: { pad: 'x'.repeat(1_100_000) } }),
      });
      expect(res.status).toBe(413);
    });
  });

  describe('in production', () => {
    let production: Gateway;
    let url: string;

    beforeAll(async () => {
      production = await createGateway(gatewayConfigFor(hub, { production: true }));
      url = await production.listen(0);
    });
    afterAll(() => production.stop());

    it('turns introspection and field suggestions off', async () => {
      const auth = { authorization: `Bearer ${admin.token}` };
      const introspection = await postGraphQL(url, `{ __schema { types { name } } }`, undefined, auth);
      expect(introspection.status).toBe(400);
      expect(introspection.errors?.[0].message).toMatch(/introspection/i);
      const typo = await postGraphQL(url, `{ region { id } }`, undefined, auth);
      expect(typo.status).toBe(400);
      expect(typo.errors?.[0].message).not.toMatch(/Did you mean/);
    });
  });
});

describe('a gateway trusting an identity provider\'s published key set (AUTH_JWKS_URL)', () => {
  let hub: TestHub;
  let issuer: http.Server;
  let gateway: Gateway;
  let url: string;
  let fetches = 0;

  beforeAll(async () => {
    hub = await startTestHub();
    issuer = http.createServer((_req, res) => {
      fetches++;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(hub.keys.jwks));
    });
    await new Promise<void>((resolve) => issuer.listen(0, '127.0.0.1', resolve));
    gateway = await createGateway(
      gatewayConfigFor(hub, {
        auth: { issuer: hub.keys.issuer, audience: hub.keys.audience, jwksUrl: `http://127.0.0.1:${(issuer.address() as AddressInfo).port}/.well-known/jwks.json` },
      }),
    );
    url = await gateway.listen(0);
  });
  afterAll(async () => {
    await gateway.stop();
    issuer.closeAllConnections();
    await new Promise((resolve) => issuer.close(resolve));
    await hub.stop();
  });

  it('accepts tokens signed by a published key, fetching the key set once, and refuses others', async () => {
    const token = await hub.token({ role: 'partner-admin', org: 'edge-org' });
    for (let i = 0; i < 3; i++) {
      const res = await postGraphQL(url, `{ regions { id } }`, undefined, { authorization: `Bearer ${token}` });
      expect(res.errors).toBeUndefined();
    }
    expect(fetches).toBe(1);
    const stranger = await createHubKeys();
    const forged = await mintToken({ ...stranger, issuer: hub.keys.issuer, audience: hub.keys.audience }, { role: 'partner-admin', org: 'edge-org' });
    const res = await postGraphQL(url, `{ regions { id } }`, undefined, { authorization: `Bearer ${forged}` });
    expect(res.status).toBe(401);
  });
});

describe('the gateway in front of one hung subgraph', () => {
  let hub: TestHub;
  let gateway: Gateway;
  let hung: http.Server;
  let url: string;

  beforeAll(async () => {
    hub = await startTestHub();
    hung = http.createServer(() => undefined);
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    const config = gatewayConfigFor(hub, { subgraphTimeoutMs: 300 });
    config.subgraphUrls.sessions = `http://127.0.0.1:${(hung.address() as AddressInfo).port}/graphql`;
    gateway = await createGateway(config);
    url = await gateway.listen(0);
  });
  afterAll(async () => {
    await gateway.stop();
    hung.closeAllConnections();
    await new Promise((resolve) => hung.close(resolve));
    await hub.stop();
  });

  it('gives up after its timeout with SUBGRAPH_UNAVAILABLE naming the service, not its address', async () => {
    const token = await hub.token({ role: 'partner-admin', org: 'edge-org' });
    const res = await postGraphQL(url, `{ sessions { totalCount } }`, undefined, { authorization: `Bearer ${token}` });
    expect(res.data).toBeNull();
    expect(res.errors?.[0].extensions).toEqual({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'sessions' });
    expect(res.errors?.[0].message).toBe('The sessions service did not answer in time');
    expect(JSON.stringify(res)).not.toMatch(/127\.0\.0\.1|http:/);
  });
});
