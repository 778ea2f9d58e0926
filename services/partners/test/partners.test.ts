import { createPartnersSubgraph } from '@hub/partners';
import { SCOPE_STATEMENTS, type Subgraph } from '@hub/core';
import { dropTestDatabases, testSubgraphConfig } from '../../../test/support/database';
import { errorCode, postGraphQL } from '../../../test/support/graphql';
import { scopeHeaders, SYSTEM_SCOPE } from '../../../test/support/scopes';

describe('partners subgraph', () => {
  const config = testSubgraphConfig('partners');
  let subgraph: Subgraph;
  let url: string;
  // the hub's own scope (seeds, the gateway's lookups) passes every rule; access.test.ts covers callers
  const gql = async (query: string, variables?: Record<string, unknown>) => postGraphQL(url, query, variables, await scopeHeaders(SYSTEM_SCOPE));

  beforeAll(async () => {
    subgraph = await createPartnersSubgraph(config);
    url = await subgraph.listen(0);
    await gql(`mutation {
      au: createRegion(input: { id: "au", name: "Australia", level: COUNTRY }) { id }
      qld: createRegion(input: { id: "au-qld", name: "Queensland", level: STATE, parentId: "au" }) { id }
    }`);
    await gql(`mutation { createOrganisation(input: { id: "prc", name: "Parenting Research Centre", kind: NATIONAL_MANAGER }) { id } }`);
  });
  afterAll(async () => {
    await subgraph.stop();
    await dropTestDatabases(config);
  });

  it('creates a program whose ID names its managing organisation', async () => {
    const res = await gql(`mutation { createProgram(input: { name: "MyTime", managingOrganisationId: "prc" }) { id minimumGroupSize managingOrganisation { id } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data?.createProgram.id).toMatch(/^prc\.prg_/);
    expect(res.data?.createProgram.minimumGroupSize).toBe(5);
    expect(res.data?.createProgram.managingOrganisation.id).toBe('prc');
  });

  it('refuses a minimum group size below 3, naming the field, and saves nothing', async () => {
    const before = await gql(`{ programs { totalCount } }`);
    const res = await gql(`mutation { createProgram(input: { name: "Tiny", managingOrganisationId: "prc", minimumGroupSize: 2 }) { id } }`);
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].extensions?.fields).toEqual([expect.objectContaining({ field: 'input.minimumGroupSize' })]);
    const after = await gql(`{ programs { totalCount } }`);
    expect(after.data?.programs.totalCount).toBe(before.data?.programs.totalCount);
  });

  it('refuses a reporting period on a day that does not exist, naming the field, and accepts a leap day', async () => {
    const create = (startsOn: string, endsOn: string) =>
      gql(`mutation($p: [ReportingPeriodInput!]!) { createProgram(input: { name: "Periods", managingOrganisationId: "prc", reportingPeriods: $p }) { id } }`, {
        p: [{ name: 'Q1', startsOn, endsOn }],
      });
    const impossible = await create('2024-01-01', '2024-02-30');
    expect(errorCode(impossible)).toBe('BAD_USER_INPUT');
    expect(impossible.errors?.[0].extensions?.fields).toEqual([expect.objectContaining({ field: 'input.reportingPeriods.0.endsOn' })]);
    const notLeap = await create('2023-02-29', '2023-03-31');
    expect(notLeap.errors?.[0].extensions?.fields).toEqual([expect.objectContaining({ field: 'input.reportingPeriods.0.startsOn' })]);
    const leap = await create('2024-01-01', '2024-02-29');
    expect(leap.errors).toBeUndefined();
  });

  it('answers NOT_FOUND for an unknown managing organisation', async () => {
    const res = await gql(`mutation { createProgram(input: { name: "X", managingOrganisationId: "nobody" }) { id } }`);
    expect(errorCode(res)).toBe('NOT_FOUND');
    expect(res.errors?.[0].extensions?.fields).toEqual([expect.objectContaining({ field: 'input.managingOrganisationId' })]);
  });

  it('keeps an organisation unchanged when one of its new regions is unknown', async () => {
    await gql(`mutation { createOrganisation(input: { id: "uniting", name: "Uniting", regionIds: ["au-qld"] }) { id } }`);
    const res = await gql(`mutation { updateOrganisation(id: "uniting", input: { name: "Renamed", regionIds: ["au-qld", "mars"] }) { id } }`);
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
    const org = await gql(`{ organisation(id: "uniting") { name regions { id } } }`);
    expect(org.data?.organisation).toEqual({ name: 'Uniting', regions: [{ id: 'au-qld' }] });
  });

  it('pages through organisations with cursors and rejects a malformed cursor', async () => {
    const first = await gql(`{ organisations(first: 1) { nodes { id } pageInfo { hasNextPage endCursor } totalCount } }`);
    expect(first.data?.organisations.nodes).toHaveLength(1);
    expect(first.data?.organisations.pageInfo.hasNextPage).toBe(true);
    const next = await gql(`query($after: String) { organisations(first: 10, after: $after) { nodes { id } pageInfo { hasNextPage } } }`, {
      after: first.data?.organisations.pageInfo.endCursor,
    });
    expect(next.data?.organisations.nodes.map((n: { id: string }) => n.id)).not.toContain(first.data?.organisations.nodes[0].id);
    const bad = await gql(`{ organisations(after: "not-a-cursor") { totalCount } }`);
    expect(errorCode(bad)).toBe('BAD_USER_INPUT');
    expect(bad.errors?.[0].extensions?.fields).toEqual([expect.objectContaining({ field: 'after' })]);
  });

  it('resolves entity references in one query for many keys', async () => {
    const before = subgraph.statements.count;
    const res = await gql(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Organisation { id name } } }`, {
      r: [{ __typename: 'Organisation', id: 'prc' }, { __typename: 'Organisation', id: 'uniting' }, { __typename: 'Organisation', id: 'ghost' }],
    });
    expect(res.data?._entities).toEqual([{ id: 'prc', name: 'Parenting Research Centre' }, { id: 'uniting', name: 'Uniting' }, null]);
    expect(subgraph.statements.count - before).toBe(1 + SCOPE_STATEMENTS);
  });

  it('lets exactly one of several simultaneous creates of the same organisation key through', async () => {
    const attempts = await Promise.all(
      Array.from({ length: 8 }, (_, i) => gql(`mutation($n: String!) { createOrganisation(input: { id: "racer", name: $n }) { name } }`, { n: `Racer ${i}` })),
    );
    const created = attempts.filter((a) => a.data?.createOrganisation);
    expect(created).toHaveLength(1);
    expect(attempts.filter((a) => errorCode(a) === 'CONFLICT')).toHaveLength(7);
    for (const a of attempts.filter((x) => errorCode(x) === 'CONFLICT')) {
      expect(a.errors?.[0].extensions?.fields).toEqual([expect.objectContaining({ field: 'input.id' })]);
    }
    const stored = await gql(`{ organisation(id: "racer") { name } }`);
    expect(stored.data?.organisation.name).toBe(created[0].data?.createOrganisation.name);
  });
});
