import { withScope, type Subgraph } from '@hub/core';
import { createPartnersSubgraph } from '@hub/partners';
import { dropTestDatabases, testSubgraphConfig } from './support/database';
import { postGraphQL } from './support/graphql';
import { partnerAdmin, scopeHeaders, SYSTEM_SCOPE } from './support/scopes';

/** The per-request transaction every subgraph runs in, seen from outside. */
describe('a subgraph request\'s scoped transaction', () => {
  const config = { ...testSubgraphConfig('partners'), poolSize: 1 };
  let subgraph: Subgraph;

  beforeAll(async () => {
    subgraph = await createPartnersSubgraph(config);
    await subgraph.listen(0);
  });
  afterAll(async () => {
    await subgraph.stop();
    await dropTestDatabases(config);
  });

  it('gives its connection back whatever happens to the request, so one pooled connection serves them all', async () => {
    const headers = await scopeHeaders(SYSTEM_SCOPE);
    for (const query of ['{ regions { id }', '{ nonsense }', '{ regions(level: 7) { id } }', 'mutation { createRegion(input: { id: "x", name: "", level: STATE }) { id } }']) {
      const res = await postGraphQL(subgraph.url(), query, undefined, headers);
      expect(res.status).toBeLessThan(500);
    }
    const ok = await postGraphQL(subgraph.url(), `{ regions { id } }`, undefined, headers);
    expect(ok.errors).toBeUndefined();
    const open = await subgraph.dataSource.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND usename = 'hub_app' AND state LIKE 'idle in transaction%'`,
    );
    expect(open[0].n).toBe(0);
  });

  it('leaves nothing of one caller\'s scope on the connection for the next', async () => {
    const seen = await withScope(subgraph.requestDataSource, partnerAdmin('first-org'), (m) => m.query(`SELECT current_setting('hub.org', true) AS org`));
    expect(seen[0].org).toBe('first-org');
    // the pool has one connection: the same one, outside any scoped transaction
    const after = await subgraph.requestDataSource.query(`SELECT COALESCE(current_setting('hub.org', true), '') AS org, current_user AS who`);
    expect(after[0]).toEqual({ org: '', who: 'hub_app' });
  });

  it('runs requests as a role that owns no table and cannot bypass row-level security', async () => {
    const [role] = await subgraph.requestDataSource.query(`SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user`);
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false });
    const owned = await subgraph.requestDataSource.query(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user`);
    expect(owned[0].n).toBe(0);
    const unforced = await subgraph.dataSource.query(
      `SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> 'migrations' AND NOT (c.relrowsecurity AND c.relforcerowsecurity)`,
    );
    expect(unforced).toEqual([]);
    // outside a scoped transaction the request role sees no rows at all
    await postGraphQL(subgraph.url(), `mutation { createRegion(input: { id: "au", name: "Australia", level: COUNTRY }) { id } }`, undefined, await scopeHeaders(SYSTEM_SCOPE));
    expect(await subgraph.requestDataSource.query(`SELECT id FROM region`)).toEqual([]);
  });

  it('evaluates the caller\'s scope once per statement in every policy, not once per row', async () => {
    const policies = (await subgraph.dataSource.query(`SELECT policyname, qual, with_check FROM pg_policies`)) as { qual: string | null; with_check: string | null }[];
    expect(policies.length).toBeGreaterThan(0);
    const perRow = /(?<!SELECT )hub_(is_system|role|org|subject|facilitator|orgs|write_orgs|programs)\(\)(?! AS)/;
    for (const p of policies) {
      expect({ p, perRow: perRow.test(p.qual ?? '') || perRow.test(p.with_check ?? '') }).toEqual({ p, perRow: false });
    }
  });
});

