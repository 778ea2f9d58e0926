import { createSessionsSubgraph } from '@hub/sessions';
import { type Subgraph } from '@hub/core';
import { Client } from 'pg';
import { dropTestDatabases, testServerUrl, testSubgraphConfig } from '../../../test/support/database';
import { postGraphQL } from '../../../test/support/graphql';
import { scopeHeaders, SYSTEM_SCOPE } from '../../../test/support/scopes';

/**
 * The gateway merges a national list of sessions from the hub and partner nodes by start time, then
 * ID by code point; every deployment must order its own page the same way whatever its server's
 * locale, or paging across them skips or repeats. Here the database orders text as a locale that
 * passes over punctuation (ICU `en-US-u-ka-shifted`, like glibc's en_US), where "northeast" comes
 * before "north-west"; the subgraph still lists by code point, where "north-west" comes first.
 */
describe('sessions of the same start time on a server whose collation is not byte order', () => {
  const config = testSubgraphConfig('sessions');
  let subgraph: Subgraph;
  let url: string;
  const gql = async (query: string, variables?: Record<string, unknown>) => postGraphQL(url, query, variables, await scopeHeaders(SYSTEM_SCOPE));
  const program = 'natmgr.prg_01J00000000000000000000000';

  beforeAll(async () => {
    const server = new Client({ connectionString: testServerUrl() });
    await server.connect();
    const name = new URL(config.databaseUrl).pathname.slice(1);
    await server.query(`CREATE DATABASE "${name}" TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER icu ICU_LOCALE 'en-US-u-ka-shifted' LC_COLLATE 'C' LC_CTYPE 'C'`);
    await server.end();
    subgraph = await createSessionsSubgraph(config);
    url = await subgraph.listen(0);
  });
  afterAll(async () => {
    await subgraph?.stop();
    await dropTestDatabases(config);
  });

  it('lists them by ID in code point order, page after page', async () => {
    // the database's own order is not byte order
    const [{ before }] = await subgraph.dataSource.query(`SELECT 'northeast.ses_0' < 'north-west.ses_0' AS before`);
    expect(before).toBe(true);
    const startsAt = '2027-02-01T09:00:00.000Z';
    const ids: string[] = [];
    for (const organisationId of ['northeast', 'north-west']) {
      const community = await gql(`mutation($i: CreateCommunityInput!) { createCommunity(input: $i) { id } }`, {
        i: { organisationId, programId: program, kind: 'GROUP', name: `${organisationId} group`, mode: 'ONLINE' },
      });
      const session = await gql(`mutation($i: ScheduleSessionInput!) { scheduleSession(input: $i) { id } }`, {
        i: { communityId: community.data?.createCommunity.id, topic: 'Week 1', startsAt, endsAt: '2027-02-01T10:00:00.000Z' },
      });
      expect(session.errors).toBeUndefined();
      ids.push(session.data?.scheduleSession.id);
    }
    const byCodePoint = [...ids].sort();
    expect(byCodePoint[0]).toMatch(/^north-west\./);
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const res: any = await gql(`query($a: String) { sessions(first: 1, after: $a) { edges { node { id } } pageInfo { hasNextPage endCursor } } }`, { a: after });
      seen.push(...res.data.sessions.edges.map((e: any) => e.node.id));
      after = res.data.sessions.pageInfo.hasNextPage ? res.data.sessions.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toEqual(byCodePoint);
  });
});
