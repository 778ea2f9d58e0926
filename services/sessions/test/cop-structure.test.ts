import { CommunityDocument, createSessionsSubgraph, SessionLearning } from '@hub/sessions';
import { newId, withScope, type AccessScope, type Subgraph } from '@hub/core';
import { dropTestDatabases, testSubgraphConfig } from '../../../test/support/database';
import { errorCode, postGraphQL, type GraphQLResponse } from '../../../test/support/graphql';
import { partnerAdmin, scopeHeaders, scopeOf, SYSTEM_SCOPE } from '../../../test/support/scopes';

/**
 * Co-design and structure (issue 6 items 1 and 8) at the sessions subgraph: versioned terms of
 * reference and code of practice, session programs from templates, learnings and resources with
 * full-text search, each behind the tenant wall (partners alpha and beta of one program run by `nat`).
 */
describe('sessions: co-design and structure', () => {
  const config = testSubgraphConfig('sessions');
  let subgraph: Subgraph;
  let url: string;
  const gql = async (scope: AccessScope, query: string, variables?: Record<string, unknown>) =>
    postGraphQL(url, query, variables, await scopeHeaders(scope));
  const sys = (query: string, variables?: Record<string, unknown>) => gql(SYSTEM_SCOPE, query, variables);
  const ok = <T>(res: GraphQLResponse<T>): T => {
    expect(res.errors).toBeUndefined();
    return res.data as T;
  };
  const fieldsOf = (res: GraphQLResponse<unknown>) => (res.errors?.[0]?.extensions?.fields as { field: string }[] | undefined)?.map((f) => f.field);

  const program = newId('nat', 'prg');
  const [facA1, facA2, facB1] = [newId('alpha', 'fac'), newId('alpha', 'fac'), newId('beta', 'fac')];
  const adminA = { ...partnerAdmin('alpha', ['nat'], [program]), subject: 'admin-of-alpha' };
  const adminB = { ...partnerAdmin('beta', ['nat'], [program]), subject: 'admin-of-beta' };
  const facilitator = (organisation: string, id: string) =>
    scopeOf('facilitator', { organisation, facilitator: id, organisations: [organisation, 'nat'], programs: [program], subject: `person-${id}` });
  const participant = scopeOf('participant', { subject: 'parent-1', organisations: ['alpha', 'nat'], programs: [program] });

  let comA: string;
  let cop: string;
  let sessionA: string;

  beforeAll(async () => {
    subgraph = await createSessionsSubgraph(config);
    url = await subgraph.listen(0);
    const create = async (organisationId: string, name: string, kind: string, extra: Record<string, unknown> = {}) =>
      ok(await sys(`mutation($input: CreateCommunityInput!) { createCommunity(input: $input) { id } }`, {
        input: { organisationId, programId: program, kind, name, mode: 'ONLINE', ...extra },
      }))!.createCommunity.id as string;
    comA = await create('alpha', 'Alpha engagement CoP', 'COMMUNITY_OF_PRACTICE', { termsOfReference: 'Draft terms from the co-design session.' });
    cop = await create('nat', 'National CoP', 'COMMUNITY_OF_PRACTICE');
    const scheduled = ok(await sys(`mutation($c: ID!, $f: [ID!]!) {
      scheduleSession(input: { communityId: $c, topic: "Kick-off", startsAt: "2025-03-01T09:00:00Z", endsAt: "2025-03-01T10:00:00Z", facilitatorIds: $f }) { id }
    }`, { c: comA, f: [facA1] }));
    sessionA = scheduled!.scheduleSession.id;
    ok(await sys(`mutation($id: ID!) { endSession(id: $id) { id } }`, { id: sessionA }));
  });
  afterAll(async () => {
    await subgraph.stop();
    await dropTestDatabases(config);
  });

  describe('purpose, scope, expectations and versioned documents', () => {
    it('keeps every version of the terms of reference: who changed what, when, newest first', async () => {
      ok(await gql(adminA, `mutation($id: ID!) { updateCommunity(id: $id, input: { purpose: "Build engagement skills", scope: "Planning and delivering community engagement", expectations: "Come prepared; take a turn to facilitate" }) { id } }`, { id: comA }));
      const revise = (text: string, changeNote: string, scope = adminA) =>
        gql(scope, `mutation($i: ReviseCommunityDocumentInput!) { reviseCommunityDocument(input: $i) { version text changedBy changeNote community { termsOfReference } } }`, {
          i: { communityId: comA, kind: 'TERMS_OF_REFERENCE', text, changeNote },
        });
      const second = ok(await revise('Terms v2: meets monthly for 90 minutes.', 'Agreed meeting length and frequency'))!.reviseCommunityDocument;
      expect(second).toEqual({ version: 2, text: 'Terms v2: meets monthly for 90 minutes.', changedBy: 'admin-of-alpha', changeNote: 'Agreed meeting length and frequency', community: { termsOfReference: 'Terms v2: meets monthly for 90 minutes.' } });
      ok(await revise('Terms v3: meets monthly; members rotate facilitation.', 'Rotating facilitation'));
      const res = ok(await gql(adminA, `query($id: ID!) { community(id: $id) {
        purpose scope expectations termsOfReference codeOfPractice
        terms: documents(kind: TERMS_OF_REFERENCE) { totalCount nodes { version text changedBy changeNote changedAt } }
        code: documents(kind: CODE_OF_PRACTICE) { totalCount }
      } }`, { id: comA }))!.community;
      expect(res.purpose).toBe('Build engagement skills');
      expect(res.scope).toBe('Planning and delivering community engagement');
      expect(res.expectations).toBe('Come prepared; take a turn to facilitate');
      expect(res.termsOfReference).toBe('Terms v3: meets monthly; members rotate facilitation.');
      expect(res.terms.totalCount).toBe(3);
      expect(res.terms.nodes.map((d: { version: number; changedBy: string }) => [d.version, d.changedBy])).toEqual([[3, 'admin-of-alpha'], [2, 'admin-of-alpha'], [1, 'hub']]);
      expect(res.terms.nodes[2].text).toBe('Draft terms from the co-design session.');
      expect(Date.parse(res.terms.nodes[0].changedAt)).toBeGreaterThanOrEqual(Date.parse(res.terms.nodes[1].changedAt));
      expect(res.code.totalCount).toBe(0);
      // a page at a time, newest first
      const first = ok(await gql(adminA, `query($id: ID!) { community(id: $id) { documents(first: 2) { nodes { version } pageInfo { endCursor hasNextPage } } } }`, { id: comA }))!.community.documents;
      expect(first.nodes).toEqual([{ version: 3 }, { version: 2 }]);
      const rest = ok(await gql(adminA, `query($id: ID!, $a: String) { community(id: $id) { documents(first: 2, after: $a) { nodes { version } pageInfo { hasNextPage } } } }`, { id: comA, a: first.pageInfo.endCursor }))!.community.documents;
      expect(rest).toEqual({ nodes: [{ version: 1 }], pageInfo: { hasNextPage: false } });
    });

    it('lets the community\'s own facilitators of its sessions revise, and nobody else', async () => {
      const revise = (scope: AccessScope, communityId = comA) =>
        gql(scope, `mutation($i: ReviseCommunityDocumentInput!) { reviseCommunityDocument(input: $i) { version changedBy } }`, {
          i: { communityId, kind: 'CODE_OF_PRACTICE', text: `Code by ${scope.subject}`, changeNote: '' },
        });
      const own = ok(await revise(facilitator('alpha', facA1)))!.reviseCommunityDocument;
      expect(own).toEqual({ version: 1, changedBy: `person-${facA1}` });
      const notRostered = await revise(facilitator('alpha', facA2));
      expect(errorCode(notRostered)).toBe('FORBIDDEN');
      expect(fieldsOf(notRostered)).toEqual(['input.communityId']);
      expect(errorCode(await revise(participant))).toBe('FORBIDDEN');
      // B cannot see A's community at all
      const outside = await revise(adminB);
      expect(errorCode(outside)).toBe('NOT_FOUND');
      // nor the national CoP's documents: readable, but only the national manager's admins revise them
      expect(errorCode(await revise(adminA, cop))).toBe('FORBIDDEN');
      const seen = ok(await gql(adminB, `query($id: ID!) { community(id: $id) { id } }`, { id: comA }));
      expect(seen).toEqual({ community: null });
      const history = ok(await gql(adminA, `query($id: ID!) { community(id: $id) { codeOfPractice documents(kind: CODE_OF_PRACTICE) { totalCount } } }`, { id: comA }))!.community;
      expect(history).toEqual({ codeOfPractice: `Code by person-${facA1}`, documents: { totalCount: 1 } });
    });

    it('refuses an unchanged text and a text too long, naming the field', async () => {
      const same = await gql(adminA, `mutation($i: ReviseCommunityDocumentInput!) { reviseCommunityDocument(input: $i) { version } }`, {
        i: { communityId: comA, kind: 'TERMS_OF_REFERENCE', text: 'Terms v3: meets monthly; members rotate facilitation.' },
      });
      expect(errorCode(same)).toBe('BAD_USER_INPUT');
      expect(fieldsOf(same)).toEqual(['input.text']);
      const long = await gql(adminA, `mutation($i: ReviseCommunityDocumentInput!) { reviseCommunityDocument(input: $i) { version } }`, {
        i: { communityId: comA, kind: 'TERMS_OF_REFERENCE', text: 'x'.repeat(20001) },
      });
      expect(errorCode(long)).toBe('BAD_USER_INPUT');
      expect(fieldsOf(long)).toEqual(['input.text']);
    });

    it('keeps versions append-only at the database', async () => {
      await expect(
        withScope(subgraph.requestDataSource, adminA, (m) => m.query(`UPDATE community_document SET text = 'rewritten' WHERE community_id = $1`, [comA])),
      ).rejects.toThrow(/row-level security/);
      const deleted = await withScope(subgraph.requestDataSource, adminA, (m) => m.query(`DELETE FROM community_document WHERE community_id = $1 RETURNING id`, [comA]));
      expect(deleted).toEqual([[], 0]);
      const kept = ok(await gql(adminA, `query($id: ID!) { community(id: $id) { documents { totalCount nodes { text } } } }`, { id: comA }))!.community.documents;
      expect(kept.totalCount).toBe(4);
      expect(kept.nodes.map((d: { text: string }) => d.text)).not.toContain('rewritten');
      await expect(
        withScope(subgraph.requestDataSource, adminB, (m) =>
          m.insert(CommunityDocument, { id: newId('alpha', 'doc'), communityId: comA, organisationId: 'alpha', programId: program, kind: 'TERMS_OF_REFERENCE' as never, version: 9, text: 'planted', changeNote: '', changedBy: 'admin-of-beta', changedAt: new Date() }),
        ),
      ).rejects.toThrow(/row-level security/);
    });
  });

  describe('session programs from templates', () => {
    it('offers the seven-session Share, Discuss, Apply template', async () => {
      const { sessionTemplates } = ok(await gql(participant, `{ sessionTemplates { key name formatPhases suggestedTopics suggestedCadence suggestedLengthMinutes } }`))!;
      const seven = sessionTemplates.find((t: { key: string }) => t.key === 'seven-session-share-discuss-apply');
      expect(seven.name).toBe('Seven-session CoP: Share, Discuss, Apply');
      expect(seven.formatPhases).toEqual(['Share', 'Discuss', 'Apply']);
      expect(seven.suggestedTopics).toHaveLength(7);
    });

    it('schedules the program in one go, facilitation rotating; a refused plan schedules nothing', async () => {
      const topics = ['One', 'Two', 'Three', 'Four', 'Five', 'Six', 'Seven'];
      const plan = (scope: AccessScope, input: Record<string, unknown>) =>
        gql(scope, `mutation($i: PlanSessionProgramInput!) { planSessionProgram(input: $i) { topic startsAt endsAt formatPhases status facilitators { id } } }`, {
          i: { communityId: comA, topics, firstStartsAt: '2030-02-04T23:00:00.000Z', lengthMinutes: 90, facilitatorIds: [facA1, facA2], ...input },
        });
      const sessions = ok(await plan(adminA, { cadence: 'FORTNIGHTLY' }))!.planSessionProgram;
      expect(sessions.map((s: { topic: string }) => s.topic)).toEqual(topics);
      expect(sessions[0]).toEqual({ topic: 'One', startsAt: '2030-02-04T23:00:00.000Z', endsAt: '2030-02-05T00:30:00.000Z', formatPhases: ['Share', 'Discuss', 'Apply'], status: 'SCHEDULED', facilitators: [{ id: facA1 }] });
      expect(sessions[1].startsAt).toBe('2030-02-18T23:00:00.000Z');
      expect(sessions[6].startsAt).toBe('2030-04-29T23:00:00.000Z');
      expect(sessions.map((s: { facilitators: { id: string }[] }) => s.facilitators[0].id)).toEqual([facA1, facA2, facA1, facA2, facA1, facA2, facA1]);
      const listed = ok(await gql(adminA, `query($id: ID!) { community(id: $id) { sessions(filter: { from: "2030-01-01T00:00:00Z" }) { totalCount nodes { topic } } } }`, { id: comA }))!;
      expect(listed.community.sessions.totalCount).toBe(7);

      // monthly keeps the day of the month, or the month's last day
      const monthly = ok(await plan(adminA, { cadence: 'MONTHLY', topics: ['A', 'B', 'C'], firstStartsAt: '2031-01-31T09:00:00.000Z', facilitatorIds: [] }))!.planSessionProgram;
      expect(monthly.map((s: { startsAt: string }) => s.startsAt)).toEqual(['2031-01-31T09:00:00.000Z', '2031-02-28T09:00:00.000Z', '2031-03-31T09:00:00.000Z']);

      const before = ok(await sys(`query($id: ID!) { community(id: $id) { sessionCount } }`, { id: comA }))!.community.sessionCount;
      const both = await plan(adminA, { cadence: 'WEEKLY', cadenceDays: 10 });
      expect(errorCode(both)).toBe('BAD_USER_INPUT');
      expect(fieldsOf(both)).toEqual(['input.cadence']);
      const tooShort = await plan(adminA, { cadenceDays: 7, lengthMinutes: 5 });
      expect(fieldsOf(tooShort)).toEqual(['input.lengthMinutes']);
      expect(errorCode(await plan(facilitator('alpha', facA1), { cadence: 'WEEKLY' }))).toBe('FORBIDDEN');
      expect(errorCode(await plan(adminB, { cadence: 'WEEKLY' }))).toBe('NOT_FOUND');
      const after = ok(await sys(`query($id: ID!) { community(id: $id) { sessionCount } }`, { id: comA }))!.community.sessionCount;
      expect(after).toBe(before);
    });
  });

  describe('learnings and resources', () => {
    it('records learnings at a session and finds them by a word in them, only within the wall', async () => {
      const record = (scope: AccessScope, text: string, tags: string[] = [], sessionId = sessionA) =>
        gql(scope, `mutation($i: RecordLearningInput!) { recordLearning(input: $i) { text tags recordedBy session { id } } }`, { i: { sessionId, text, tags } });
      const learned = ok(await record(facilitator('alpha', facA1), 'Mapping upcoming engagements showed three teams were surveying the same families: community fatigue.', ['Mapping', 'fatigue ', 'mapping']))!.recordLearning;
      expect(learned).toEqual({ text: expect.stringContaining('community fatigue'), tags: ['mapping', 'fatigue'], recordedBy: `person-${facA1}`, session: { id: sessionA } });
      ok(await record(adminA, 'Keep each session to one topic at a time.', ['format']));
      expect(errorCode(await record(facilitator('alpha', facA2), 'Not mine to record'))).toBe('FORBIDDEN');
      expect(errorCode(await record(adminB, 'Not ours'))).toBe('NOT_FOUND');
      const future = ok(await sys(`query($id: ID!) { community(id: $id) { sessions(filter: { status: SCHEDULED }, first: 1) { nodes { id } } } }`, { id: comA }))!.community.sessions.nodes[0].id;
      expect(errorCode(await record(adminA, 'Too early', [], future))).toBe('CONFLICT');

      const search = (scope: AccessScope, query: string, programId: string | null = null) =>
        gql(scope, `query($q: String!, $p: ID) { searchLearnings(query: $q, programId: $p) { totalCount nodes { text session { id } } } }`, { q: query, p: programId });
      // stemmed: "surveyed" finds "surveying"
      const found = ok(await search(adminA, 'surveyed families', program))!.searchLearnings;
      expect(found.totalCount).toBe(1);
      expect(found.nodes[0].session.id).toBe(sessionA);
      expect(ok(await search(adminA, 'fatigue'))!.searchLearnings.totalCount).toBe(1);
      expect(ok(await search(adminA, 'topic'))!.searchLearnings.nodes).toEqual([{ text: 'Keep each session to one topic at a time.', session: { id: sessionA } }]);
      expect(ok(await search(adminA, 'budget'))!.searchLearnings.totalCount).toBe(0);
      expect(ok(await search(adminB, 'fatigue'))!.searchLearnings).toEqual({ totalCount: 0, nodes: [] });
      expect(errorCode(await search(adminA, '   '))).toBe('BAD_USER_INPUT');

      const listed = ok(await gql(adminA, `query($id: ID!) { session(id: $id) { learnings { totalCount nodes { tags } } } }`, { id: sessionA }))!.session.learnings;
      expect(listed).toEqual({ totalCount: 2, nodes: [{ tags: ['mapping', 'fatigue'] }, { tags: ['format'] }] });
      // the database keeps learnings in their organisation too
      const seenByB = await withScope(subgraph.requestDataSource, adminB, (m) => m.getRepository(SessionLearning).count());
      expect(seenByB).toBe(0);
    });

    it('pages search results by rank without repeating or skipping', async () => {
      for (let i = 0; i < 4; i++) {
        ok(await gql(adminA, `mutation($i: RecordLearningInput!) { recordLearning(input: $i) { text } }`, {
          i: { sessionId: sessionA, text: `Partnering note ${i}: ${'partnering '.repeat(i + 1)}works across sectors.` },
        }));
      }
      const page = (after: string | null) =>
        gql(adminA, `query($a: String) { searchLearnings(query: "partnering", first: 3, after: $a) { nodes { text } pageInfo { endCursor hasNextPage } } }`, { a: after });
      const one = ok(await page(null))!.searchLearnings;
      const two = ok(await page(one.pageInfo.endCursor))!.searchLearnings;
      expect(one.pageInfo.hasNextPage).toBe(true);
      expect(two.pageInfo.hasNextPage).toBe(false);
      const texts = [...one.nodes, ...two.nodes].map((n: { text: string }) => n.text);
      expect(new Set(texts).size).toBe(4);
      expect(texts[0]).toMatch(/^Partnering note 3/);
      expect(errorCode(await page('nonsense'))).toBe('BAD_USER_INPUT');
    });

    it('shares resources in a community: readable by whoever reads the community, searchable', async () => {
      const share = (scope: AccessScope, communityId: string, title: string, extra: Record<string, unknown> = {}) =>
        gql(scope, `mutation($i: ShareResourceInput!) { shareResource(input: $i) { title url organisation { id } community { id } sharedBy } }`, {
          i: { communityId, title, description: '', ...extra },
        });
      const shared = ok(await share(facilitator('beta', facB1), cop, 'Community engagement plan template', { url: 'https://example.org/plan', description: 'A template for planning engagement', tags: ['planning'] }))!.shareResource;
      expect(shared).toEqual({ title: 'Community engagement plan template', url: 'https://example.org/plan', organisation: { id: 'beta' }, community: { id: cop }, sharedBy: `person-${facB1}` });
      ok(await share(adminA, comA, 'Alpha planning checklist', { description: 'Our own planning checklist' }));
      const badUrl = await share(adminA, comA, 'Bad', { url: 'javascript:alert(1)' });
      expect(fieldsOf(badUrl)).toEqual(['input.url']);
      expect(errorCode(await share(participant, comA, 'Mine'))).toBe('FORBIDDEN');
      expect(errorCode(await share(adminB, comA, 'Into A'))).toBe('NOT_FOUND');

      const search = (scope: AccessScope) => gql(scope, `{ searchResources(query: "planning") { nodes { title organisation { id } } } }`);
      // A reads beta's resource in the national CoP (the program's shared space) and its own
      expect(ok(await search(adminA))!.searchResources.nodes.map((n: { title: string }) => n.title).sort()).toEqual(['Alpha planning checklist', 'Community engagement plan template']);
      // B reads only the national CoP's
      expect(ok(await search(adminB))!.searchResources.nodes).toEqual([{ title: 'Community engagement plan template', organisation: { id: 'beta' } }]);
      const listed = ok(await gql(adminA, `query($c: ID!) { community(id: $c) { resources { totalCount nodes { title } } } }`, { c: cop }))!.community.resources;
      expect(listed).toEqual({ totalCount: 1, nodes: [{ title: 'Community engagement plan template' }] });
    });
  });
});
