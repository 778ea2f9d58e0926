import { createSessionsSubgraph } from '@hub/sessions';
import { ELSEWHERE_EXTENSION, generateGatewayKeyPair, nodeAudience, ScopeSigner, signHeldElsewhere, type HeldElsewhere, type Subgraph } from '@hub/core';
import { dropTestDatabases, testSubgraphConfig } from '../../../test/support/database';
import { partnerAdmin, scopeHeaders, TEST_GATEWAY_KEYS } from '../../../test/support/scopes';

/**
 * A subgraph acting on a record that refers to one another deployment holds (docs/partner-nodes.md
 * "Records held elsewhere"): it takes that record only as the gateway vouches for it, signed; it
 * asks for it (HELD_ELSEWHERE) when the gateway routes to partner nodes and has not said; and it
 * treats it as absent when nobody vouches.
 */
describe('records held elsewhere, at a subgraph', () => {
  const config = testSubgraphConfig('sessions');
  let subgraph: Subgraph;
  let url: string;
  const program = 'natmgr.prg_01J00000000000000000000000';
  const national = 'natmgr.com_01J00000000000000000000000';
  const admin = partnerAdmin('uniting', ['natmgr'], [program]);
  const gateway = new ScopeSigner(TEST_GATEWAY_KEYS.privateKey);
  let item: string;

  const post = async (query: string, variables: Record<string, unknown>, extensions?: Record<string, unknown>) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await scopeHeaders(admin)) },
      body: JSON.stringify({ query, variables, ...(extensions ? { extensions } : {}) }),
    });
    return { status: res.status, ...((await res.json()) as { data?: any; errors?: any[] }) };
  };
  const vouching = async (records: HeldElsewhere, signer = gateway, audience?: string, subject = admin.subject) => ({
    [ELSEWHERE_EXTENSION]: await signHeldElsewhere(signer, { ...records, subject }, audience),
  });
  const ESCALATE = `mutation($i: EscalateForumItemInput!) { escalateForumItem(input: $i) { status tier } }`;
  const escalate = (extensions?: Record<string, unknown>) => post(ESCALATE, { i: { itemId: item, toForumId: national } }, extensions);
  const forumOf = async () => (await subgraph.dataSource.query(`SELECT forum_id FROM forum_item WHERE id = $1`, [item]))[0].forum_id;
  const nationalForum = { id: national, organisationId: 'natmgr', programId: program, kind: 'FORUM', tier: 'national', tierLevel: 1 };

  beforeAll(async () => {
    subgraph = await createSessionsSubgraph(config);
    url = await subgraph.listen(0);
    const forum = await post(`mutation($i: CreateCommunityInput!) { createCommunity(input: $i) { id } }`, {
      i: { organisationId: 'uniting', programId: program, kind: 'FORUM', name: 'Uniting forum', mode: 'ONLINE', tier: 'local', tierLevel: 2 },
    });
    const raised = await post(`mutation($f: ID!) { raiseForumItem(input: { forumId: $f, title: "Interpreters" }) { id } }`, { f: forum.data.createCommunity.id });
    item = raised.data.raiseForumItem.id;
  });
  afterAll(async () => {
    await subgraph?.stop();
    await dropTestDatabases(config);
  });

  it('treats a forum it does not hold as absent when nobody vouches for it', async () => {
    const res = await escalate();
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', fields: [{ field: 'input.toForumId' }] });
  });

  it('asks for it when the gateway routes to partner nodes and has not said, changing nothing', async () => {
    const res = await escalate(await vouching({}));
    expect(res.errors?.[0].extensions).toEqual({ code: 'HELD_ELSEWHERE', records: [{ kind: 'communities', id: national }] });
    expect(await forumOf()).not.toBe(national);
  });

  it('refuses records vouched for by another key, for another deployment or for another caller, changing nothing', async () => {
    const stranger = new ScopeSigner(generateGatewayKeyPair().privateKey);
    expect((await escalate(await vouching({ communities: { [national]: nationalForum } }, stranger))).status).toBe(403);
    expect((await escalate(await vouching({ communities: { [national]: nationalForum } }, gateway, nodeAudience('uniting')))).status).toBe(403);
    expect((await escalate(await vouching({ communities: { [national]: nationalForum } }, gateway, undefined, 'someone-else'))).status).toBe(403);
    expect((await escalate({ [ELSEWHERE_EXTENSION]: 'not a token' })).status).toBe(403);
    expect(await forumOf()).not.toBe(national);
  });

  it('escalates into the forum as vouched for, and says a vouched absence is NOT_FOUND', async () => {
    const absent = await escalate(await vouching({ communities: { [national]: null } }));
    expect(absent.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const res = await escalate(await vouching({ communities: { [national]: nationalForum } }));
    expect(res.errors).toBeUndefined();
    expect(res.data.escalateForumItem).toEqual({ status: 'ESCALATED', tier: 'national' });
    expect(await forumOf()).toBe(national);
  });
});
