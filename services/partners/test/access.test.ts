import { generateGatewayKeyPair, SCOPE_HEADER, ScopeSigner, withScope, type AccessScope, type Subgraph } from '@hub/core';
import { createPartnersSubgraph, Organisation, ProgramPartner, Region } from '@hub/partners';
import { dropTestDatabases, testSubgraphConfig } from '../../../test/support/database';
import { errorCode, postGraphQL } from '../../../test/support/graphql';
import { partnerAdmin, scopeHeaders, scopeOf, SYSTEM_SCOPE } from '../../../test/support/scopes';

type Vars = Record<string, unknown>;

describe('partners subgraph: who sees and changes what', () => {
  const config = testSubgraphConfig('partners');
  let subgraph: Subgraph;
  let url: string;
  let P: string; // managed by prc, delivered by pa and pb
  let Q: string; // managed by nat2, delivered by pa

  const as = async (scope: AccessScope, query: string, variables?: Vars) => postGraphQL(url, query, variables, await scopeHeaders(scope));
  const ok = async (scope: AccessScope, query: string, variables?: Vars) => {
    const res = await as(scope, query, variables);
    if (res.errors?.length) throw new Error(JSON.stringify(res.errors));
    return res.data as Record<string, any>;
  };
  /** Every stored row, read on the owner's connection (no row-level security). */
  const stored = async () => {
    const rows: Record<string, unknown> = {};
    for (const table of ['region', 'organisation', 'organisation_region', 'program', 'program_partner']) {
      rows[table] = await subgraph.dataSource.query(`SELECT * FROM ${table} ORDER BY 1, 2`);
    }
    return rows;
  };

  // the callers
  const manager = () => scopeOf('national-manager', { organisation: 'prc', programs: [P], organisations: ['pa', 'pb', 'prc'] });
  const founder = () => scopeOf('national-manager', { organisation: 'prc' }); // before its token names the program
  const otherManager = () => scopeOf('national-manager', { organisation: 'nat2', programs: [Q], organisations: ['pa', 'nat2'] });
  const adminA = () => partnerAdmin('pa', ['nat2', 'prc'], [P, Q]);
  const adminB = () => partnerAdmin('pb', ['prc'], [P]);
  const facilitatorA = () => scopeOf('facilitator', { organisation: 'pa', organisations: ['pa', 'prc'], programs: [P], facilitator: 'pa.fac_01' });
  const participant = () => scopeOf('participant', { organisations: ['pa', 'prc'], programs: [P] });

  const AGREEMENTS = `query($p: ID!) { program(id: $p) { sharingAgreements { organisation { id } shareFacilitatorContacts shareSessionDetails shareEngagementPlans } } }`;
  const agreementsOf = async (scope: AccessScope, programId: string) =>
    ((await ok(scope, AGREEMENTS, { p: programId })).program.sharingAgreements as { organisation: { id: string } }[]).map((a) => a.organisation.id);

  beforeAll(async () => {
    subgraph = await createPartnersSubgraph(config);
    url = await subgraph.listen(0);
    const system = (q: string, v?: Vars) => ok(SYSTEM_SCOPE, q, v);
    await system(`mutation { createRegion(input: { id: "au", name: "Australia", level: COUNTRY }) { id } }`);
    for (const [id, kind] of [['prc', 'NATIONAL_MANAGER'], ['nat2', 'NATIONAL_MANAGER'], ['pa', 'DELIVERY_PARTNER'], ['pb', 'DELIVERY_PARTNER'], ['pc', 'DELIVERY_PARTNER']]) {
      await system(`mutation($id: ID!, $n: String!, $k: OrganisationKind!) { createOrganisation(input: { id: $id, name: $n, kind: $k, regionIds: ["au"] }) { id } }`, { id, n: id, k: kind });
    }
    P = (await system(`mutation { createProgram(input: { name: "P", managingOrganisationId: "prc" }) { id } }`)).createProgram.id;
    Q = (await system(`mutation { createProgram(input: { name: "Q", managingOrganisationId: "nat2" }) { id } }`)).createProgram.id;
    const add = `mutation($p: ID!, $o: ID!) { setProgramPartner(programId: $p, organisationId: $o) { joinedOn } }`;
    await system(add, { p: P, o: 'pa' });
    await system(add, { p: P, o: 'pb' });
    await system(add, { p: Q, o: 'pa' });
  });
  afterAll(async () => {
    await subgraph.stop();
    await dropTestDatabases(config);
  });

  describe('the gateway\'s signature', () => {
    it('answers a request without the scope header with HTTP 401 UNAUTHENTICATED', async () => {
      const res = await postGraphQL(url, `{ regions { id } }`);
      expect(res.status).toBe(401);
      expect(errorCode(res)).toBe('UNAUTHENTICATED');
      expect(res.data ?? null).toBeNull();
    });

    it('answers a scope signed by another key with HTTP 403 FORBIDDEN', async () => {
      const impostor = new ScopeSigner(generateGatewayKeyPair().privateKey);
      const res = await postGraphQL(url, `{ regions { id } }`, undefined, { [SCOPE_HEADER]: await impostor.sign(SYSTEM_SCOPE) });
      expect(res.status).toBe(403);
      expect(errorCode(res)).toBe('FORBIDDEN');
      expect(res.data ?? null).toBeNull();
    });
  });

  describe('the directory', () => {
    it('is read by everyone signed in', async () => {
      for (const scope of [participant(), facilitatorA(), adminB(), otherManager()]) {
        const data = await ok(scope, `query($p: ID!) { program(id: $p) { name managingOrganisation { id } } organisation(id: "pa") { name regions { id } } regions { id } }`, { p: P });
        expect(data).toEqual({ program: { name: 'P', managingOrganisation: { id: 'prc' } }, organisation: { name: 'pa', regions: [{ id: 'au' }] }, regions: [{ id: 'au' }] });
      }
    });

    it('resolves references for any caller', async () => {
      const data = await ok(participant(), `query($r: [_Any!]!) { _entities(representations: $r) { ... on Program { name } ... on Organisation { name } ... on Region { name } } }`, {
        r: [{ __typename: 'Program', id: P }, { __typename: 'Organisation', id: 'pb' }, { __typename: 'Region', id: 'au' }],
      });
      expect(data._entities).toEqual([{ name: 'P' }, { name: 'pb' }, { name: 'Australia' }]);
    });
  });

  describe('mutations refused to the wrong caller', () => {
    const cases: [string, () => AccessScope, string, () => Vars, string | undefined][] = [
      ['createRegion by a partner admin', adminA, `mutation { createRegion(input: { id: "nz", name: "New Zealand", level: COUNTRY }) { id } }`, () => ({}), undefined],
      ['createRegion by a participant', participant, `mutation { createRegion(input: { id: "nz", name: "New Zealand", level: COUNTRY }) { id } }`, () => ({}), undefined],
      ['createOrganisation by a partner admin', adminA, `mutation { createOrganisation(input: { id: "pd", name: "D" }) { id } }`, () => ({}), undefined],
      ['createOrganisation by a facilitator', facilitatorA, `mutation { createOrganisation(input: { id: "pd", name: "D" }) { id } }`, () => ({}), undefined],
      ['updateOrganisation of another organisation by a partner admin', adminA, `mutation { updateOrganisation(id: "pb", input: { name: "Mine", regionIds: [] }) { id } }`, () => ({}), 'id'],
      ['updateOrganisation of a partner by the national manager', manager, `mutation { updateOrganisation(id: "pa", input: { name: "Mine" }) { id } }`, () => ({}), 'id'],
      ['updateOrganisation by its own facilitator', facilitatorA, `mutation { updateOrganisation(id: "pa", input: { name: "Mine" }) { id } }`, () => ({}), 'id'],
      ['createProgram for another organisation', manager, `mutation { createProgram(input: { name: "R", managingOrganisationId: "nat2" }) { id } }`, () => ({}), 'input.managingOrganisationId'],
      ['createProgram by a partner admin', adminA, `mutation { createProgram(input: { name: "R", managingOrganisationId: "pa" }) { id } }`, () => ({}), 'input.managingOrganisationId'],
      ['updateProgram by another program\'s manager', otherManager, `mutation($p: ID!) { updateProgram(id: $p, input: { name: "Mine" }) { id } }`, () => ({ p: P }), 'id'],
      ['updateProgram by a national manager whose token does not name it', founder, `mutation($p: ID!) { updateProgram(id: $p, input: { name: "Mine" }) { id } }`, () => ({ p: P }), 'id'],
      ['updateProgram by a partner admin', adminA, `mutation($p: ID!) { updateProgram(id: $p, input: { minimumGroupSize: 3 }) { id } }`, () => ({ p: P }), 'id'],
      ['setProgramPartner by a partner admin', adminA, `mutation($p: ID!) { setProgramPartner(programId: $p, organisationId: "pc") { joinedOn } }`, () => ({ p: P }), 'programId'],
      ['setProgramPartner by another program\'s manager', otherManager, `mutation($p: ID!) { setProgramPartner(programId: $p, organisationId: "pc") { joinedOn } }`, () => ({ p: P }), 'programId'],
      ['setSharingAgreement by a facilitator', facilitatorA, `mutation($p: ID!) { setSharingAgreement(programId: $p, input: { shareFacilitatorContacts: true }) { shareFacilitatorContacts } }`, () => ({ p: P }), undefined],
      ['setSharingAgreement by a participant', participant, `mutation($p: ID!) { setSharingAgreement(programId: $p, input: { shareFacilitatorContacts: true }) { shareFacilitatorContacts } }`, () => ({ p: P }), undefined],
    ];

    it.each(cases)('%s: FORBIDDEN, and nothing changes', async (_name, scope, query, variables, field) => {
      const before = await stored();
      const res = await as(scope(), query, variables());
      expect(errorCode(res)).toBe('FORBIDDEN');
      if (field) expect(res.errors?.[0].extensions?.fields).toEqual([expect.objectContaining({ field })]);
      expect(await stored()).toEqual(before);
    });

    it('answers NOT_FOUND when an admin\'s organisation is not a partner of the program', async () => {
      const before = await stored();
      const res = await as(adminB(), `mutation($p: ID!) { setSharingAgreement(programId: $p, input: { shareSessionDetails: true }) { shareSessionDetails } }`, { p: Q });
      expect(errorCode(res)).toBe('NOT_FOUND');
      expect(res.errors?.[0].extensions?.fields).toEqual([expect.objectContaining({ field: 'programId' })]);
      expect(await stored()).toEqual(before);
    });
  });

  describe('mutations allowed to the right caller', () => {
    it('lets a national manager create regions, organisations and programs for its own organisation', async () => {
      const data = await ok(
        founder(),
        `mutation {
          createRegion(input: { id: "au-vic", name: "Victoria", level: STATE, parentId: "au" }) { id }
          createOrganisation(input: { id: "pe", name: "E", regionIds: ["au-vic"] }) { id regions { id } }
          createProgram(input: { name: "R", managingOrganisationId: "prc" }) { managingOrganisation { id } }
        }`,
      );
      expect(data).toEqual({
        createRegion: { id: 'au-vic' },
        createOrganisation: { id: 'pe', regions: [{ id: 'au-vic' }] },
        createProgram: { managingOrganisation: { id: 'prc' } },
      });
    });

    it('lets an organisation\'s admins update it, and the program\'s national manager update the program', async () => {
      const org = await ok(partnerAdmin('pe'), `mutation { updateOrganisation(id: "pe", input: { website: "https://e.example", regionIds: ["au"] }) { website regions { id } } }`);
      expect(org.updateOrganisation).toEqual({ website: 'https://e.example', regions: [{ id: 'au' }] });
      const program = await ok(manager(), `mutation($p: ID!) { updateProgram(id: $p, input: { description: "Peer support" }) { description } }`, { p: P });
      expect(program.updateProgram.description).toBe('Peer support');
    });

    it('adds a partner with every sharing flag closed, which only the partner opens, and adding it again changes nothing', async () => {
      const add = `mutation($p: ID!) { setProgramPartner(programId: $p, organisationId: "pc") { organisation { id } joinedOn shareFacilitatorContacts shareSessionDetails shareEngagementPlans } }`;
      const added = (await ok(manager(), add, { p: P })).setProgramPartner;
      expect(added).toMatchObject({ organisation: { id: 'pc' }, shareFacilitatorContacts: false, shareSessionDetails: false, shareEngagementPlans: false });

      const adminC = partnerAdmin('pc', ['prc'], [P]);
      const opened = await ok(adminC, `mutation($p: ID!) { setSharingAgreement(programId: $p, input: { shareSessionDetails: true }) { shareFacilitatorContacts shareSessionDetails shareEngagementPlans } }`, { p: P });
      expect(opened.setSharingAgreement).toEqual({ shareFacilitatorContacts: false, shareSessionDetails: true, shareEngagementPlans: false });

      const again = (await ok(manager(), add, { p: P })).setProgramPartner;
      expect(again).toEqual({ ...added, shareSessionDetails: true });
      await subgraph.dataSource.query(`DELETE FROM program_partner WHERE organisation_id = 'pc'`);
    });
  });

  describe('sharing agreements', () => {
    it('are all seen by the program\'s national manager', async () => {
      expect(await agreementsOf(manager(), P)).toEqual(['pa', 'pb']);
    });

    it('are seen by a partner\'s admins only for their own organisation, and by nobody else', async () => {
      expect(await agreementsOf(adminA(), P)).toEqual(['pa']);
      expect(await agreementsOf(adminB(), P)).toEqual(['pb']);
      for (const scope of [facilitatorA(), participant(), otherManager(), founder()]) expect(await agreementsOf(scope, P)).toEqual([]);
      const viaOrganisation = await ok(adminA(), `{ organisation(id: "pb") { programs { sharingAgreements { organisation { id } } } } }`);
      expect(viaOrganisation.organisation.programs.flatMap((p: { sharingAgreements: unknown[] }) => p.sharingAgreements)).toEqual([]);
    });

    it('let partner A\'s admins change A\'s agreement and never B\'s', async () => {
      const bBefore = await subgraph.dataSource.query(`SELECT * FROM program_partner WHERE organisation_id = 'pb'`);
      const res = await ok(adminA(), `mutation($p: ID!) { setSharingAgreement(programId: $p, input: { shareFacilitatorContacts: true }) { organisation { id } shareFacilitatorContacts } }`, { p: P });
      expect(res.setSharingAgreement).toEqual({ organisation: { id: 'pa' }, shareFacilitatorContacts: true });
      expect(await subgraph.dataSource.query(`SELECT * FROM program_partner WHERE organisation_id = 'pb'`)).toEqual(bBefore);
      // the same agreement in another program is untouched
      const inQ = await ok(adminA(), AGREEMENTS, { p: Q });
      expect(inQ.program.sharingAgreements).toEqual([{ organisation: { id: 'pa' }, shareFacilitatorContacts: false, shareSessionDetails: false, shareEngagementPlans: false }]);
    });

    it('keep the gateway\'s own lookups (system scope) whole', async () => {
      const FIELDS = `id managingOrganisation { id } sharingAgreements { organisation { id } shareFacilitatorContacts shareSessionDetails shareEngagementPlans }`;
      const data = await ok(SYSTEM_SCOPE, `query($p: ID!) { organisation(id: "pa") { programs { ${FIELDS} } } program(id: $p) { ${FIELDS} } }`, { p: P });
      const programs = data.organisation.programs as { id: string; sharingAgreements: { organisation: { id: string } }[] }[];
      expect(programs.map((p) => p.id).sort()).toEqual([P, Q].sort());
      expect(data.program.managingOrganisation).toEqual({ id: 'prc' });
      expect(data.program.sharingAgreements.map((a: { organisation: { id: string } }) => a.organisation.id)).toEqual(['pa', 'pb']);
      expect(data.program.sharingAgreements[0]).toMatchObject({ shareFacilitatorContacts: true });
    });
  });

  describe('row-level security (the second wall)', () => {
    it('shows a partner admin\'s connection only its own agreements, with no filter in code', async () => {
      const rows = await withScope(subgraph.requestDataSource, partnerAdmin('pa'), (m) => m.getRepository(ProgramPartner).find());
      expect(rows.map((r) => r.organisationId)).toEqual(['pa', 'pa']);
      expect(rows.map((r) => r.programId).sort()).toEqual([P, Q].sort());
      const managers = await withScope(subgraph.requestDataSource, manager(), (m) => m.getRepository(ProgramPartner).find());
      expect(managers.map((r) => `${r.programId}/${r.organisationId}`).sort()).toEqual([`${P}/pa`, `${P}/pb`]);
    });

    it('refuses a partner admin\'s connection an insert of another organisation\'s agreement', async () => {
      const before = await stored();
      await expect(
        withScope(subgraph.requestDataSource, partnerAdmin('pa'), (m) =>
          m.insert(ProgramPartner, { programId: Q, organisationId: 'pb', joinedOn: '2025-01-01', shareFacilitatorContacts: true, shareSessionDetails: true, shareEngagementPlans: true }),
        ),
      ).rejects.toThrow(/row-level security/);
      expect(await stored()).toEqual(before);
    });

    it('lets a partner admin\'s connection neither change nor take over another organisation\'s agreement', async () => {
      const before = await stored();
      const changed = await withScope(subgraph.requestDataSource, partnerAdmin('pa'), async (m) => [
        (await m.update(ProgramPartner, { programId: P, organisationId: 'pb' }, { shareEngagementPlans: true })).affected,
        (await m.createQueryBuilder().update(ProgramPartner).set({ organisationId: 'pa', programId: Q }).where({ organisationId: 'pb' }).execute()).affected,
        (await m.delete(ProgramPartner, { organisationId: 'pb' })).affected,
      ]);
      expect(changed).toEqual([0, 0, 0]);
      expect(await stored()).toEqual(before);
    });

    it('refuses directory writes to callers who may not make them', async () => {
      await expect(
        withScope(subgraph.requestDataSource, partnerAdmin('pa'), (m) => m.insert(Region, { id: 'nz', name: 'New Zealand', level: 'COUNTRY' as Region['level'], parentId: null })),
      ).rejects.toThrow(/row-level security/);
      // another organisation's row is readable (the directory) but may not be written
      await expect(withScope(subgraph.requestDataSource, partnerAdmin('pa'), (m) => m.update(Organisation, { id: 'pb' }, { name: 'Taken' }))).rejects.toThrow(/row-level security/);
      // nor may its own row take another's key
      await expect(withScope(subgraph.requestDataSource, partnerAdmin('pa'), (m) => m.update(Organisation, { id: 'pa' }, { id: 'pz' }))).rejects.toThrow(/owner/);
      await expect(
        withScope(subgraph.requestDataSource, manager(), (m) =>
          m.query(`INSERT INTO program (id, name, managing_organisation_id) VALUES ('nat2.prg_x', 'X', 'nat2')`),
        ),
      ).rejects.toThrow(/row-level security/);
    });

    it('shows a connection outside a scoped transaction nothing at all', async () => {
      expect(await subgraph.requestDataSource.getRepository(Organisation).count()).toBe(0);
      expect(await subgraph.requestDataSource.getRepository(ProgramPartner).count()).toBe(0);
    });
  });

  // last: it takes the wall down and puts it back
  it('has a migration whose down takes every policy away and whose up restores them', async () => {
    const TABLES = `('region', 'organisation', 'organisation_region', 'program', 'program_partner')`;
    const policies = () => subgraph.dataSource.query(`SELECT tablename, policyname, cmd, qual, with_check FROM pg_policies WHERE tablename IN ${TABLES} ORDER BY 1, 2`);
    const forced = () => subgraph.dataSource.query(`SELECT relname FROM pg_class WHERE relname IN ${TABLES} AND relrowsecurity AND relforcerowsecurity ORDER BY 1`);
    const functions = () => subgraph.dataSource.query(`SELECT proname FROM pg_proc WHERE proname LIKE 'hub\\_%' ORDER BY 1`);
    const wall = [await policies(), await forced(), await functions()];
    expect(wall[0]).toHaveLength(5 * 4);
    expect(wall[1]).toHaveLength(5);
    expect(wall[2]).toHaveLength(11);
    // the partner-node registry's migration comes after the wall's: both go down, and up again
    await subgraph.dataSource.undoLastMigration({ transaction: 'each' });
    await subgraph.dataSource.undoLastMigration({ transaction: 'each' });
    expect([await policies(), await forced(), await functions()]).toEqual([[], [], []]);
    await subgraph.dataSource.runMigrations({ transaction: 'each' });
    expect([await policies(), await forced(), await functions()]).toEqual(wall);
  });
});
