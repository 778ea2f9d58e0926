import {
  AccreditationLevel,
  CommunityMembership,
  CommunityRole,
  createFacilitatorsSubgraph,
  Facilitator,
  FacilitatorStatus,
  TrainingRecord,
} from '@hub/facilitators';
import { newId, SCOPE_STATEMENTS, type Subgraph } from '@hub/core';
import { dropTestDatabases, testSubgraphConfig } from '../../../test/support/database';
import { errorCode, postGraphQL } from '../../../test/support/graphql';
import { scopeHeaders, SYSTEM_SCOPE } from '../../../test/support/scopes';

const today = () => new Date().toISOString().slice(0, 10);

describe('facilitators subgraph', () => {
  const config = testSubgraphConfig('facilitators');
  const program = newId('prc', 'prg');
  let subgraph: Subgraph;
  let url: string;
  /** As the hub itself (the system scope): what callers may do is tested in access.test.ts. */
  const gql = async (query: string, variables?: Record<string, unknown>) => postGraphQL(url, query, variables, await scopeHeaders(SYSTEM_SCOPE));

  /** Rows in every table: a rejected write must leave all of them as they were. */
  async function rowCounts(): Promise<Record<string, number>> {
    const [row] = await subgraph.dataSource.query(`
      SELECT (SELECT count(*) FROM facilitator)::int AS facilitators,
             (SELECT count(*) FROM training_course)::int AS courses,
             (SELECT count(*) FROM training_record)::int AS records,
             (SELECT count(*) FROM community_membership)::int AS memberships,
             (SELECT count(*) FROM community_membership WHERE left_on IS NOT NULL)::int AS ended`);
    return row;
  }

  async function createFacilitator(fields: Record<string, unknown>): Promise<string> {
    const res = await gql(`mutation($input: CreateFacilitatorInput!) { createFacilitator(input: $input) { id } }`, {
      input: { organisationId: 'uniting', givenName: 'Ann', familyName: 'Lee', email: `${Math.random().toString(36).slice(2)}@example.org`, ...fields },
    });
    expect(res.errors).toBeUndefined();
    return res.data?.createFacilitator.id;
  }

  async function createCourse(fields: Record<string, unknown> = {}): Promise<string> {
    const res = await gql(`mutation($input: CreateTrainingCourseInput!) { createTrainingCourse(input: $input) { id } }`, {
      input: { programId: program, organisationId: 'prc', name: `Course ${Math.random()}`, validForMonths: 24, ...fields },
    });
    expect(res.errors).toBeUndefined();
    return res.data?.createTrainingCourse.id;
  }

  /** Inserts facilitators of an organisation directly (fast setup for batching tests). */
  async function seedFacilitators(organisationId: string, count: number, status = FacilitatorStatus.ACTIVE): Promise<string[]> {
    const rows = Array.from({ length: count }, (_, i) => ({
      id: newId(organisationId, 'fac'),
      organisationId,
      givenName: `Given${i}`,
      familyName: `Family${String(i).padStart(3, '0')}`,
      email: `f${i}@${organisationId}.example.org`,
      phone: null,
      regionId: null,
      status,
    }));
    await subgraph.dataSource.getRepository(Facilitator).insert(rows);
    return rows.map((r) => r.id);
  }

  beforeAll(async () => {
    subgraph = await createFacilitatorsSubgraph(config);
    url = await subgraph.listen(0);
  });
  afterAll(async () => {
    await subgraph.stop();
    await dropTestDatabases(config);
  });

  describe('facilitators', () => {
    it('creates a facilitator whose ID names its organisation, with references to organisation and region', async () => {
      const res = await gql(`mutation {
        createFacilitator(input: { organisationId: "uniting", givenName: "  Mary ", familyName: "Nguyen", email: "mary@uniting.org", phone: "+61 7 5555 0101", regionId: "au-qld" }) {
          id givenName displayName email phone status createdAt updatedAt organisation { id } region { id } trainingRecords { id } memberships { id }
        }
      }`);
      expect(res.errors).toBeUndefined();
      const f = res.data?.createFacilitator;
      expect(f.id).toMatch(/^uniting\.fac_[0-9A-Z]{26}$/);
      expect(f).toMatchObject({
        givenName: 'Mary',
        displayName: 'Mary Nguyen',
        status: 'ACTIVE',
        phone: '+61 7 5555 0101',
        organisation: { id: 'uniting' },
        region: { id: 'au-qld' },
        trainingRecords: [],
        memberships: [],
      });
      expect(new Date(f.createdAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
    });

    it('refuses a malformed email and a blank name, naming each field, and saves nothing', async () => {
      const before = await rowCounts();
      const res = await gql(`mutation { createFacilitator(input: { organisationId: "uniting", givenName: "  ", familyName: "Lee", email: "not-an-email" }) { id } }`);
      expect(errorCode(res)).toBe('BAD_USER_INPUT');
      const fields = (res.errors?.[0].extensions?.fields as { field: string }[]).map((f) => f.field);
      expect(fields).toEqual(expect.arrayContaining(['input.givenName', 'input.email']));
      expect(await rowCounts()).toEqual(before);
    });

    it('refuses an organisation ID that is not an organisation key', async () => {
      const res = await gql(`mutation { createFacilitator(input: { organisationId: "Not A Key!", givenName: "A", familyName: "B", email: "a@b.org" }) { id } }`);
      expect(errorCode(res)).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0].extensions?.fields).toEqual([expect.objectContaining({ field: 'input.organisationId' })]);
    });

    it('answers CONFLICT for an email already used in the same organisation, in any case, but not in another organisation', async () => {
      await createFacilitator({ email: 'same@example.org' });
      const before = await rowCounts();
      const dup = await gql(`mutation { createFacilitator(input: { organisationId: "uniting", givenName: "B", familyName: "C", email: "SAME@example.org" }) { id } }`);
      expect(errorCode(dup)).toBe('CONFLICT');
      expect(dup.errors?.[0].extensions?.fields).toEqual([expect.objectContaining({ field: 'input.email' })]);
      expect(await rowCounts()).toEqual(before);
      const other = await gql(`mutation { createFacilitator(input: { organisationId: "relationships", givenName: "B", familyName: "C", email: "same@example.org" }) { id } }`);
      expect(other.errors).toBeUndefined();
    });

    it('updates a facilitator, clears the phone with null, and keeps what is left out', async () => {
      const id = await createFacilitator({ givenName: 'Tom', familyName: 'Hart', phone: '07 5555 0199', regionId: 'au-qld' });
      const res = await gql(`mutation($id: ID!) { updateFacilitator(id: $id, input: { familyName: "Harte", phone: null, status: ON_LEAVE }) {
        displayName phone status region { id } organisation { id } } }`, { id });
      expect(res.errors).toBeUndefined();
      expect(res.data?.updateFacilitator).toEqual({ displayName: 'Tom Harte', phone: null, status: 'ON_LEAVE', region: { id: 'au-qld' }, organisation: { id: 'uniting' } });
    });

    it('keeps a facilitator unchanged when an update is refused', async () => {
      await createFacilitator({ email: 'taken@example.org' });
      const id = await createFacilitator({ givenName: 'Keep', familyName: 'Me', email: 'keep@example.org' });
      const res = await gql(`mutation($id: ID!) { updateFacilitator(id: $id, input: { givenName: "Changed", email: "Taken@example.org" }) { id } }`, { id });
      expect(errorCode(res)).toBe('CONFLICT');
      const after = await gql(`query($id: ID!) { facilitator(id: $id) { givenName email } }`, { id });
      expect(after.data?.facilitator).toEqual({ givenName: 'Keep', email: 'keep@example.org' });
    });

    it('answers NOT_FOUND for an unknown facilitator and BAD_USER_INPUT for a malformed ID', async () => {
      const unknown = await gql(`mutation($id: ID!) { updateFacilitator(id: $id, input: { givenName: "X" }) { id } }`, { id: newId('uniting', 'fac') });
      expect(errorCode(unknown)).toBe('NOT_FOUND');
      expect(unknown.errors?.[0].extensions?.fields).toEqual([expect.objectContaining({ field: 'id' })]);
      const malformed = await gql(`mutation { updateFacilitator(id: "uniting.xyz", input: { givenName: "X" }) { id } }`);
      expect(errorCode(malformed)).toBe('BAD_USER_INPUT');
      expect(malformed.errors?.[0].extensions?.fields).toEqual([expect.objectContaining({ field: 'id' })]);
    });

    it('filters facilitators by organisation, region, status and part of the name', async () => {
      await createFacilitator({ organisationId: 'filterorg', givenName: 'Zara', familyName: 'Quill', regionId: 'au-nsw' });
      await createFacilitator({ organisationId: 'filterorg', givenName: 'Zeb', familyName: 'Quill', status: 'INACTIVE' });
      await createFacilitator({ organisationId: 'filterorg', givenName: 'Yan', familyName: 'Smith', regionId: 'au-nsw' });
      const names = async (filter: Record<string, unknown>) => {
        const res = await gql(`query($filter: FacilitatorFilter) { facilitators(filter: $filter) { nodes { displayName } totalCount } }`, { filter });
        expect(res.errors).toBeUndefined();
        return res.data?.facilitators.nodes.map((n: { displayName: string }) => n.displayName);
      };
      expect(await names({ organisationId: 'filterorg' })).toEqual(['Zara Quill', 'Zeb Quill', 'Yan Smith']);
      expect(await names({ organisationId: 'filterorg', status: 'ACTIVE' })).toEqual(['Zara Quill', 'Yan Smith']);
      expect(await names({ organisationId: 'filterorg', regionId: 'au-nsw' })).toEqual(['Zara Quill', 'Yan Smith']);
      expect(await names({ organisationId: 'filterorg', nameContains: 'ZEB q' })).toEqual(['Zeb Quill']);
      expect(await names({ organisationId: 'filterorg', nameContains: '%' })).toEqual([]);
    });

    it('pages through facilitators with cursors and rejects a malformed cursor', async () => {
      await seedFacilitators('pagingorg', 5);
      const seen: string[] = [];
      let after: string | null = null;
      for (let i = 0; i < 3; i++) {
        const res: any = await gql(`query($after: String) { facilitators(first: 2, after: $after, filter: { organisationId: "pagingorg" }) {
          nodes { familyName } pageInfo { hasNextPage endCursor } totalCount } }`, { after });
        expect(res.data.facilitators.totalCount).toBe(5);
        seen.push(...res.data.facilitators.nodes.map((n: { familyName: string }) => n.familyName));
        expect(res.data.facilitators.pageInfo.hasNextPage).toBe(i < 2);
        after = res.data.facilitators.pageInfo.endCursor;
      }
      expect(seen).toEqual(['Family000', 'Family001', 'Family002', 'Family003', 'Family004']);
      const bad = await gql(`{ facilitators(after: "not-a-cursor") { totalCount } }`);
      expect(errorCode(bad)).toBe('BAD_USER_INPUT');
      expect(bad.errors?.[0].extensions?.fields).toEqual([expect.objectContaining({ field: 'after' })]);
      const tooMany = await gql(`{ facilitators(first: 101) { totalCount } }`);
      expect(errorCode(tooMany)).toBe('BAD_USER_INPUT');
      expect(tooMany.errors?.[0].extensions?.fields).toEqual([expect.objectContaining({ field: 'first' })]);
    });
  });

  describe('training', () => {
    it('creates a course in a program\'s catalogue under the creating organisation and lists the catalogue by name', async () => {
      const otherProgram = newId('prc', 'prg');
      const res = await gql(`mutation($p: ID!) {
        b: createTrainingCourse(input: { programId: $p, organisationId: "prc", name: "Bravo", validForMonths: 36 }) { id name description validForMonths program { id } }
        a: createTrainingCourse(input: { programId: $p, organisationId: "uniting", name: "Alpha" }) { id validForMonths }
      }`, { p: otherProgram });
      expect(res.errors).toBeUndefined();
      expect(res.data?.b).toMatchObject({ name: 'Bravo', description: '', validForMonths: 36, program: { id: otherProgram } });
      expect(res.data?.b.id).toMatch(/^prc\.trc_/);
      expect(res.data?.a).toMatchObject({ validForMonths: null });
      expect(res.data?.a.id).toMatch(/^uniting\.trc_/);
      const list = await gql(`query($p: ID!) { trainingCourses(programId: $p) { name } }`, { p: otherProgram });
      expect(list.data?.trainingCourses).toEqual([{ name: 'Alpha' }, { name: 'Bravo' }]);
    });

    it('refuses a validity outside 1 to 120 months and a malformed program ID, naming the field, and saves nothing', async () => {
      const before = await rowCounts();
      for (const months of [0, 121]) {
        const res = await gql(`mutation($m: Int) { createTrainingCourse(input: { programId: "${program}", organisationId: "prc", name: "Bad", validForMonths: $m }) { id } }`, { m: months });
        expect(errorCode(res)).toBe('BAD_USER_INPUT');
        expect(res.errors?.[0].extensions?.fields).toEqual([expect.objectContaining({ field: 'input.validForMonths' })]);
      }
      const badProgram = await gql(`mutation { createTrainingCourse(input: { programId: "prc.com_01ARZ3NDEKTSV4RRFFQ69G5FAV", organisationId: "prc", name: "Bad" }) { id } }`);
      expect(errorCode(badProgram)).toBe('BAD_USER_INPUT');
      expect(badProgram.errors?.[0].extensions?.fields).toEqual([expect.objectContaining({ field: 'input.programId' })]);
      expect(await rowCounts()).toEqual(before);
    });

    it('answers CONFLICT for a second course of the same name in a program', async () => {
      await createCourse({ name: 'Group Facilitation' });
      const res = await gql(`mutation { createTrainingCourse(input: { programId: "${program}", organisationId: "uniting", name: "group facilitation" }) { id } }`);
      expect(errorCode(res)).toBe('CONFLICT');
      expect(res.errors?.[0].extensions?.fields).toEqual([expect.objectContaining({ field: 'input.name' })]);
    });

    it('records training with an expiry of completedOn plus the course validity, clamped to the month end, and computes expired', async () => {
      const facilitator = await createFacilitator({});
      const yearly = await createCourse({ validForMonths: 1 });
      const forever = await createCourse({ validForMonths: null });
      const res = await gql(`mutation($f: ID!, $y: ID!, $n: ID!, $today: String!) {
        old: recordTraining(input: { facilitatorId: $f, courseId: $y, completedOn: "2024-01-31", accreditationLevel: FOUNDATION }) {
          id completedOn expiresOn expired accreditationLevel facilitator { id } course { id validForMonths } }
        current: recordTraining(input: { facilitatorId: $f, courseId: $n, completedOn: $today, accreditationLevel: TRAINER }) { expiresOn expired }
        given: recordTraining(input: { facilitatorId: $f, courseId: $y, completedOn: "2024-03-01", accreditationLevel: PRACTITIONER, expiresOn: "2999-01-01" }) { expiresOn expired }
      }`, { f: facilitator, y: yearly, n: forever, today: today() });
      expect(res.errors).toBeUndefined();
      expect(res.data?.old).toMatchObject({
        completedOn: '2024-01-31',
        expiresOn: '2024-02-29',
        expired: true,
        accreditationLevel: 'FOUNDATION',
        facilitator: { id: facilitator },
        course: { id: yearly, validForMonths: 1 },
      });
      expect(res.data?.old.id).toMatch(/^uniting\.trr_/);
      expect(res.data?.current).toEqual({ expiresOn: null, expired: false });
      expect(res.data?.given).toEqual({ expiresOn: '2999-01-01', expired: false });
      const records = await gql(`query($f: ID!) { facilitator(id: $f) { trainingRecords { completedOn } } }`, { f: facilitator });
      expect(records.data?.facilitator.trainingRecords.map((r: { completedOn: string }) => r.completedOn)).toEqual([today(), '2024-03-01', '2024-01-31']);
    });

    it('refuses training completed in the future, on a day that does not exist, or expiring before completion, and saves nothing', async () => {
      const facilitator = await createFacilitator({});
      const course = await createCourse();
      const before = await rowCounts();
      const attempt = (fields: string) =>
        gql(`mutation($f: ID!, $c: ID!) { recordTraining(input: { facilitatorId: $f, courseId: $c, accreditationLevel: FOUNDATION, ${fields} }) { id } }`, { f: facilitator, c: course });
      const cases: [string, string][] = [
        ['completedOn: "2999-01-01"', 'input.completedOn'],
        ['completedOn: "2023-02-29"', 'input.completedOn'],
        ['completedOn: "01/02/2024"', 'input.completedOn'],
        ['completedOn: "2024-05-01", expiresOn: "2024-05-01"', 'input.expiresOn'],
        ['completedOn: "2024-05-01", expiresOn: "2024-02-31"', 'input.expiresOn'],
      ];
      for (const [fields, field] of cases) {
        const res = await attempt(fields);
        expect(errorCode(res)).toBe('BAD_USER_INPUT');
        expect(res.errors?.[0].extensions?.fields).toEqual([expect.objectContaining({ field })]);
      }
      expect(await rowCounts()).toEqual(before);
    });

    it('answers NOT_FOUND for an unknown facilitator or course, BAD_USER_INPUT for malformed IDs, CONFLICT for the same completion twice', async () => {
      const facilitator = await createFacilitator({});
      const course = await createCourse();
      const record = (f: string, c: string) =>
        gql(`mutation($f: ID!, $c: ID!) { recordTraining(input: { facilitatorId: $f, courseId: $c, completedOn: "2024-06-01", accreditationLevel: ADVANCED }) { id } }`, { f, c });
      const unknownFacilitator = await record(newId('uniting', 'fac'), course);
      expect(errorCode(unknownFacilitator)).toBe('NOT_FOUND');
      expect(unknownFacilitator.errors?.[0].extensions?.fields).toEqual([expect.objectContaining({ field: 'input.facilitatorId' })]);
      const unknownCourse = await record(facilitator, newId('prc', 'trc'));
      expect(errorCode(unknownCourse)).toBe('NOT_FOUND');
      expect(unknownCourse.errors?.[0].extensions?.fields).toEqual([expect.objectContaining({ field: 'input.courseId' })]);
      const malformed = await record(facilitator, 'course-1');
      expect(errorCode(malformed)).toBe('BAD_USER_INPUT');
      expect(malformed.errors?.[0].extensions?.fields).toEqual([expect.objectContaining({ field: 'input.courseId' })]);
      expect((await record(facilitator, course)).errors).toBeUndefined();
      const before = await rowCounts();
      const twice = await record(facilitator, course);
      expect(errorCode(twice)).toBe('CONFLICT');
      expect(await rowCounts()).toEqual(before);
    });

    it('recomputes the expiry when the completion day of a record changes', async () => {
      const facilitator = await createFacilitator({});
      const course = await createCourse({ validForMonths: 12 });
      const created = await gql(`mutation($f: ID!, $c: ID!) { recordTraining(input: { facilitatorId: $f, courseId: $c, completedOn: "2023-03-10", accreditationLevel: FOUNDATION }) { id expiresOn } }`, { f: facilitator, c: course });
      const id = created.data?.recordTraining.id;
      const res = await gql(`mutation($id: ID!) { updateTrainingRecord(id: $id, input: { completedOn: "2024-03-10", accreditationLevel: ADVANCED }) { completedOn expiresOn accreditationLevel } }`, { id });
      expect(res.data?.updateTrainingRecord).toEqual({ completedOn: '2024-03-10', expiresOn: '2025-03-10', accreditationLevel: 'ADVANCED' });
      const bad = await gql(`mutation($id: ID!) { updateTrainingRecord(id: $id, input: { expiresOn: "2024-01-01" }) { id } }`, { id });
      expect(errorCode(bad)).toBe('BAD_USER_INPUT');
      expect(bad.errors?.[0].extensions?.fields).toEqual([expect.objectContaining({ field: 'input.expiresOn' })]);
    });
  });

  describe('community membership', () => {
    it('joins a community, refuses a second active membership with CONFLICT, and saves nothing for it', async () => {
      const facilitator = await createFacilitator({});
      const community = newId('prc', 'com');
      const join = () =>
        gql(`mutation($f: ID!, $c: ID!) { joinCommunity(input: { facilitatorId: $f, communityId: $c, role: LEAD, joinedOn: "2024-02-01", confidentialityAgreed: true }) {
          id role joinedOn leftOn confidentialityAgreed facilitator { id } community { id } } }`, { f: facilitator, c: community });
      const first = await join();
      expect(first.errors).toBeUndefined();
      expect(first.data?.joinCommunity).toMatchObject({ role: 'LEAD', joinedOn: '2024-02-01', leftOn: null, confidentialityAgreed: true, facilitator: { id: facilitator }, community: { id: community } });
      expect(first.data?.joinCommunity.id).toMatch(/^uniting\.mem_/);
      const before = await rowCounts();
      const second = await join();
      expect(errorCode(second)).toBe('CONFLICT');
      expect(second.errors?.[0].extensions?.fields).toEqual([expect.objectContaining({ field: 'input.communityId' })]);
      expect(await rowCounts()).toEqual(before);
    });

    it('lets only one of several simultaneous joins through', async () => {
      const facilitator = await createFacilitator({});
      const community = newId('prc', 'com');
      const join = () => gql(`mutation($f: ID!, $c: ID!) { joinCommunity(input: { facilitatorId: $f, communityId: $c }) { id } }`, { f: facilitator, c: community });
      const results = await Promise.all([join(), join(), join()]);
      expect(results.filter((r) => !r.errors)).toHaveLength(1);
      expect(results.filter((r) => r.errors).map(errorCode)).toEqual(['CONFLICT', 'CONFLICT']);
    });

    it('refuses a malformed community ID, an unknown or inactive facilitator, and a join date in the future', async () => {
      const active = await createFacilitator({});
      const inactive = await createFacilitator({ status: 'INACTIVE' });
      const community = newId('prc', 'com');
      const before = await rowCounts();
      const join = (f: string, c: string, joinedOn?: string) =>
        gql(`mutation($f: ID!, $c: ID!, $d: String) { joinCommunity(input: { facilitatorId: $f, communityId: $c, joinedOn: $d }) { id } }`, { f, c, d: joinedOn });
      const cases: [Promise<any>, string, string][] = [
        [join(active, newId('prc', 'prg')), 'BAD_USER_INPUT', 'input.communityId'],
        [join(active, 'prc.com_123'), 'BAD_USER_INPUT', 'input.communityId'],
        [join(newId('uniting', 'fac'), community), 'NOT_FOUND', 'input.facilitatorId'],
        [join(inactive, community), 'BAD_USER_INPUT', 'input.facilitatorId'],
        [join(active, community, '2999-12-31'), 'BAD_USER_INPUT', 'input.joinedOn'],
        [join(active, community, '2024-13-01'), 'BAD_USER_INPUT', 'input.joinedOn'],
      ];
      for (const [pending, code, field] of cases) {
        const res = await pending;
        expect(errorCode(res)).toBe(code);
        expect(res.errors?.[0].extensions?.fields).toEqual([expect.objectContaining({ field })]);
      }
      expect(await rowCounts()).toEqual(before);
    });

    it('ends a membership, refusing a leaving day before joining or a second leave, and allows rejoining afterwards', async () => {
      const facilitator = await createFacilitator({});
      const community = newId('prc', 'com');
      const joined = await gql(`mutation($f: ID!, $c: ID!) { joinCommunity(input: { facilitatorId: $f, communityId: $c, joinedOn: "2024-02-01" }) { id } }`, { f: facilitator, c: community });
      const id = joined.data?.joinCommunity.id;
      const leave = (leftOn: string) => gql(`mutation($id: ID!, $d: String) { leaveCommunity(input: { membershipId: $id, leftOn: $d }) { leftOn } }`, { id, d: leftOn });

      const early = await leave('2024-01-31');
      expect(errorCode(early)).toBe('BAD_USER_INPUT');
      expect(early.errors?.[0].extensions?.fields).toEqual([expect.objectContaining({ field: 'input.leftOn' })]);
      expect((await rowCounts()).ended).toBe(0);

      expect((await leave('2024-06-30')).data?.leaveCommunity).toEqual({ leftOn: '2024-06-30' });
      const again = await leave('2024-07-01');
      expect(errorCode(again)).toBe('CONFLICT');
      expect(again.errors?.[0].extensions?.fields).toEqual([expect.objectContaining({ field: 'input.membershipId' })]);

      const unknown = await gql(`mutation($id: ID!) { leaveCommunity(input: { membershipId: $id }) { id } }`, { id: newId('uniting', 'mem') });
      expect(errorCode(unknown)).toBe('NOT_FOUND');
      expect(unknown.errors?.[0].extensions?.fields).toEqual([expect.objectContaining({ field: 'input.membershipId' })]);

      const rejoined = await gql(`mutation($f: ID!, $c: ID!) { joinCommunity(input: { facilitatorId: $f, communityId: $c }) { joinedOn } }`, { f: facilitator, c: community });
      expect(rejoined.data?.joinCommunity.joinedOn).toBe(today());
      const memberships = await gql(`query($f: ID!) { facilitator(id: $f) { current: memberships { joinedOn } all: memberships(includeLeft: true) { joinedOn leftOn } } }`, { f: facilitator });
      expect(memberships.data?.facilitator).toEqual({
        current: [{ joinedOn: today() }],
        all: [{ joinedOn: '2024-02-01', leftOn: '2024-06-30' }, { joinedOn: today(), leftOn: null }],
      });
    });

    it('changes a member\'s role', async () => {
      const facilitator = await createFacilitator({});
      const joined = await gql(`mutation($f: ID!, $c: ID!) { joinCommunity(input: { facilitatorId: $f, communityId: $c }) { id role confidentialityAgreed } }`, { f: facilitator, c: newId('prc', 'com') });
      expect(joined.data?.joinCommunity).toMatchObject({ role: 'MEMBER', confidentialityAgreed: false });
      const res = await gql(`mutation($id: ID!) { updateCommunityMembership(id: $id, input: { role: CO_FACILITATOR, confidentialityAgreed: true }) { role confidentialityAgreed } }`, { id: joined.data?.joinCommunity.id });
      expect(res.data?.updateCommunityMembership).toEqual({ role: 'CO_FACILITATOR', confidentialityAgreed: true });
    });
  });

  describe('federation', () => {
    it('resolves facilitator references in one query for many keys', async () => {
      const a = await createFacilitator({ givenName: 'Ref', familyName: 'One' });
      const b = await createFacilitator({ givenName: 'Ref', familyName: 'Two' });
      const before = subgraph.statements.count;
      const res = await gql(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Facilitator { id displayName } } }`, {
        r: [{ __typename: 'Facilitator', id: a }, { __typename: 'Facilitator', id: b }, { __typename: 'Facilitator', id: newId('uniting', 'fac') }],
      });
      expect(res.data?._entities).toEqual([{ id: a, displayName: 'Ref One' }, { id: b, displayName: 'Ref Two' }, null]);
      expect(subgraph.statements.count - before).toBe(1 + SCOPE_STATEMENTS);
    });

    it('extends Organisation with its facilitators and their count by status', async () => {
      await seedFacilitators('countorg', 3);
      await seedFacilitators('countorg2', 2, FacilitatorStatus.ON_LEAVE);
      const res = await gql(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Organisation {
        id active: facilitatorCount(status: ACTIVE) all: facilitatorCount
        facilitators(first: 2, filter: { nameContains: "given" }) { nodes { familyName organisation { id } } pageInfo { hasNextPage } totalCount }
      } } }`, { r: ['countorg', 'countorg2', 'nobody'].map((id) => ({ __typename: 'Organisation', id })) });
      expect(res.errors).toBeUndefined();
      expect(res.data?._entities).toEqual([
        {
          id: 'countorg', active: 3, all: 3,
          facilitators: { nodes: [{ familyName: 'Family000', organisation: { id: 'countorg' } }, { familyName: 'Family001', organisation: { id: 'countorg' } }], pageInfo: { hasNextPage: true }, totalCount: 3 },
        },
        {
          id: 'countorg2', active: 0, all: 2,
          facilitators: { nodes: [{ familyName: 'Family000', organisation: { id: 'countorg2' } }, { familyName: 'Family001', organisation: { id: 'countorg2' } }], pageInfo: { hasNextPage: false }, totalCount: 2 },
        },
        { id: 'nobody', active: 0, all: 0, facilitators: { nodes: [], pageInfo: { hasNextPage: false }, totalCount: 0 } },
      ]);
    });

    it('pages through an organisation\'s facilitators with its cursor', async () => {
      await seedFacilitators('orgpaging', 3);
      const page = (after: string | null) =>
        gql(`query($r: [_Any!]!, $after: String) { _entities(representations: $r) { ... on Organisation { facilitators(first: 2, after: $after) { nodes { familyName } pageInfo { hasNextPage endCursor } } } } }`, {
          r: [{ __typename: 'Organisation', id: 'orgpaging' }],
          after,
        });
      const first = await page(null);
      const second = await page(first.data?._entities[0].facilitators.pageInfo.endCursor);
      expect(second.data?._entities[0].facilitators).toEqual({ nodes: [{ familyName: 'Family002' }], pageInfo: { hasNextPage: false, endCursor: expect.any(String) } });
      const bad = await page('garbage');
      expect(errorCode(bad)).toBe('BAD_USER_INPUT');
      expect(bad.errors?.[0].extensions?.fields).toEqual([expect.objectContaining({ field: 'after' })]);
    });

    it('extends Community with its members and the count of active members', async () => {
      const community = newId('prc', 'com');
      const [a, b, c] = await seedFacilitators('memberorg', 3);
      for (const f of [a, b, c]) {
        await gql(`mutation($f: ID!, $c: ID!) { joinCommunity(input: { facilitatorId: $f, communityId: $c, joinedOn: "2024-01-0${[a, b, c].indexOf(f) + 1}" }) { id } }`, { f, c: community });
      }
      const left = await gql(`query($f: ID!) { facilitator(id: $f) { memberships { id } } }`, { f: b });
      await gql(`mutation($id: ID!) { leaveCommunity(input: { membershipId: $id, leftOn: "2024-03-01" }) { id } }`, { id: left.data?.facilitator.memberships[0].id });
      const res = await gql(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Community {
        id memberCount
        members { nodes { joinedOn facilitator { id } } totalCount }
        everyone: members(includeLeft: true, first: 2) { nodes { leftOn } pageInfo { hasNextPage } totalCount }
      } } }`, { r: [{ __typename: 'Community', id: community }, { __typename: 'Community', id: newId('prc', 'com') }] });
      expect(res.errors).toBeUndefined();
      expect(res.data?._entities).toEqual([
        {
          id: community,
          memberCount: 2,
          members: { nodes: [{ joinedOn: '2024-01-01', facilitator: { id: a } }, { joinedOn: '2024-01-03', facilitator: { id: c } }], totalCount: 2 },
          everyone: { nodes: [{ leftOn: null }, { leftOn: '2024-03-01' }], pageInfo: { hasNextPage: true }, totalCount: 3 },
        },
        { id: expect.any(String), memberCount: 0, members: { nodes: [], totalCount: 0 }, everyone: { nodes: [], pageInfo: { hasNextPage: false }, totalCount: 0 } },
      ]);
    });
  });

  describe('batching', () => {
    /** Statements sent for one request (its transaction's own SCOPE_STATEMENTS included). */
    async function statementsFor(query: string, variables?: Record<string, unknown>): Promise<number> {
      const before = subgraph.statements.count;
      const res = await gql(query, variables);
      expect(res.errors).toBeUndefined();
      return subgraph.statements.count - before;
    }

    /** `count` organisations with two facilitators each, each with a training record and a membership. */
    async function seedOrganisations(prefix: string, count: number): Promise<{ organisations: string[]; communities: string[] }> {
      const course = await createCourse();
      const organisations = Array.from({ length: count }, (_, i) => `${prefix}${i}`);
      const communities: string[] = [];
      for (const org of organisations) {
        const ids = await seedFacilitators(org, 2);
        const community = newId(org, 'com');
        communities.push(community);
        await subgraph.dataSource.getRepository(TrainingRecord).insert(
          ids.map((facilitatorId) => ({ id: newId(org, 'trr'), organisationId: org, facilitatorId, courseId: course, completedOn: '2024-01-01', accreditationLevel: AccreditationLevel.FOUNDATION, expiresOn: null })),
        );
        await subgraph.dataSource.getRepository(CommunityMembership).insert(
          ids.map((facilitatorId) => ({ id: newId(org, 'mem'), organisationId: org, facilitatorId, communityId: community, role: CommunityRole.MEMBER, joinedOn: '2024-01-01', leftOn: null, confidentialityAgreed: true })),
        );
      }
      return { organisations, communities };
    }

    const deep = `nodes { displayName organisation { id } region { id } trainingRecords { expired course { name program { id } } facilitator { id } } memberships { community { id } facilitator { id } } }`;

    it('answers the national question for 10 or 100 organisations with the same number of statements', async () => {
      const small = await seedOrganisations('small', 10);
      const large = await seedOrganisations('large', 100);
      const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Organisation {
        facilitatorCount(status: ACTIVE) all: facilitatorCount facilitators(first: 5) { totalCount ${deep} } } } }`;
      const reps = (ids: string[]) => ids.map((id) => ({ __typename: 'Organisation', id }));
      const forSmall = await statementsFor(query, { r: reps(small.organisations) });
      const forLarge = await statementsFor(query, { r: reps(large.organisations) });
      expect(forLarge).toBe(forSmall);
      expect(forSmall).toBeLessThanOrEqual(8 + SCOPE_STATEMENTS);
    });

    it('lists the members of 10 or 100 communities with the same number of statements', async () => {
      const small = await seedOrganisations('csmall', 10);
      const large = await seedOrganisations('clarge', 100);
      const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Community {
        memberCount members(includeLeft: true) { totalCount nodes { role facilitator { displayName trainingRecords { course { name } } } } } } } }`;
      const reps = (ids: string[]) => ids.map((id) => ({ __typename: 'Community', id }));
      const forSmall = await statementsFor(query, { r: reps(small.communities) });
      const forLarge = await statementsFor(query, { r: reps(large.communities) });
      expect(forLarge).toBe(forSmall);
    });

    it('lists 10 or 100 facilitators with their relations in the same number of statements', async () => {
      await seedOrganisations('listorg', 60);
      const query = `query($first: Int!) { facilitators(first: $first, filter: { organisationId: null }) { totalCount ${deep} } }`;
      const ten = await statementsFor(query, { first: 10 });
      const hundred = await statementsFor(query, { first: 100 });
      expect(hundred).toBe(ten);
    });
  });
});
