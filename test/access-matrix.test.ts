import { ScopeSigner, SCOPE_HEADER, type SubgraphName } from '@hub/core';
import { createSmallProgram, mutate, type SmallProgram } from './support/fixtures';
import { postGraphQL } from './support/graphql';
import { startTestHub, type Caller, type TestHub } from './support/hub';
import { scopeOf } from './support/scopes';
import { snapshotDatabases } from './support/snapshot';

/**
 * Every role of partner A against partner B's records: by ID, by list, nested through a
 * reference, by `_entities` representation, and every mutation. A gets nothing of B's and
 * changes nothing of B's.
 */
describe('access: another organisation\'s records', () => {
  let hub: TestHub;
  let program: SmallProgram;
  let callers: Record<(typeof roles)[number], Caller>;
  let otherProgram = '';
  const B = { org: 'partner-1', facilitator: '', community: '', session: '', poll: '', record: '', course: '', membership: '' };

  beforeAll(async () => {
    hub = await startTestHub({ accessScopeTtlMs: 0 });
    program = await createSmallProgram(hub, { partners: 2, facilitators: 2, groups: 1, sessionsPerGroup: 1, answersPerSession: 5 });
    const [a, b] = program.partners;
    B.facilitator = b.facilitatorIds[0];
    B.community = b.groupIds[0];
    const own = await b.admin.query(`query($c: ID!) { community(id: $c) { sessions { nodes { id polls { nodes { id } } } } } }`, { c: B.community });
    B.session = own.data?.community.sessions.nodes[0].id;
    B.poll = own.data?.community.sessions.nodes[0].polls.nodes[0].id;
    const { createTrainingCourse } = await mutate(program.manager, `mutation($p: ID!) { createTrainingCourse(input: { programId: $p, organisationId: "natmgr", name: "Foundations", validForMonths: 24 }) { id } }`, {
      p: program.programId,
    });
    B.course = createTrainingCourse.id;
    const { recordTraining } = await mutate(b.admin, `mutation($f: ID!, $c: ID!) { recordTraining(input: { facilitatorId: $f, courseId: $c, completedOn: "2026-01-10", accreditationLevel: PRACTITIONER }) { id } }`, {
      f: B.facilitator,
      c: B.course,
    });
    B.record = recordTraining.id;
    const { joinCommunity } = await mutate(b.admin, `mutation($f: ID!, $c: ID!) { joinCommunity(input: { facilitatorId: $f, communityId: $c }) { id } }`, { f: B.facilitator, c: B.community });
    B.membership = joinCommunity.id;
    // the national manager of another program, which partner B does not deliver
    const founder = await hub.as({ role: 'national-manager', org: 'othermgr' });
    await mutate(founder, `mutation { createOrganisation(input: { id: "othermgr", name: "Another manager", kind: NATIONAL_MANAGER }) { id } }`);
    const { createProgram: other } = await mutate(founder, `mutation { createProgram(input: { name: "Another program", managingOrganisationId: "othermgr" }) { id } }`);
    otherProgram = other.id;
    const otherManager = await hub.as({ role: 'national-manager', org: 'othermgr', programs: [other.id] });
    await mutate(otherManager, `mutation($p: ID!) { createTrainingCourse(input: { programId: $p, organisationId: "othermgr", name: "Their catalogue" }) { id } }`, { p: other.id });
    callers = {
      'national manager of another program': await hub.as({ role: 'national-manager', org: 'othermgr', programs: [other.id] }),
      'partner-admin': a.admin,
      facilitator: await hub.as({ role: 'facilitator', org: a.id, facilitator: a.facilitatorIds[0] }),
      participant: await hub.as({ role: 'participant', org: a.id, programs: [program.programId], sub: 'participant-a' }),
    };
  }, 120_000);
  afterAll(() => hub.stop());

  const roles = ['national manager of another program', 'partner-admin', 'facilitator', 'participant'] as const;
  const allowedErrors = (res: { errors?: readonly { extensions?: Record<string, unknown> }[] }) =>
    (res.errors ?? []).every((e) => ['FORBIDDEN', 'NOT_FOUND'].includes(String(e.extensions?.code)));

  describe.each(roles)('a %s (of partner A)', (role) => {
    it('gets nothing of B by ID', async () => {
      const res = await callers[role].query(
        `query($f: ID!, $c: ID!, $s: ID!, $p: ID!) { facilitator(id: $f) { id } community(id: $c) { id } session(id: $s) { id } poll(id: $p) { id } }`,
        { f: B.facilitator, c: B.community, s: B.session, p: B.poll },
      );
      expect(allowedErrors(res)).toBe(true);
      expect(res.data ?? {}).toEqual(expect.not.objectContaining({ facilitator: expect.anything() }));
      for (const field of ['facilitator', 'community', 'session', 'poll']) expect(res.data?.[field] ?? null).toBeNull();
    });

    it('gets nothing of B in lists, filtered or not', async () => {
      const res = await callers[role].query(
        `query($o: ID!) {
          all: facilitators(first: 100) { nodes { id } } theirs: facilitators(first: 100, filter: { organisationId: $o }) { totalCount }
          communities(first: 100) { nodes { id } } theirCommunities: communities(first: 100, filter: { organisationId: $o }) { totalCount }
          sessions(first: 100) { nodes { id } } theirSessions: sessions(first: 100, filter: { organisationId: $o }) { totalCount }
          polls(first: 100) { nodes { id } }
        }`,
        { o: B.org },
      );
      expect(allowedErrors(res)).toBe(true);
      const ids = JSON.stringify(res.data ?? {});
      expect(ids).not.toContain(`"${B.org}.`);
      for (const key of ['theirs', 'theirCommunities', 'theirSessions']) expect(res.data?.[key]?.totalCount ?? 0).toBe(0);
    });

    it('gets nothing of B nested through references', async () => {
      const res = await callers[role].query(
        `query($o: ID!, $p: ID!) {
          organisation(id: $o) {
            facilitators(first: 100) { nodes { id } } facilitatorCount
            communities(first: 100) { nodes { id } } communityCount sessionCount attendanceCount
            feedbackResponseCount
          }
          program(id: $p) { communities(first: 100) { nodes { id } } deliveryPartners { id facilitatorCount sessionCount } }
        }`,
        { o: B.org, p: program.programId },
      );
      expect(allowedErrors(res)).toBe(true);
      expect(JSON.stringify(res.data ?? {})).not.toContain(`"${B.org}.`);
      const org = res.data?.organisation ?? {};
      for (const count of ['facilitatorCount', 'communityCount', 'sessionCount', 'attendanceCount', 'feedbackResponseCount']) {
        expect({ count, value: org[count] ?? 0 }).toEqual({ count, value: 0 });
      }
      const partnerB = (res.data?.program?.deliveryPartners ?? []).find((p: { id: string }) => p.id === B.org);
      expect(partnerB?.facilitatorCount ?? 0).toBe(0);
      expect(partnerB?.sessionCount ?? 0).toBe(0);
    });

    it('changes nothing of B, whatever it tries', async () => {
      const before = await snapshotDatabases(hub);
      const attempts: [string, Record<string, unknown>][] = [
        [`mutation($id: ID!) { updateFacilitator(id: $id, input: { email: "stolen@example.org" }) { id } }`, { id: B.facilitator }],
        [`mutation { createFacilitator(input: { organisationId: "partner-1", givenName: "In", familyName: "Truder", email: "in@truder.example" }) { id } }`, {}],
        [`mutation($f: ID!, $c: ID!) { recordTraining(input: { facilitatorId: $f, courseId: $c, completedOn: "2026-02-01", accreditationLevel: TRAINER }) { id } }`, { f: B.facilitator, c: B.course }],
        [`mutation($id: ID!) { updateTrainingRecord(id: $id, input: { accreditationLevel: TRAINER }) { id } }`, { id: B.record }],
        [`mutation($m: ID!) { leaveCommunity(input: { membershipId: $m }) { id } }`, { m: B.membership }],
        [`mutation($f: ID!, $c: ID!) { joinCommunity(input: { facilitatorId: $f, communityId: $c, role: LEAD }) { id } }`, { f: B.facilitator, c: B.community }],
        [`mutation($id: ID!) { updateCommunity(id: $id, input: { name: "Taken over" }) { id } }`, { id: B.community }],
        [`mutation($p: ID!) { createCommunity(input: { organisationId: "partner-1", programId: $p, kind: GROUP, name: "Fake", mode: ONLINE }) { id } }`, { p: program.programId }],
        [`mutation($c: ID!) { scheduleSession(input: { communityId: $c, topic: "x", startsAt: "2031-01-01T10:00:00Z", endsAt: "2031-01-01T11:00:00Z" }) { id } }`, { c: B.community }],
        [`mutation($id: ID!) { updateSession(id: $id, input: { topic: "Changed" }) { id } }`, { id: B.session }],
        [`mutation($id: ID!) { cancelSession(id: $id) { id } }`, { id: B.session }],
        [`mutation($id: ID!) { startSession(id: $id) { id } }`, { id: B.session }],
        [`mutation($id: ID!) { endSession(id: $id) { id } }`, { id: B.session }],
        [`mutation($s: ID!) { recordAttendance(input: { sessionId: $s, attendees: [], unidentifiedAttendees: 0 }) { id } }`, { s: B.session }],
        [`mutation($p: ID!, $s: ID!) { createPoll(input: { organisationId: "partner-1", programId: $p, sessionId: $s, kind: POLL, question: "?", answerType: RATING }) { id } }`, { p: program.programId, s: B.session }],
        [`mutation($id: ID!) { closePoll(id: $id) { id } }`, { id: B.poll }],
        [`mutation($p: ID!) { submitResponse(input: { pollId: $p, rating: 1 }) { accepted } }`, { p: B.poll }],
        [`mutation { updateOrganisation(id: "partner-1", input: { name: "Renamed" }) { id } }`, {}],
        [`mutation($p: ID!) { updateProgram(id: $p, input: { minimumGroupSize: 3 }) { id } }`, { p: program.programId }],
        [`mutation($p: ID!) { setProgramPartner(programId: $p, organisationId: "partner-1") { joinedOn } }`, { p: program.programId }],
      ];
      if (role !== 'national manager of another program') {
        // registering organisations and regions is a national manager's job, but nobody else's
        attempts.push([`mutation { createOrganisation(input: { id: "rogue", name: "Rogue" }) { id } }`, {}]);
        attempts.push([`mutation { createRegion(input: { id: "rogue-land", name: "Rogue", level: STATE }) { id } }`, {}]);
      }
      for (const [query, variables] of attempts) {
        const res = await callers[role].query(query, variables);
        expect({ query, codes: (res.errors ?? []).map((e) => e.extensions?.code) }).toEqual({ query, codes: [expect.stringMatching(/^(FORBIDDEN|NOT_FOUND)$/)] });
      }
      expect(await snapshotDatabases(hub)).toEqual(before);
    });
  });

  it('does not let a token widen its wall by naming a program its organisation does not deliver', async () => {
    const catalogue = `query($p: ID!) { trainingCourses(programId: $p) { name } }`;
    const owner = await hub.as({ role: 'national-manager', org: 'othermgr', programs: [otherProgram] });
    expect((await owner.query(catalogue, { p: otherProgram })).data?.trainingCourses).toEqual([{ name: 'Their catalogue' }]);
    for (const role of ['partner-admin', 'facilitator', 'participant'] as const) {
      const claims = { role, org: 'partner-0', programs: [otherProgram], ...(role === 'facilitator' ? { facilitator: program.partners[0].facilitatorIds[0] } : {}) };
      const res = await (await hub.as(claims)).query(catalogue, { p: otherProgram });
      expect({ role, courses: res.data?.trainingCourses ?? [] }).toEqual({ role, courses: [] });
    }
  });

  it('refuses B\'s records by _entities representation, sent to each subgraph with A\'s signed scope', async () => {
    const signer = new ScopeSigner(hub.keys.gateway.privateKey);
    const scope = scopeOf('partner-admin', { organisation: 'partner-0', organisations: ['natmgr', 'partner-0'], programs: [program.programId] });
    const headers = { [SCOPE_HEADER]: await signer.sign(scope) };
    const cases: [SubgraphName, Record<string, string>, string][] = [
      ['facilitators', { __typename: 'Facilitator', id: B.facilitator }, '... on Facilitator { id email }'],
      ['sessions', { __typename: 'Community', id: B.community }, '... on Community { id name }'],
      ['sessions', { __typename: 'Session', id: B.session }, '... on Session { id topic }'],
      ['feedback', { __typename: 'Poll', id: B.poll }, '... on Poll { id question }'],
    ];
    for (const [subgraph, representation, selection] of cases) {
      const res = await postGraphQL(hub.subgraphs[subgraph].url(), `query($r: [_Any!]!) { _entities(representations: $r) { ${selection} } }`, { r: [representation] }, headers);
      expect({ representation, entities: res.data?._entities ?? [null] }).toEqual({ representation, entities: [null] });
    }
    const extensions: [SubgraphName, string][] = [
      ['facilitators', '... on Organisation { facilitatorCount facilitators { nodes { id } } }'],
      ['sessions', '... on Organisation { communityCount sessionCount communities { nodes { id } } }'],
      ['feedback', '... on Organisation { feedbackResponseCount }'],
    ];
    for (const [subgraph, selection] of extensions) {
      const res = await postGraphQL(hub.subgraphs[subgraph].url(), `query($r: [_Any!]!) { _entities(representations: $r) { ${selection} } }`, { r: [{ __typename: 'Organisation', id: B.org }] }, headers);
      expect(JSON.stringify(res.data)).not.toContain(`"${B.org}.`);
      for (const value of Object.values(res.data?._entities[0] ?? {})) if (typeof value === 'number') expect(value).toBe(0);
    }
  });

  describe('the national manager', () => {
    it('sees every partner\'s aggregates, and names only where the partner shares them', async () => {
      const overview = await program.manager.query(`query($p: ID!) { program(id: $p) { deliveryPartners { id facilitatorCount communityCount sessionCount } } }`, { p: program.programId });
      expect(overview.errors).toBeUndefined();
      expect(overview.data?.program.deliveryPartners).toEqual([
        { id: 'partner-0', facilitatorCount: 2, communityCount: 1, sessionCount: 1 },
        { id: 'partner-1', facilitatorCount: 2, communityCount: 1, sessionCount: 1 },
      ]);
      const person = `query($f: ID!) { facilitator(id: $f) { id givenName email detailsWithheld } }`;
      const withheld = await program.manager.query(person, { f: B.facilitator });
      expect(withheld.data?.facilitator).toEqual({ id: B.facilitator, givenName: null, email: null, detailsWithheld: true });

      // partner B opens its facilitators' contact details to the program
      await mutate(program.partners[1].admin, `mutation($p: ID!) { setSharingAgreement(programId: $p, input: { shareFacilitatorContacts: true }) { shareFacilitatorContacts } }`, { p: program.programId });
      const shared = await program.manager.query(person, { f: B.facilitator });
      expect(shared.data?.facilitator).toEqual({ id: B.facilitator, givenName: 'Fac', email: expect.stringContaining('@partner-1.example'), detailsWithheld: false });
      // partner A shares nothing, so its people stay withheld
      const other = await program.manager.query(person, { f: program.partners[0].facilitatorIds[0] });
      expect(other.data?.facilitator.detailsWithheld).toBe(true);
    });

    it('sees who came to a session only where the partner shares session details; counts always', async () => {
      const res = await program.manager.query(`query($s: ID!) { session(id: $s) { attendanceCount attendance { attendeeRef } } }`, { s: B.session });
      expect(res.data?.session.attendanceCount).toBe(6);
      expect(res.data?.session.attendance).toBeNull();
      expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    });

    it('cannot open a partner\'s sharing agreement itself', async () => {
      const res = await program.manager.query(`mutation($p: ID!) { setSharingAgreement(programId: $p, input: { shareSessionDetails: true }) { shareSessionDetails } }`, { p: program.programId });
      expect(['FORBIDDEN', 'NOT_FOUND']).toContain(res.errors?.[0].extensions?.code);
    });
  });

  it('shows a poll\'s results from its fifth answer, not its fourth', async () => {
    const a = program.partners[0];
    const session = (await a.admin.query(`{ sessions(first: 1) { nodes { id } } }`)).data?.sessions.nodes[0].id;
    const { createPoll } = await mutate(a.admin, `mutation($p: ID!, $s: ID!) { createPoll(input: { organisationId: "partner-0", programId: $p, sessionId: $s, kind: OUTCOME, question: "How useful?", answerType: RATING }) { id } }`, {
      p: program.programId,
      s: session,
    });
    const answer = async (n: number) => {
      const participant = await hub.as({ role: 'participant', org: 'partner-0', programs: [program.programId], sub: `outcome-${n}` });
      await mutate(participant, `mutation($p: ID!) { submitResponse(input: { pollId: $p, rating: 4 }) { accepted } }`, { p: createPoll.id });
    };
    const results = `query($p: ID!) { poll(id: $p) { results { responseCount suppressed } } }`;
    for (let n = 1; n <= 4; n++) await answer(n);
    expect((await a.admin.query(results, { p: createPoll.id })).data?.poll.results).toEqual({ responseCount: null, suppressed: true });
    await answer(5);
    expect((await a.admin.query(results, { p: createPoll.id })).data?.poll.results).toEqual({ responseCount: 5, suppressed: false });
  });
});
