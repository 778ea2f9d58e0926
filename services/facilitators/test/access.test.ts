import {
  AccreditationLevel,
  CommunityMembership,
  CommunityRole,
  createFacilitatorsSubgraph,
  Facilitator,
  FacilitatorStatus,
  TrainingCourse,
  TrainingRecord,
} from '@hub/facilitators';
import { newId, SCOPE_HEADER, SCOPE_STATEMENTS, withScope, type AccessScope, type Subgraph } from '@hub/core';
import { dropTestDatabases, testSubgraphConfig } from '../../../test/support/database';
import { errorCode, postGraphQL } from '../../../test/support/graphql';
import { partnerAdmin, scopeHeaders, scopeOf, SYSTEM_SCOPE } from '../../../test/support/scopes';
import { snapshotDatabases } from '../../../test/support/snapshot';

/**
 * docs/access.md for the facilitators subgraph: partner A against partner B's records on every
 * path, names and contacts withheld unless the caller may see them, who may change what, and
 * row-level security standing alone behind the resolvers.
 */
describe('facilitators subgraph: access', () => {
  const config = testSubgraphConfig('facilitators');
  let subgraph: Subgraph;
  let url: string;

  const program = newId('nat', 'prg');
  const otherProgram = newId('other', 'prg');
  const sharedCommunity = newId('nat', 'com');
  const aCommunity = newId('orga', 'com');
  const bCommunity = newId('orgb', 'com');
  const ids = {
    a1: newId('orga', 'fac'),
    a2: newId('orga', 'fac'),
    b1: newId('orgb', 'fac'),
    n1: newId('nat', 'fac'),
    course: newId('nat', 'trc'),
    otherCourse: newId('other', 'trc'),
    aRecord: newId('orga', 'trr'),
    bRecord: newId('orgb', 'trr'),
    aMembership: newId('orga', 'mem'),
    bMembership: newId('orgb', 'mem'),
    bOwnMembership: newId('orgb', 'mem'),
  };

  const adminA = partnerAdmin('orga', ['nat'], [program]);
  const adminB = partnerAdmin('orgb', ['nat'], [program]);
  const manager = (contacts: string[]) =>
    scopeOf('national-manager', { organisation: 'nat', organisations: ['nat', 'orga', 'orgb'], programs: [program], shares: { contacts } });
  const facilitatorA1 = scopeOf('facilitator', { organisation: 'orga', organisations: ['nat', 'orga'], programs: [program], facilitator: ids.a1 });
  const participant = scopeOf('participant', { organisations: ['nat', 'orga'], programs: [program] });

  const as = async (scope: AccessScope, query: string, variables?: Record<string, unknown>) =>
    postGraphQL(url, query, variables, await scopeHeaders(scope));
  const fieldOf = (res: { errors?: readonly { extensions?: Record<string, unknown> }[] }) =>
    (res.errors?.[0]?.extensions?.fields as { field: string }[] | undefined)?.map((f) => f.field);
  const snapshot = () => snapshotDatabases({ subgraphs: { facilitators: subgraph } } as never);

  beforeAll(async () => {
    subgraph = await createFacilitatorsSubgraph(config);
    url = await subgraph.listen(0);
    const m = subgraph.dataSource.manager;
    const person = (id: string, organisationId: string, givenName: string, familyName: string) => ({
      id,
      organisationId,
      givenName,
      familyName,
      email: `${givenName.toLowerCase()}@${organisationId}.example.org`,
      phone: '+61 7 5555 0100',
      regionId: null,
      status: FacilitatorStatus.ACTIVE,
    });
    await m.getRepository(Facilitator).insert([
      person(ids.a1, 'orga', 'Alice', 'Archer'),
      person(ids.a2, 'orga', 'Adam', 'Zed'),
      person(ids.b1, 'orgb', 'Bella', 'Brown'),
      person(ids.n1, 'nat', 'Nina', 'North'),
    ]);
    await m.getRepository(TrainingCourse).insert([
      { id: ids.course, programId: program, organisationId: 'nat', name: 'Foundations', description: '', validForMonths: 24 },
      { id: ids.otherCourse, programId: otherProgram, organisationId: 'other', name: 'Elsewhere', description: '', validForMonths: null },
    ]);
    const record = (id: string, organisationId: string, facilitatorId: string) => ({
      id,
      organisationId,
      facilitatorId,
      courseId: ids.course,
      completedOn: '2024-01-01',
      accreditationLevel: AccreditationLevel.FOUNDATION,
      expiresOn: null,
    });
    await m.getRepository(TrainingRecord).insert([record(ids.aRecord, 'orga', ids.a1), record(ids.bRecord, 'orgb', ids.b1)]);
    const membership = (id: string, organisationId: string, facilitatorId: string, communityId: string) => ({
      id,
      organisationId,
      facilitatorId,
      communityId,
      role: CommunityRole.MEMBER,
      joinedOn: '2024-01-01',
      leftOn: null,
      confidentialityAgreed: true,
    });
    await m.getRepository(CommunityMembership).insert([
      membership(ids.aMembership, 'orga', ids.a1, sharedCommunity),
      membership(ids.bMembership, 'orgb', ids.b1, sharedCommunity),
      membership(ids.bOwnMembership, 'orgb', ids.b1, bCommunity),
    ]);
  });
  afterAll(async () => {
    await subgraph.stop();
    await dropTestDatabases(config);
  });

  describe('the scope header', () => {
    it('refuses a request without it with HTTP 401 UNAUTHENTICATED', async () => {
      const res = await postGraphQL(url, `{ facilitators { totalCount } }`);
      expect(res.status).toBe(401);
      expect(errorCode(res)).toBe('UNAUTHENTICATED');
      expect(res.data ?? null).toBeNull();
    });

    it('refuses one it cannot verify with HTTP 403', async () => {
      const res = await postGraphQL(url, `{ facilitators { totalCount } }`, undefined, { [SCOPE_HEADER]: 'not.a.token' });
      expect(res.status).toBe(403);
      expect(errorCode(res)).toBe('FORBIDDEN');
    });
  });

  describe('partner A against partner B', () => {
    it('gets nothing of B by ID', async () => {
      const res = await as(adminA, `query($f: ID!, $c: ID!) { facilitator(id: $f) { id } trainingCourse(id: $c) { id } }`, { f: ids.b1, c: ids.otherCourse });
      expect(res.errors).toBeUndefined();
      expect(res.data).toEqual({ facilitator: null, trainingCourse: null });
      const own = await as(adminA, `query($f: ID!) { facilitator(id: $f) { id trainingRecords { id course { id } } memberships { id } } }`, { f: ids.a1 });
      expect(own.data?.facilitator).toEqual({ id: ids.a1, trainingRecords: [{ id: ids.aRecord, course: { id: ids.course } }], memberships: [{ id: ids.aMembership }] });
    });

    it('gets nothing of B in lists, filtered or not', async () => {
      const res = await as(adminA, `query($p: ID!, $q: ID!) {
        all: facilitators(first: 100) { nodes { id } totalCount }
        theirs: facilitators(filter: { organisationId: "orgb" }) { nodes { id } totalCount }
        byName: facilitators(filter: { nameContains: "Bella" }) { totalCount }
        courses: trainingCourses(programId: $p) { id }
        otherCourses: trainingCourses(programId: $q) { id }
      }`, { p: program, q: otherProgram });
      expect(res.errors).toBeUndefined();
      expect(JSON.stringify(res.data)).not.toContain('"orgb.');
      expect(res.data?.all.nodes.map((n: { id: string }) => n.id).sort()).toEqual([ids.a1, ids.a2, ids.n1].sort());
      expect(res.data?.all.totalCount).toBe(3);
      expect(res.data?.theirs).toEqual({ nodes: [], totalCount: 0 });
      expect(res.data?.byName.totalCount).toBe(0);
      expect(res.data?.courses).toEqual([{ id: ids.course }]);
      expect(res.data?.otherCourses).toEqual([]);
    });

    it('gets nothing of B by _entities representation', async () => {
      const res = await as(adminA, `query($r: [_Any!]!) { _entities(representations: $r) { ... on Facilitator { id email } } }`, {
        r: [{ __typename: 'Facilitator', id: ids.b1 }, { __typename: 'Facilitator', id: ids.a1 }],
      });
      expect(res.errors).toBeUndefined();
      expect(res.data?._entities).toEqual([null, { id: ids.a1, email: 'alice@orga.example.org' }]);
    });

    it('gets nothing of B nested through Organisation and Community', async () => {
      const res = await as(adminA, `query($r: [_Any!]!) { _entities(representations: $r) {
        ... on Organisation { id facilitatorCount facilitators { nodes { id } totalCount } }
        ... on Community { id memberCount members(includeLeft: true) { nodes { id facilitator { id } } totalCount } }
      } }`, {
        r: [
          { __typename: 'Organisation', id: 'orgb' },
          { __typename: 'Organisation', id: 'orga' },
          { __typename: 'Community', id: sharedCommunity },
          { __typename: 'Community', id: bCommunity },
        ],
      });
      expect(res.errors).toBeUndefined();
      expect(JSON.stringify(res.data)).not.toMatch(/"orgb\.(fac|mem|trr)_/);
      expect(res.data?._entities).toEqual([
        { id: 'orgb', facilitatorCount: 0, facilitators: { nodes: [], totalCount: 0 } },
        { id: 'orga', facilitatorCount: 2, facilitators: { nodes: [{ id: ids.a1 }, { id: ids.a2 }], totalCount: 2 } },
        { id: sharedCommunity, memberCount: 1, members: { nodes: [{ id: ids.aMembership, facilitator: { id: ids.a1 } }], totalCount: 1 } },
        { id: bCommunity, memberCount: 0, members: { nodes: [], totalCount: 0 } },
      ]);
    });

    it('changes nothing of B: NOT_FOUND outside its wall, FORBIDDEN within it', async () => {
      const before = await snapshot();
      const attempts: [string, Record<string, unknown>, string, string][] = [
        [`mutation($id: ID!) { updateFacilitator(id: $id, input: { email: "stolen@example.org" }) { id } }`, { id: ids.b1 }, 'NOT_FOUND', 'id'],
        [`mutation { createFacilitator(input: { organisationId: "orgb", givenName: "In", familyName: "Truder", email: "in@example.org" }) { id } }`, {}, 'FORBIDDEN', 'input.organisationId'],
        [`mutation($f: ID!, $c: ID!) { recordTraining(input: { facilitatorId: $f, courseId: $c, completedOn: "2024-02-01", accreditationLevel: TRAINER }) { id } }`, { f: ids.b1, c: ids.course }, 'NOT_FOUND', 'input.facilitatorId'],
        [`mutation($id: ID!) { updateTrainingRecord(id: $id, input: { accreditationLevel: TRAINER }) { id } }`, { id: ids.bRecord }, 'NOT_FOUND', 'id'],
        [`mutation($f: ID!, $c: ID!) { joinCommunity(input: { facilitatorId: $f, communityId: $c, role: LEAD }) { id } }`, { f: ids.b1, c: sharedCommunity }, 'NOT_FOUND', 'input.facilitatorId'],
        [`mutation($f: ID!, $c: ID!) { joinCommunity(input: { facilitatorId: $f, communityId: $c }) { id } }`, { f: ids.a1, c: bCommunity }, 'NOT_FOUND', 'input.communityId'],
        [`mutation($m: ID!) { leaveCommunity(input: { membershipId: $m }) { id } }`, { m: ids.bMembership }, 'NOT_FOUND', 'input.membershipId'],
        [`mutation($id: ID!) { updateCommunityMembership(id: $id, input: { role: LEAD }) { id } }`, { id: ids.bMembership }, 'NOT_FOUND', 'id'],
        // the program's manager's records are within A's wall, but not A's to change
        [`mutation($id: ID!) { updateFacilitator(id: $id, input: { phone: "0755550000" }) { id } }`, { id: ids.n1 }, 'FORBIDDEN', 'id'],
        [`mutation($p: ID!) { createTrainingCourse(input: { programId: $p, organisationId: "orga", name: "Ours" }) { id } }`, { p: program }, 'FORBIDDEN', 'input.programId'],
        [`mutation($id: ID!) { updateTrainingCourse(id: $id, input: { name: "Renamed" }) { id } }`, { id: ids.course }, 'FORBIDDEN', 'id'],
        [`mutation($id: ID!) { updateTrainingCourse(id: $id, input: { name: "Renamed" }) { id } }`, { id: ids.otherCourse }, 'NOT_FOUND', 'id'],
      ];
      for (const [query, variables, code, field] of attempts) {
        const res = await as(adminA, query, variables);
        expect({ query, code: errorCode(res), fields: fieldOf(res) }).toEqual({ query, code, fields: [field] });
      }
      expect(await snapshot()).toEqual(before);
      // B itself may
      const own = await as(adminB, `mutation($id: ID!) { updateTrainingRecord(id: $id, input: { accreditationLevel: ADVANCED }) { accreditationLevel } }`, { id: ids.bRecord });
      expect(own.data?.updateTrainingRecord).toEqual({ accreditationLevel: 'ADVANCED' });
    });

    it('lets A manage its own facilitators, their training and memberships', async () => {
      const created = await as(adminA, `mutation { createFacilitator(input: { organisationId: "orga", givenName: "Ola", familyName: "New", email: "ola@orga.example.org" }) { id email detailsWithheld } }`);
      expect(created.errors).toBeUndefined();
      expect(created.data?.createFacilitator).toMatchObject({ email: 'ola@orga.example.org', detailsWithheld: false });
      const id = created.data?.createFacilitator.id;
      const res = await as(adminA, `mutation($f: ID!, $c: ID!, $com: ID!) {
        updateFacilitator(id: $f, input: { familyName: "Newer", status: ON_LEAVE }) { displayName status }
        recordTraining(input: { facilitatorId: $f, courseId: $c, completedOn: "2024-05-01", accreditationLevel: FOUNDATION }) { expiresOn }
        joinCommunity(input: { facilitatorId: $f, communityId: $com }) { id }
      }`, { f: id, c: ids.course, com: aCommunity });
      expect(res.errors).toBeUndefined();
      expect(res.data?.updateFacilitator).toEqual({ displayName: 'Ola Newer', status: 'ON_LEAVE' });
      expect(res.data?.recordTraining).toEqual({ expiresOn: '2026-05-01' });
      const left = await as(adminA, `mutation($m: ID!) { leaveCommunity(input: { membershipId: $m }) { leftOn } }`, { m: res.data?.joinCommunity.id });
      expect(left.errors).toBeUndefined();
      expect(left.data?.leaveCommunity.leftOn).toEqual(expect.any(String));
      await subgraph.dataSource.query(`DELETE FROM community_membership WHERE facilitator_id = $1`, [id]);
      await subgraph.dataSource.query(`DELETE FROM training_record WHERE facilitator_id = $1`, [id]);
      await subgraph.dataSource.query(`DELETE FROM facilitator WHERE id = $1`, [id]);
    });
  });

  describe('names and contacts', () => {
    const person = `query($f: ID!) { facilitator(id: $f) { id givenName familyName displayName email phone detailsWithheld status } }`;

    it('shows a national manager a partner\'s names and emails only when the partner shares contacts', async () => {
      const shared = await as(manager(['orga']), person, { f: ids.a1 });
      expect(shared.data?.facilitator).toEqual({
        id: ids.a1, givenName: 'Alice', familyName: 'Archer', displayName: 'Alice Archer', email: 'alice@orga.example.org', phone: '+61 7 5555 0100', detailsWithheld: false, status: 'ACTIVE',
      });
      for (const [scope, id] of [[manager([]), ids.a1], [manager(['orga']), ids.b1]] as const) {
        const res = await as(scope, person, { f: id });
        expect(res.errors).toBeUndefined();
        expect(res.data?.facilitator).toEqual({ id, givenName: null, familyName: null, displayName: null, email: null, phone: null, detailsWithheld: true, status: 'ACTIVE' });
      }
      // its own organisation's people it always sees
      expect((await as(manager([]), person, { f: ids.n1 })).data?.facilitator.detailsWithheld).toBe(false);
    });

    it('shows a facilitator its own email but not a colleague\'s', async () => {
      const own = await as(facilitatorA1, person, { f: ids.a1 });
      expect(own.data?.facilitator).toMatchObject({ email: 'alice@orga.example.org', displayName: 'Alice Archer', detailsWithheld: false });
      const colleague = await as(facilitatorA1, person, { f: ids.a2 });
      expect(colleague.data?.facilitator).toMatchObject({ id: ids.a2, givenName: null, email: null, phone: null, detailsWithheld: true });
      const list = await as(facilitatorA1, `{ facilitators { nodes { id email } } }`);
      expect(list.data?.facilitators.nodes).toEqual([
        { id: ids.a1, email: 'alice@orga.example.org' },
        ...[{ id: ids.a2, email: null }, { id: ids.n1, email: null }].sort((x, y) => (x.id < y.id ? -1 : 1)),
      ]);
    });

    it('matches a name filter only against names the caller may see', async () => {
      const names = async (scope: AccessScope, nameContains: string) => {
        const res = await as(scope, `query($n: String!) { facilitators(filter: { nameContains: $n }) { nodes { id } totalCount }
          o: _entities(representations: [{ __typename: "Organisation", id: "orga" }, { __typename: "Organisation", id: "orgb" }]) {
            ... on Organisation { facilitators(filter: { nameContains: $n }) { nodes { id } } } } }`, { n: nameContains });
        expect(res.errors).toBeUndefined();
        const nested = res.data?.o.flatMap((o: { facilitators: { nodes: { id: string }[] } }) => o.facilitators.nodes.map((n) => n.id));
        expect(nested.sort()).toEqual(res.data?.facilitators.nodes.map((n: { id: string }) => n.id).sort());
        expect(res.data?.facilitators.totalCount).toBe(nested.length);
        return nested;
      };
      expect(await names(manager(['orga']), 'Alice')).toEqual([ids.a1]);
      expect(await names(manager(['orga']), 'Bella')).toEqual([]);
      expect(await names(manager(['orga', 'orgb']), 'Bella')).toEqual([ids.b1]);
      expect(await names(manager([]), 'Alice')).toEqual([]);
      expect(await names(facilitatorA1, 'Alice')).toEqual([ids.a1]);
      expect(await names(facilitatorA1, 'Adam')).toEqual([]);
      expect(await names(adminA, 'Adam')).toEqual([ids.a2]);
    });

    it('lists withheld people after the named ones, by ID, and their cursors hold no names', async () => {
      const seen: { id: string; familyName: string | null }[] = [];
      const cursors: string[] = [];
      let after: string | null = null;
      do {
        const res: any = await as(manager(['orga']), `query($after: String) { facilitators(first: 1, after: $after) {
          edges { cursor node { id familyName } } pageInfo { hasNextPage endCursor } } }`, { after });
        expect(res.errors).toBeUndefined();
        for (const e of res.data.facilitators.edges) {
          seen.push(e.node);
          cursors.push(e.cursor);
        }
        after = res.data.facilitators.pageInfo.hasNextPage ? res.data.facilitators.pageInfo.endCursor : null;
      } while (after);
      expect(seen).toEqual([
        { id: ids.a1, familyName: 'Archer' },
        { id: ids.n1, familyName: 'North' },
        { id: ids.a2, familyName: 'Zed' },
        { id: ids.b1, familyName: null },
      ]);
      const decoded = cursors.map((c) => Buffer.from(c, 'base64url').toString('utf8'));
      expect(decoded[3]).not.toMatch(/Bella|Brown/);
      // nested pages read the same order
      const nested = await as(manager(['orga']), `{ _entities(representations: [{ __typename: "Organisation", id: "orgb" }]) { ... on Organisation { facilitators(first: 1) { edges { cursor } } } } }`);
      expect(Buffer.from(nested.data?._entities[0].facilitators.edges[0].cursor, 'base64url').toString('utf8')).not.toMatch(/Bella|Brown/);
    });
  });

  describe('who changes what', () => {
    it('lets a facilitator change its own phone, and nothing else (an email clash would reveal a colleague\'s address)', async () => {
      const before = await snapshot();
      const refused: [string, Record<string, unknown>, string, string][] = [
        [`mutation($id: ID!) { updateFacilitator(id: $id, input: { givenName: "Al", phone: "0755550001" }) { id } }`, { id: ids.a1 }, 'FORBIDDEN', 'input.givenName'],
        [`mutation($id: ID!) { updateFacilitator(id: $id, input: { status: INACTIVE }) { id } }`, { id: ids.a1 }, 'FORBIDDEN', 'input.status'],
        [`mutation($id: ID!, $e: String!) { updateFacilitator(id: $id, input: { email: $e }) { id } }`, { id: ids.a1, e: 'alice.archer@orga.example.org' }, 'FORBIDDEN', 'input.email'],
        [`mutation($id: ID!) { updateFacilitator(id: $id, input: { phone: "0755550001" }) { id } }`, { id: ids.a2 }, 'FORBIDDEN', 'id'],
        [`mutation($f: ID!, $c: ID!) { recordTraining(input: { facilitatorId: $f, courseId: $c, completedOn: "2024-02-01", accreditationLevel: TRAINER }) { id } }`, { f: ids.a1, c: ids.course }, 'FORBIDDEN', 'input.facilitatorId'],
        [`mutation($id: ID!) { updateTrainingRecord(id: $id, input: { accreditationLevel: TRAINER }) { id } }`, { id: ids.aRecord }, 'FORBIDDEN', 'id'],
        [`mutation($f: ID!, $c: ID!) { joinCommunity(input: { facilitatorId: $f, communityId: $c }) { id } }`, { f: ids.a2, c: aCommunity }, 'FORBIDDEN', 'input.facilitatorId'],
        [`mutation { createFacilitator(input: { organisationId: "orga", givenName: "X", familyName: "Y", email: "x@orga.example.org" }) { id } }`, {}, 'FORBIDDEN', 'input.organisationId'],
      ];
      for (const [query, variables, code, field] of refused) {
        const res = await as(facilitatorA1, query, variables);
        expect({ query, code: errorCode(res), fields: fieldOf(res) }).toEqual({ query, code, fields: [field] });
      }
      expect(await snapshot()).toEqual(before);

      const res = await as(facilitatorA1, `mutation($id: ID!) { updateFacilitator(id: $id, input: { phone: null }) { email phone } }`, { id: ids.a1 });
      expect(res.errors).toBeUndefined();
      expect(res.data?.updateFacilitator).toEqual({ email: 'alice@orga.example.org', phone: null });
      await subgraph.dataSource.query(`UPDATE facilitator SET email = 'alice@orga.example.org', phone = '+61 7 5555 0100' WHERE id = $1`, [ids.a1]);
    });

    it('lets a facilitator join, change and leave its own memberships', async () => {
      const joined = await as(facilitatorA1, `mutation($f: ID!, $c: ID!) { joinCommunity(input: { facilitatorId: $f, communityId: $c }) { id } }`, { f: ids.a1, c: aCommunity });
      expect(joined.errors).toBeUndefined();
      const id = joined.data?.joinCommunity.id;
      const changed = await as(facilitatorA1, `mutation($id: ID!) { updateCommunityMembership(id: $id, input: { confidentialityAgreed: true }) { confidentialityAgreed } }`, { id });
      expect(changed.data?.updateCommunityMembership).toEqual({ confidentialityAgreed: true });
      const left = await as(facilitatorA1, `mutation($m: ID!) { leaveCommunity(input: { membershipId: $m }) { id } }`, { m: id });
      expect(left.errors).toBeUndefined();
      await subgraph.dataSource.query(`DELETE FROM community_membership WHERE id = $1`, [id]);
    });

    it('lets only the program\'s national manager change its catalogue, in its own organisation\'s name', async () => {
      const before = await snapshot();
      const refused: [AccessScope, string, Record<string, unknown>, string, string][] = [
        [manager([]), `mutation($p: ID!) { createTrainingCourse(input: { programId: $p, organisationId: "nat", name: "Other" }) { id } }`, { p: otherProgram }, 'FORBIDDEN', 'input.programId'],
        [manager([]), `mutation($p: ID!) { createTrainingCourse(input: { programId: $p, organisationId: "orga", name: "Posing" }) { id } }`, { p: program }, 'FORBIDDEN', 'input.organisationId'],
        [manager([]), `mutation($id: ID!) { updateFacilitator(id: $id, input: { phone: "0755550002" }) { id } }`, { id: ids.a1 }, 'FORBIDDEN', 'id'],
        [facilitatorA1, `mutation($id: ID!) { updateTrainingCourse(id: $id, input: { name: "Mine" }) { id } }`, { id: ids.course }, 'FORBIDDEN', 'id'],
      ];
      for (const [scope, query, variables, code, field] of refused) {
        const res = await as(scope, query, variables);
        expect({ query, code: errorCode(res), fields: fieldOf(res) }).toEqual({ query, code, fields: [field] });
      }
      expect(await snapshot()).toEqual(before);
      const created = await as(manager([]), `mutation($p: ID!) { createTrainingCourse(input: { programId: $p, organisationId: "nat", name: "Advanced" }) { id name } }`, { p: program });
      expect(created.errors).toBeUndefined();
      const renamed = await as(manager([]), `mutation($id: ID!) { updateTrainingCourse(id: $id, input: { name: "Advanced practice" }) { name } }`, { id: created.data?.createTrainingCourse.id });
      expect(renamed.data?.updateTrainingCourse).toEqual({ name: 'Advanced practice' });
      await subgraph.dataSource.query(`DELETE FROM training_course WHERE id = $1`, [created.data?.createTrainingCourse.id]);
    });
  });

  describe('participants', () => {
    it('see no facilitator records, only counts within their wall', async () => {
      const res = await as(participant, `query($f: ID!, $r: [_Any!]!) {
        facilitator(id: $f) { id }
        facilitators { nodes { id } totalCount }
        courses: trainingCourses(programId: "${program}") { id }
        _entities(representations: $r) {
          ... on Facilitator { id }
          ... on Organisation { facilitatorCount facilitators { nodes { id } totalCount } }
          ... on Community { memberCount members { nodes { id } totalCount } }
        }
      }`, { f: ids.a1, r: [{ __typename: 'Facilitator', id: ids.a1 }, { __typename: 'Organisation', id: 'orga' }, { __typename: 'Community', id: sharedCommunity }] });
      expect(res.errors).toBeUndefined();
      expect(res.data).toEqual({
        facilitator: null,
        facilitators: { nodes: [], totalCount: 0 },
        courses: [{ id: ids.course }],
        _entities: [
          null,
          { facilitatorCount: 2, facilitators: { nodes: [], totalCount: 0 } },
          { memberCount: 1, members: { nodes: [], totalCount: 0 } },
        ],
      });
    });

    it('change nothing', async () => {
      const before = await snapshot();
      const res = await as(participant, `mutation($f: ID!, $c: ID!) { joinCommunity(input: { facilitatorId: $f, communityId: $c }) { id } }`, { f: ids.a1, c: aCommunity });
      expect(errorCode(res)).toBe('NOT_FOUND');
      expect(await snapshot()).toEqual(before);
    });
  });

  describe('row-level security, without the resolvers', () => {
    const repo = (m: import('typeorm').EntityManager) => m.getRepository(Facilitator);

    it('reads only the rows of the scope\'s organisations', async () => {
      const rows = await withScope(subgraph.requestDataSource, partnerAdmin('orga'), (m) => repo(m).find());
      expect(rows.map((r) => r.id).sort()).toEqual([ids.a1, ids.a2].sort());
      const records = await withScope(subgraph.requestDataSource, partnerAdmin('orga'), (m) => m.getRepository(TrainingRecord).find());
      expect(records.map((r) => r.id)).toEqual([ids.aRecord]);
      const memberships = await withScope(subgraph.requestDataSource, partnerAdmin('orga'), (m) => m.getRepository(CommunityMembership).find());
      expect(memberships.map((r) => r.id)).toEqual([ids.aMembership]);
      // courses: the program's members and the wall
      const courses = await withScope(subgraph.requestDataSource, partnerAdmin('orga', [], [program]), (m) => m.getRepository(TrainingCourse).find());
      expect(courses.map((c) => c.id)).toEqual([ids.course]);
      expect(await withScope(subgraph.requestDataSource, partnerAdmin('orga'), (m) => m.getRepository(TrainingCourse).find())).toEqual([]);
      // outside a scoped transaction nothing at all
      expect(await repo(subgraph.requestDataSource.manager).find()).toEqual([]);
      expect(await withScope(subgraph.requestDataSource, SYSTEM_SCOPE, (m) => repo(m).count())).toBe(4);
    });

    it('refuses to write rows of another organisation, and a participant\'s writes', async () => {
      const before = await snapshot();
      const row = (organisationId: string) => ({
        id: newId(organisationId, 'fac'),
        organisationId,
        givenName: 'Rogue',
        familyName: 'Row',
        email: `rogue@${organisationId}.example.org`,
        phone: null,
        regionId: null,
        status: FacilitatorStatus.ACTIVE,
      });
      await expect(withScope(subgraph.requestDataSource, partnerAdmin('orga'), (m) => repo(m).insert(row('orgb')))).rejects.toThrow(/row-level security/);
      await expect(withScope(subgraph.requestDataSource, participant, (m) => repo(m).insert(row('orga')))).rejects.toThrow(/row-level security/);
      // a readable row of another organisation is not changed (the update sees it but may not write it)
      await expect(
        withScope(subgraph.requestDataSource, partnerAdmin('orga', ['nat']), (m) => m.query(`UPDATE facilitator SET phone = '0755550003' WHERE id = $1`, [ids.n1])),
      ).rejects.toThrow(/row-level security/);
      // rows outside the wall are not even seen by an update
      const unseen = await withScope(subgraph.requestDataSource, partnerAdmin('orga'), (m) => m.query(`UPDATE facilitator SET phone = '0755550003' WHERE organisation_id = 'orgb' RETURNING id`));
      expect(JSON.stringify(unseen)).not.toContain('orgb.');
      const course = { id: newId('orga', 'trc'), programId: program, organisationId: 'orga', name: 'Rogue', description: '', validForMonths: null };
      await expect(withScope(subgraph.requestDataSource, partnerAdmin('orga', [], [program]), (m) => m.getRepository(TrainingCourse).insert(course))).rejects.toThrow(/row-level security/);
      expect(await snapshot()).toEqual(before);
    });
  });

  describe('batching under a caller\'s scope', () => {
    it('pages a national manager\'s partners\' facilitators, some named and some withheld, in as many statements for 2 or 12 organisations', async () => {
      const organisations = Array.from({ length: 12 }, (_, i) => `batch${i}`);
      for (const org of organisations) {
        await subgraph.dataSource.getRepository(Facilitator).insert(
          [0, 1, 2].map((i) => ({ id: newId(org, 'fac'), organisationId: org, givenName: `G${i}`, familyName: `F${i}`, email: `f${i}@${org}.example.org`, phone: null, regionId: null, status: FacilitatorStatus.ACTIVE })),
        );
      }
      const scope = scopeOf('national-manager', { organisation: 'nat', organisations: ['nat', ...organisations], programs: [program], shares: { contacts: organisations.filter((_, i) => i % 2 === 0) } });
      const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Organisation {
        facilitatorCount facilitators(first: 2) { totalCount nodes { id displayName detailsWithheld trainingRecords { id } memberships { id } } pageInfo { hasNextPage endCursor } } } } }`;
      const statementsFor = async (orgs: string[]) => {
        const before = subgraph.statements.count;
        const res = await as(scope, query, { r: orgs.map((id) => ({ __typename: 'Organisation', id })) });
        expect(res.errors).toBeUndefined();
        for (const [i, o] of res.data?._entities.entries()) {
          expect(o.facilitators.totalCount).toBe(3);
          expect(o.facilitators.nodes.every((n: { detailsWithheld: boolean; displayName: string | null }) => n.detailsWithheld === (n.displayName === null))).toBe(true);
          expect(o.facilitators.nodes[0].detailsWithheld).toBe(organisations.indexOf(orgs[i]) % 2 === 1);
        }
        return subgraph.statements.count - before;
      };
      const two = await statementsFor(organisations.slice(0, 2));
      const twelve = await statementsFor(organisations);
      expect(twelve).toBe(two);
      expect(two).toBeLessThanOrEqual(5 + SCOPE_STATEMENTS);
    });
  });
});
