import { createSmallProgram, mutate, type SmallProgram } from './support/fixtures';
import { startTestHub, type Caller, type TestHub } from './support/hub';

const HOUR = 3_600_000;

/**
 * Issue 6 item 2 through the gateway: a community of practice's membership rules are checked when
 * a facilitator joins (refused with the reason), members who break one later are reported to the
 * community's administrators, and each member's share of the facilitation is visible.
 */
describe('community of practice membership rules, through the gateway', () => {
  let hub: TestHub;
  let program: SmallProgram;
  let manager: Caller;
  let adminA: Caller;
  let adminB: Caller;
  let cop = '';
  let course = '';
  const A: string[] = [];
  const B: string[] = [];

  const fieldsOf = (res: { errors?: readonly { extensions?: Record<string, unknown> }[] }) => res.errors?.[0]?.extensions?.fields;
  const codeOf = (res: { errors?: readonly { extensions?: Record<string, unknown> }[] }) => res.errors?.[0]?.extensions?.code;
  const join = (caller: Caller, facilitatorId: string, extra: Record<string, unknown> = {}) =>
    caller.query(`mutation($i: JoinCommunityInput!) { joinCommunity(input: $i) { id } }`, { i: { facilitatorId, communityId: cop, confidentialityAgreed: true, ...extra } });
  const members = async () =>
    (await manager.query(`query($c: ID!) { community(id: $c) { members { nodes { facilitator { id } } } } }`, { c: cop })).data?.community.members.nodes.map(
      (n: { facilitator: { id: string } }) => n.facilitator.id,
    );

  beforeAll(async () => {
    hub = await startTestHub({ accessScopeTtlMs: 0 });
    program = await createSmallProgram(hub, { partners: 2, facilitators: 4, groups: 1, sessionsPerGroup: 0, answersPerSession: 0 });
    manager = program.manager;
    [adminA, adminB] = program.partners.map((p) => p.admin);
    A.push(...program.partners[0].facilitatorIds);
    B.push(...program.partners[1].facilitatorIds);
    const { createCommunity } = await mutate(
      manager,
      `mutation($p: ID!) { createCommunity(input: { organisationId: "natmgr", programId: $p, kind: COMMUNITY_OF_PRACTICE, name: "Queensland practitioners CoP", mode: ONLINE }) { id } }`,
      { p: program.programId },
    );
    cop = createCommunity.id;
    const { createTrainingCourse } = await mutate(
      manager,
      `mutation($p: ID!) { createTrainingCourse(input: { programId: $p, organisationId: "natmgr", name: "Group facilitation foundations" }) { id } }`,
      { p: program.programId },
    );
    course = createTrainingCourse.id;
    const train = (admin: Caller, facilitatorId: string, level: string, completedOn = '2024-03-01', expiresOn: string | null = null) =>
      mutate(admin, `mutation($i: RecordTrainingInput!) { recordTraining(input: $i) { id } }`, {
        i: { facilitatorId, courseId: course, completedOn, accreditationLevel: level, expiresOn },
      });
    const place = (admin: Caller, id: string, regionId: string) => mutate(admin, `mutation($id: ID!, $r: ID) { updateFacilitator(id: $id, input: { regionId: $r }) { id } }`, { id, r: regionId });
    // A0 complies; A1's training was current in 2020 but has expired since; A2 is untrained; A3 works in Victoria
    await train(adminA, A[0], 'ADVANCED');
    await train(adminA, A[1], 'PRACTITIONER', '2019-02-01', '2021-02-01');
    await train(adminA, A[3], 'TRAINER');
    await train(adminB, B[0], 'PRACTITIONER');
    for (const id of [A[0], A[1], A[2]]) await place(adminA, id, 'au-qld-north');
    await place(adminA, A[3], 'au-vic-gippsland');
    await place(adminB, B[0], 'au-qld');
    await mutate(manager, `mutation($c: ID!, $i: SetMembershipRulesInput!) { setMembershipRules(communityId: $c, input: $i) { facilitatesOneIn } }`, {
      c: cop,
      i: {
        requiredTraining: [{ courseId: course, minimumLevel: 'PRACTITIONER' }],
        acceptedRegionIds: ['au-qld', 'au-qld-north', 'au-qld-south'],
        confidentialityRequired: true,
        facilitatesOneIn: 3,
      },
    });
  }, 120_000);
  afterAll(() => hub.stop());

  it('refuses a facilitator without the required training, with the reason, changing nothing', async () => {
    const res = await join(adminA, A[2]);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(res)).toEqual([{ field: 'input.facilitatorId', message: 'has not completed Group facilitation foundations (PRACTITIONER or above)' }]);
    expect(await members()).toEqual([]);
  });

  it('refuses a facilitator working outside the community\'s regions', async () => {
    const res = await join(adminA, A[3]);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(res)).toEqual([
      { field: 'input.facilitatorId', message: 'works in au-vic-gippsland, which is not a region this community accepts (au-qld, au-qld-north, au-qld-south)' },
    ]);
  });

  it('refuses a facilitator who has not agreed to confidentiality, even joining itself', async () => {
    const itself = await hub.as({ role: 'facilitator', org: program.partners[1].id, facilitator: B[0] });
    const res = await join(itself, B[0], { confidentialityAgreed: false });
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(res)).toEqual([{ field: 'input.confidentialityAgreed', message: 'has not agreed to keep what is shared in this community confidential' }]);
    expect(await members()).toEqual([]);
  });

  it('lets compliant facilitators join', async () => {
    expect((await join(adminA, A[0])).errors).toBeUndefined();
    const itself = await hub.as({ role: 'facilitator', org: program.partners[1].id, facilitator: B[0] });
    expect((await join(itself, B[0])).errors).toBeUndefined();
    // A1's training was current on its (backdated) joining day
    expect((await join(adminA, A[1], { joinedOn: '2020-06-01' })).errors).toBeUndefined();
    expect((await members()).sort()).toEqual([A[0], A[1], B[0]].sort());
  });

  it('reports a member whose training has since expired to the community\'s administrators', async () => {
    const res = await manager.query(`query($c: ID!) { community(id: $c) { ruleBreaches { rule reason membership { facilitator { id accreditation trainingRecords { expired } } } } } }`, { c: cop });
    expect(res.errors).toBeUndefined();
    expect(res.data?.community.ruleBreaches).toEqual([
      {
        rule: 'TRAINING',
        reason: 'has completed Group facilitation foundations (PRACTITIONER or above), but it expired on 2021-02-01',
        membership: { facilitator: { id: A[1], accreditation: null, trainingRecords: [{ expired: true }] } },
      },
    ]);
    // the member's own administrators see it on the membership
    const own = await adminA.query(`query($f: ID!) { facilitator(id: $f) { memberships { breaches { rule } } } }`, { f: A[1] });
    expect(own.data?.facilitator.memberships[0].breaches).toEqual([{ rule: 'TRAINING' }]);
  });

  it('shows each member\'s share of the facilitation', async () => {
    const schedule = async (daysAgo: number, facilitatorIds: string[]) => {
      const startsAt = new Date(Date.now() - daysAgo * 24 * HOUR);
      await mutate(manager, `mutation($i: ScheduleSessionInput!) { scheduleSession(input: $i) { id } }`, {
        i: { communityId: cop, topic: 'Quarterly practice sharing', startsAt: startsAt.toISOString(), endsAt: new Date(startsAt.getTime() + 2 * HOUR).toISOString(), facilitatorIds },
      });
    };
    await schedule(90, [A[0]]);
    await schedule(60, [A[0], B[0]]);
    await schedule(30, [B[0]]);
    await schedule(10, [A[0]]);
    const res = await manager.query(
      `query($c: ID!) { community(id: $c) {
        membershipRules { facilitatesOneIn minimumFacilitationShare }
        members { nodes { facilitator { id } } }
        facilitationShare { facilitator { id } sessionsFacilitated share }
      } }`,
      { c: cop },
    );
    expect(res.errors).toBeUndefined();
    const community = res.data?.community;
    expect(community.membershipRules).toEqual({ facilitatesOneIn: 3, minimumFacilitationShare: 1 / 3 });
    expect(community.facilitationShare).toEqual([
      { facilitator: { id: A[0] }, sessionsFacilitated: 3, share: 0.75 },
      { facilitator: { id: B[0] }, sessionsFacilitated: 2, share: 0.5 },
    ]);
    // a client finds who does less than the community expects: A1 facilitates none
    const shares = new Map(community.facilitationShare.map((s: { facilitator: { id: string }; share: number }) => [s.facilitator.id, s.share]));
    const below = community.members.nodes
      .map((n: { facilitator: { id: string } }) => n.facilitator.id)
      .filter((id: string) => ((shares.get(id) as number | undefined) ?? 0) < community.membershipRules.minimumFacilitationShare);
    expect(below).toEqual([A[1]]);
  });

  it('keeps the rules from another partner, who cannot change them either', async () => {
    const group = program.partners[0].groupIds[0];
    await mutate(adminA, `mutation($c: ID!) { setMembershipRules(communityId: $c, input: { confidentialityRequired: true }) { confidentialityRequired } }`, { c: group });
    const seen = await adminB.query(`query($c: ID!) { community(id: $c) { membershipRules { confidentialityRequired } } }`, { c: group });
    expect(seen.errors).toBeUndefined();
    expect(seen.data?.community).toBeNull();
    const changed = await adminB.query(`mutation($c: ID!) { setMembershipRules(communityId: $c, input: { confidentialityRequired: false }) { confidentialityRequired } }`, { c: group });
    expect(codeOf(changed)).toBe('NOT_FOUND');
    // a partner reads the national CoP's rules, but neither changes them nor sees who breaks them
    const national = await adminB.query(`mutation($c: ID!) { setMembershipRules(communityId: $c, input: {}) { confidentialityRequired } }`, { c: cop });
    expect(codeOf(national)).toBe('FORBIDDEN');
    const report = await adminB.query(`query($c: ID!) { community(id: $c) { membershipRules { confidentialityRequired } ruleBreaches { rule } } }`, { c: cop });
    expect(report.data?.community).toEqual({ membershipRules: { confidentialityRequired: true }, ruleBreaches: null });
    expect(codeOf(report)).toBe('FORBIDDEN');
    const own = await adminA.query(`query($c: ID!) { community(id: $c) { membershipRules { confidentialityRequired } } }`, { c: group });
    expect(own.data?.community.membershipRules).toEqual({ confidentialityRequired: true });
  });
});
