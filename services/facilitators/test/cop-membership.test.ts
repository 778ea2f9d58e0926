import { AccreditationLevel, CommunityMembership, CommunityRole, createFacilitatorsSubgraph, Facilitator, FacilitatorStatus, TrainingCourse, TrainingRecord } from '@hub/facilitators';
import { newId, SCOPE_STATEMENTS, withScope, type AccessScope, type Subgraph } from '@hub/core';
import { dropTestDatabases, testSubgraphConfig } from '../../../test/support/database';
import { errorCode, postGraphQL } from '../../../test/support/graphql';
import { partnerAdmin, scopeHeaders, scopeOf } from '../../../test/support/scopes';

/**
 * Issue 6 item 2 at the facilitators subgraph: a community's membership rules (training at a level
 * and current, region, confidentiality, facilitation share), checked when joining and reported
 * for current members who break them now.
 */
describe('facilitators subgraph: community membership rules', () => {
  const config = testSubgraphConfig('facilitators');
  let subgraph: Subgraph;
  let url: string;

  const program = newId('nat', 'prg');
  const cop = newId('nat', 'com');
  const aGroup = newId('orga', 'com');
  const course = newId('nat', 'trc');
  const refresher = newId('nat', 'trc');
  const f = {
    trained: newId('orga', 'fac'),
    foundationOnly: newId('orga', 'fac'),
    untrained: newId('orga', 'fac'),
    elsewhere: newId('orga', 'fac'),
    lapsed: newId('orgb', 'fac'),
    b: newId('orgb', 'fac'),
  };
  const lapsedMembership = newId('orgb', 'mem');

  const manager = scopeOf('national-manager', { organisation: 'nat', organisations: ['nat', 'orga', 'orgb'], programs: [program] });
  const adminA = partnerAdmin('orga', ['nat'], [program]);
  const adminB = partnerAdmin('orgb', ['nat'], [program]);
  const facilitatorB = scopeOf('facilitator', { organisation: 'orgb', organisations: ['nat', 'orgb'], programs: [program], facilitator: f.b });

  const as = async (scope: AccessScope, query: string, variables?: Record<string, unknown>) => postGraphQL(url, query, variables, await scopeHeaders(scope));
  const fieldsOf = (res: { errors?: readonly { extensions?: Record<string, unknown> }[] }) => res.errors?.[0]?.extensions?.fields as { field: string; message: string }[] | undefined;
  const memberships = async () => Number((await subgraph.dataSource.query(`SELECT count(*)::int AS n FROM community_membership`))[0].n);

  const join = (scope: AccessScope, facilitatorId: string, confidentialityAgreed = true, communityId = cop) =>
    as(scope, `mutation($i: JoinCommunityInput!) { joinCommunity(input: $i) { id } }`, { i: { facilitatorId, communityId, confidentialityAgreed } });
  const setRules = (scope: AccessScope, communityId: string, input: Record<string, unknown>) =>
    as(scope, `mutation($c: ID!, $i: SetMembershipRulesInput!) { setMembershipRules(communityId: $c, input: $i) {
      community { id } requiredTraining { courseId minimumLevel course { name } } acceptedRegions { id } confidentialityRequired facilitatesOneIn minimumFacilitationShare } }`, { c: communityId, i: input });
  const communityQuery = (fields: string) => `query($r: [_Any!]!) { _entities(representations: $r) { ... on Community { id ${fields} } } }`;
  const communities = (...ids: string[]) => ({ r: ids.map((id) => ({ __typename: 'Community', id })) });

  beforeAll(async () => {
    subgraph = await createFacilitatorsSubgraph(config);
    url = await subgraph.listen(0);
    const m = subgraph.dataSource.manager;
    const person = (id: string, regionId: string | null) => ({
      id,
      organisationId: id.split('.')[0],
      givenName: 'Given',
      familyName: id.slice(-6),
      email: `${id.slice(-8).toLowerCase()}@example.org`,
      phone: null,
      regionId,
      status: FacilitatorStatus.ACTIVE,
    });
    await m.getRepository(Facilitator).insert([
      person(f.trained, 'au-qld-north'),
      person(f.foundationOnly, 'au-qld-north'),
      person(f.untrained, 'au-qld'),
      person(f.elsewhere, 'au-nsw-hunter'),
      person(f.lapsed, 'au-qld-north'),
      person(f.b, 'au-qld'),
    ]);
    await m.getRepository(TrainingCourse).insert([
      { id: course, programId: program, organisationId: 'nat', name: 'Group facilitation foundations', description: '', validForMonths: null },
      { id: refresher, programId: program, organisationId: 'nat', name: 'Child safety refresher', description: '', validForMonths: 12 },
    ]);
    const record = (facilitatorId: string, accreditationLevel: AccreditationLevel, completedOn = '2024-01-01', expiresOn: string | null = null) => ({
      id: newId(facilitatorId.split('.')[0], 'trr'),
      organisationId: facilitatorId.split('.')[0],
      facilitatorId,
      courseId: course,
      completedOn,
      accreditationLevel,
      expiresOn,
    });
    await m.getRepository(TrainingRecord).insert([
      record(f.trained, AccreditationLevel.ADVANCED),
      record(f.foundationOnly, AccreditationLevel.FOUNDATION),
      record(f.elsewhere, AccreditationLevel.TRAINER),
      // current when it joined, expired since
      record(f.lapsed, AccreditationLevel.PRACTITIONER, '2019-01-01', '2021-01-01'),
      record(f.lapsed, AccreditationLevel.FOUNDATION, '2023-01-01'),
      record(f.b, AccreditationLevel.PRACTITIONER),
    ]);
    await m.getRepository(CommunityMembership).insert({
      id: lapsedMembership,
      organisationId: 'orgb',
      facilitatorId: f.lapsed,
      communityId: cop,
      role: CommunityRole.MEMBER,
      joinedOn: '2020-06-01',
      leftOn: null,
      confidentialityAgreed: true,
    });
  });
  afterAll(async () => {
    await subgraph.stop();
    await dropTestDatabases(config);
  });

  const copRules = {
    requiredTraining: [{ courseId: course, minimumLevel: 'PRACTITIONER' }],
    acceptedRegionIds: ['au-qld', 'au-qld-north', 'au-qld-south'],
    confidentialityRequired: true,
    facilitatesOneIn: 4,
  };

  describe('setting the rules', () => {
    it('lets the community organisation\'s administrators set them, and members within the wall read them', async () => {
      const res = await setRules(manager, cop, copRules);
      expect(res.errors).toBeUndefined();
      expect(res.data?.setMembershipRules).toEqual({
        community: { id: cop },
        requiredTraining: [{ courseId: course, minimumLevel: 'PRACTITIONER', course: { name: 'Group facilitation foundations' } }],
        acceptedRegions: [{ id: 'au-qld' }, { id: 'au-qld-north' }, { id: 'au-qld-south' }],
        confidentialityRequired: true,
        facilitatesOneIn: 4,
        minimumFacilitationShare: 0.25,
      });
      const read = await as(adminA, communityQuery('membershipRules { confidentialityRequired facilitatesOneIn }'), communities(cop));
      expect(read.errors).toBeUndefined();
      expect(read.data?._entities).toEqual([{ id: cop, membershipRules: { confidentialityRequired: true, facilitatesOneIn: 4 } }]);
    });

    it('refuses other callers: FORBIDDEN within the wall, NOT_FOUND outside it; nothing is stored', async () => {
      const forbidden = await setRules(adminA, cop, { confidentialityRequired: false });
      expect(errorCode(forbidden)).toBe('FORBIDDEN');
      expect(fieldsOf(forbidden)?.map((x) => x.field)).toEqual(['communityId']);

      const own = await setRules(adminA, aGroup, { confidentialityRequired: true });
      expect(own.errors).toBeUndefined();
      const hidden = await as(adminB, communityQuery('membershipRules { confidentialityRequired } ruleBreaches { reason }'), communities(aGroup));
      expect(hidden.errors).toBeUndefined();
      expect(hidden.data?._entities).toEqual([{ id: aGroup, membershipRules: null, ruleBreaches: null }]);
      const notFound = await setRules(adminB, aGroup, { confidentialityRequired: false });
      expect(errorCode(notFound)).toBe('NOT_FOUND');
      const facilitator = await setRules(facilitatorB, cop, { confidentialityRequired: false });
      expect(errorCode(facilitator)).toBe('FORBIDDEN');

      const after = await as(manager, communityQuery('membershipRules { confidentialityRequired }'), communities(cop, aGroup));
      expect(after.data?._entities.map((c: { membershipRules: unknown }) => c.membershipRules)).toEqual([{ confidentialityRequired: true }, { confidentialityRequired: true }]);
    });

    it('refuses unknown or repeated courses and malformed regions', async () => {
      const unknown = await setRules(manager, cop, { ...copRules, requiredTraining: [{ courseId: newId('nat', 'trc') }] });
      expect(errorCode(unknown)).toBe('NOT_FOUND');
      expect(fieldsOf(unknown)?.[0].field).toBe('input.requiredTraining.0.courseId');
      const twice = await setRules(manager, cop, { ...copRules, requiredTraining: [{ courseId: course }, { courseId: course }] });
      expect(errorCode(twice)).toBe('BAD_USER_INPUT');
      expect(fieldsOf(twice)?.[0].field).toBe('input.requiredTraining.1.courseId');
      const region = await setRules(manager, cop, { ...copRules, acceptedRegionIds: ['Not A Region'] });
      expect(errorCode(region)).toBe('BAD_USER_INPUT');
      expect(fieldsOf(region)?.[0].field).toBe('input.acceptedRegionIds');
      const tooRare = await setRules(manager, cop, { ...copRules, facilitatesOneIn: 0 });
      expect(fieldsOf(tooRare)?.[0].field).toBe('input.facilitatesOneIn');
    });
  });

  describe('joining', () => {
    it('refuses a facilitator without the required training, with the reason, and changes nothing', async () => {
      const before = await memberships();
      const none = await join(adminA, f.untrained);
      expect(errorCode(none)).toBe('BAD_USER_INPUT');
      expect(fieldsOf(none)).toEqual([{ field: 'input.facilitatorId', message: 'has not completed Group facilitation foundations (PRACTITIONER or above)' }]);
      const low = await join(adminA, f.foundationOnly);
      expect(fieldsOf(low)).toEqual([
        { field: 'input.facilitatorId', message: 'has completed Group facilitation foundations only at FOUNDATION; PRACTITIONER or above is required' },
      ]);
      expect(await memberships()).toBe(before);
    });

    it('refuses one working in another region, and one who has not agreed to confidentiality', async () => {
      const before = await memberships();
      const region = await join(adminA, f.elsewhere);
      expect(errorCode(region)).toBe('BAD_USER_INPUT');
      expect(fieldsOf(region)).toEqual([
        { field: 'input.facilitatorId', message: 'works in au-nsw-hunter, which is not a region this community accepts (au-qld, au-qld-north, au-qld-south)' },
      ]);
      const secret = await join(adminA, f.trained, false);
      expect(fieldsOf(secret)).toEqual([{ field: 'input.confidentialityAgreed', message: 'has not agreed to keep what is shared in this community confidential' }]);
      // every broken rule at once
      const all = await join(adminA, f.untrained, false);
      expect(fieldsOf(all)?.map((x) => x.field)).toEqual(['input.facilitatorId', 'input.confidentialityAgreed']);
      expect(await memberships()).toBe(before);
    });

    it('checks training on the joining day', async () => {
      const other = newId('nat', 'com');
      expect((await setRules(manager, other, { requiredTraining: [{ courseId: course, minimumLevel: 'PRACTITIONER' }] })).errors).toBeUndefined();
      // the lapsed facilitator's PRACTITIONER record was current until 2021
      const now = await join(adminB, f.lapsed, true, other);
      expect(fieldsOf(now)).toEqual([
        { field: 'input.facilitatorId', message: 'has completed Group facilitation foundations (PRACTITIONER or above), but it expired on 2021-01-01' },
      ]);
      const back = await as(adminB, `mutation($i: JoinCommunityInput!) { joinCommunity(input: $i) { joinedOn } }`, {
        i: { facilitatorId: f.lapsed, communityId: other, confidentialityAgreed: true, joinedOn: '2020-02-01' },
      });
      expect(back.errors).toBeUndefined();
      expect(back.data?.joinCommunity).toEqual({ joinedOn: '2020-02-01' });
    });

    it('lets a compliant facilitator join, by its administrators or itself', async () => {
      const res = await join(adminA, f.trained);
      expect(res.errors).toBeUndefined();
      const itself = await join(facilitatorB, f.b);
      expect(itself.errors).toBeUndefined();
    });
  });

  describe('current members breaking a rule now', () => {
    const breaches = `ruleBreaches { rule reason course { name } membership { id facilitator { id } } }`;

    it('reports training expired since joining to the community\'s administrators', async () => {
      const res = await as(manager, communityQuery(breaches), communities(cop));
      expect(res.errors).toBeUndefined();
      expect(res.data?._entities[0].ruleBreaches).toEqual([
        {
          rule: 'TRAINING',
          reason: 'has completed Group facilitation foundations (PRACTITIONER or above), but it expired on 2021-01-01',
          course: { name: 'Group facilitation foundations' },
          membership: { id: lapsedMembership, facilitator: { id: f.lapsed } },
        },
      ]);
    });

    it('reports a changed region and withdrawn confidentiality', async () => {
      const moved = await as(adminA, `mutation($id: ID!) { updateFacilitator(id: $id, input: { regionId: "au-vic" }) { id } }`, { id: f.trained });
      expect(moved.errors).toBeUndefined();
      const own = await as(facilitatorB, `query($id: ID!) { facilitator(id: $id) { memberships { id } } }`, { id: f.b });
      const membershipId = own.data?.facilitator.memberships[0].id;
      const withdrawn = await as(facilitatorB, `mutation($id: ID!) { updateCommunityMembership(id: $id, input: { confidentialityAgreed: false }) { id } }`, { id: membershipId });
      expect(withdrawn.errors).toBeUndefined();

      const res = await as(manager, communityQuery('ruleBreaches { rule membership { facilitator { id } } }'), communities(cop));
      expect(res.data?._entities[0].ruleBreaches).toEqual([
        { rule: 'TRAINING', membership: { facilitator: { id: f.lapsed } } },
        { rule: 'REGION', membership: { facilitator: { id: f.trained } } },
        { rule: 'CONFIDENTIALITY', membership: { facilitator: { id: f.b } } },
      ]);
      // the member sees its own breaches; its administrators too
      const mine = await as(facilitatorB, `query($id: ID!) { facilitator(id: $id) { memberships { breaches { rule reason } } } }`, { id: f.b });
      expect(mine.errors).toBeUndefined();
      expect(mine.data?.facilitator.memberships[0].breaches).toEqual([
        { rule: 'CONFIDENTIALITY', reason: 'has not agreed to keep what is shared in this community confidential' },
      ]);
    });

    it('keeps the report from anyone but the community\'s administrators', async () => {
      const res = await as(adminA, communityQuery('ruleBreaches { rule }'), communities(cop));
      expect(errorCode(res)).toBe('FORBIDDEN');
      expect(res.data?._entities[0].ruleBreaches).toBeNull();
      const colleague = scopeOf('facilitator', { organisation: 'orga', organisations: ['nat', 'orga'], programs: [program], facilitator: f.foundationOnly });
      const other = await as(colleague, `query($id: ID!) { facilitator(id: $id) { memberships { breaches { rule } } } }`, { id: f.trained });
      expect(errorCode(other)).toBe('FORBIDDEN');
      const own = await as(adminA, `query($id: ID!) { facilitator(id: $id) { memberships { breaches { rule } } } }`, { id: f.trained });
      expect(own.errors).toBeUndefined();
      expect(own.data?.facilitator.memberships[0].breaches).toEqual([{ rule: 'REGION' }]);
      // the second wall: another partner's transaction does not see a community's rules outside its wall
      const rows = await withScope(subgraph.requestDataSource, adminB, (m) => m.query(`SELECT community_id FROM community_membership_rules`));
      expect(rows.map((r: { community_id: string }) => r.community_id)).not.toContain(aGroup);
      await expect(
        withScope(subgraph.requestDataSource, adminB, (m) => m.query(`INSERT INTO community_membership_rules (community_id, organisation_id) VALUES ($1, 'orga')`, [newId('orga', 'com')])),
      ).rejects.toThrow(/row-level security/);
    });
  });

  describe('training records', () => {
    it('shows expiry and the highest current accreditation', async () => {
      const res = await as(adminB, `query($id: ID!) { facilitator(id: $id) { accreditation trainingRecords { accreditationLevel expiresOn expired } } }`, { id: f.lapsed });
      expect(res.errors).toBeUndefined();
      expect(res.data?.facilitator).toEqual({
        accreditation: 'FOUNDATION',
        trainingRecords: [
          { accreditationLevel: 'FOUNDATION', expiresOn: null, expired: false },
          { accreditationLevel: 'PRACTITIONER', expiresOn: '2021-01-01', expired: true },
        ],
      });
      const none = await as(adminA, `query($id: ID!) { facilitator(id: $id) { accreditation } }`, { id: f.untrained });
      expect(none.data?.facilitator).toEqual({ accreditation: null });
    });
  });

  describe('batching', () => {
    async function statementsFor(query: string, variables: Record<string, unknown>): Promise<number> {
      const before = subgraph.statements.count;
      const res = await as(SYSTEM, query, variables);
      expect(res.errors).toBeUndefined();
      return subgraph.statements.count - before;
    }
    const SYSTEM = scopeOf('system');

    async function seedCommunities(count: number): Promise<string[]> {
      const ids = Array.from({ length: count }, () => newId('nat', 'com'));
      const m = subgraph.dataSource.manager;
      for (const id of ids) {
        await m.query(`INSERT INTO community_membership_rules (community_id, organisation_id, required_training, accepted_region_ids, confidentiality_required)
          VALUES ($1, 'nat', $2, '{au-qld}', true)`, [id, JSON.stringify([{ courseId: refresher, minimumLevel: 'FOUNDATION' }])]);
        await m.getRepository(CommunityMembership).insert(
          [f.trained, f.lapsed].map((facilitatorId) => ({
            id: newId(facilitatorId.split('.')[0], 'mem'),
            organisationId: facilitatorId.split('.')[0],
            facilitatorId,
            communityId: id,
            role: CommunityRole.MEMBER,
            joinedOn: '2024-01-01',
            leftOn: null,
            confidentialityAgreed: false,
          })),
        );
      }
      return ids;
    }

    it('reports breaches of 2 or 20 communities with the same number of statements', async () => {
      const small = await seedCommunities(2);
      const large = await seedCommunities(20);
      const query = communityQuery('membershipRules { requiredTraining { course { name } } } ruleBreaches { rule course { name } membership { facilitator { id accreditation } } }');
      const forSmall = await statementsFor(query, communities(...small));
      const forLarge = await statementsFor(query, communities(...large));
      expect(forLarge).toBe(forSmall);
      expect(forSmall).toBeLessThanOrEqual(5 + SCOPE_STATEMENTS);
    });
  });
});
