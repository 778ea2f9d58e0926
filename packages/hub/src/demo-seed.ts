import { newId } from '@hub/core';
import { CommunityMembership, Facilitator, FacilitatorStatus, TrainingCourse, TrainingRecord } from '@hub/facilitators';
import { Organisation, OrganisationKind, OrganisationRegion, Program, ProgramPartner, Region, RegionLevel } from '@hub/partners';
import { Poll } from '@hub/feedback';
import { Attendance, Community, Rsvp, Session, SessionFacilitator } from '@hub/sessions';
import { COP_TOPICS, COPS, DELIVERY_PARTNERS, FAMILY, GIVEN, GROUP_TOPICS, seededRandom, STATES } from './demo-plan';
import { seedDemoFeedback, type FeedbackTarget } from './demo-feedback';
import { seedDemoForums } from './demo-forums';
import { seedDemoMaturity } from './demo-maturity';
import { seedDemoMembershipRules } from './demo-membership';
import { seedDemoStructure } from './demo-structure';
import type { Hub } from './hub';
import { insertAll } from './insert-all';

export interface DemoSummary {
  programId: string;
  yearStart: string;
  yearEnd: string;
  counts: Record<string, number>;
}

export const DEMO_PROGRAM_NAME = 'MyTime (demo)';
const NATIONAL = 'prc';
const DAY = 86_400_000;

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/**
 * Seeds the demo program into each subgraph's own database, unless a program of that name is
 * there already. Returns what `npm start` prints in its example query.
 */
export async function seedDemo(hub: Pick<Hub, 'subgraphs'>, log: (line: string) => void = () => undefined, now = new Date()): Promise<DemoSummary> {
  const year = now.getUTCFullYear();
  const yearStart = `${year}-01-01T00:00:00.000Z`;
  const yearEnd = `${year + 1}-01-01T00:00:00.000Z`;
  const partnersDs = hub.subgraphs.partners.dataSource;
  const existing = await partnersDs.getRepository(Program).findOneBy({ name: DEMO_PROGRAM_NAME });
  if (existing) {
    // the feedback database is written last: without its polls an earlier seed was cut short
    const complete = await hub.subgraphs.feedback.dataSource.getRepository(Poll).existsBy({ programId: existing.id });
    if (!complete) {
      throw new Error('An earlier demo seed was interrupted and left partial data. Delete .data/pg (or the hub_* databases) and start again.');
    }
    log(`Demo program already present (${existing.id}).`);
    return { programId: existing.id, yearStart, yearEnd, counts: {} };
  }
  const started = Date.now();
  log('Seeding the demo program…');
  const rnd = seededRandom(`hub-demo-${year}`);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];

  // partners: regions, organisations, the program and its partners
  const regions: Partial<Region>[] = [{ id: 'au', name: 'Australia', level: RegionLevel.COUNTRY, parentId: null }];
  for (const s of STATES) {
    regions.push({ id: s.id, name: s.name, level: RegionLevel.STATE, parentId: 'au' });
    for (const r of s.regions) regions.push({ id: `${s.id}-${r.toLowerCase().replace(/[^a-z]+/g, '-')}`, name: r, level: RegionLevel.REGION, parentId: s.id });
  }
  const regionsOf = (stateId: string) => regions.filter((r) => r.parentId === stateId).map((r) => r.id as string);
  const orgs: Partial<Organisation>[] = [
    { id: NATIONAL, name: 'National Parenting Centre (demo)', kind: OrganisationKind.NATIONAL_MANAGER, website: null },
    ...DELIVERY_PARTNERS.map((p) => ({ id: p.id, name: p.name, kind: OrganisationKind.DELIVERY_PARTNER, website: null })),
  ];
  const orgRegions: Partial<OrganisationRegion>[] = [
    { organisationId: NATIONAL, regionId: 'au' },
    ...DELIVERY_PARTNERS.flatMap((p) => [p.state, ...regionsOf(p.state)].map((regionId) => ({ organisationId: p.id, regionId }))),
  ];
  const programId = newId(NATIONAL, 'prg');
  const program: Partial<Program> = {
    id: programId,
    name: DEMO_PROGRAM_NAME,
    description: 'Peer support groups for parents and carers of children with additional needs, delivered by 8 partners, with facilitator Communities of Practice meeting quarterly.',
    managingOrganisationId: NATIONAL,
    minimumGroupSize: 5,
    // the three-tier loop of the source documents: regional forums feed a state-wide practitioner
    // forum, which feeds the strategic leadership forum
    tiers: [
      { key: 'strategic', name: 'Strategic leadership forum', level: 1 },
      { key: 'state', name: 'State-wide practitioner forum', level: 2 },
      { key: 'regional', name: 'Regional forum', level: 3 },
    ],
    reportingPeriods: [
      { name: `${year} January–June`, startsOn: `${year}-01-01`, endsOn: `${year}-06-30` },
      { name: `${year} July–December`, startsOn: `${year}-07-01`, endsOn: `${year}-12-31` },
    ],
  };
  const partners: Partial<ProgramPartner>[] = DELIVERY_PARTNERS.map((p, i) => ({
    programId,
    organisationId: p.id,
    joinedOn: `${year - 3}-07-01`,
    shareFacilitatorContacts: i % 3 === 0,
    shareSessionDetails: true,
    shareEngagementPlans: i % 2 === 0,
  }));
  await partnersDs.transaction(async (m) => {
    await insertAll(m, Region, regions);
    await insertAll(m, Organisation, orgs);
    await insertAll(m, OrganisationRegion, orgRegions);
    await insertAll(m, Program, [program]);
    await insertAll(m, ProgramPartner, partners);
  });

  // facilitators: people, training, and membership of the five national CoPs
  const facilitators: Partial<Facilitator>[] = [];
  const byPartner = new Map<string, string[]>();
  for (const p of DELIVERY_PARTNERS) {
    const ids: string[] = [];
    for (let i = 0; i < p.facilitators; i++) {
      const givenName = pick(GIVEN);
      const familyName = pick(FAMILY);
      const id = newId(p.id, 'fac');
      ids.push(id);
      facilitators.push({
        id,
        organisationId: p.id,
        givenName,
        familyName,
        email: `${givenName}.${familyName}.${i}@${p.id}.example`.toLowerCase(),
        phone: null,
        regionId: pick(regionsOf(p.state)),
        status: i === 0 ? FacilitatorStatus.ON_LEAVE : i === 1 && rnd() < 0.5 ? FacilitatorStatus.INACTIVE : FacilitatorStatus.ACTIVE,
      });
    }
    byPartner.set(p.id, ids);
  }
  const courses: Partial<TrainingCourse>[] = [
    { id: newId(NATIONAL, 'trc'), programId, organisationId: NATIONAL, name: 'Group facilitation foundations', description: 'Core training for new group facilitators.', validForMonths: null },
    { id: newId(NATIONAL, 'trc'), programId, organisationId: NATIONAL, name: 'Trauma-informed practice', description: 'Renewed every two years.', validForMonths: 24 },
    { id: newId(NATIONAL, 'trc'), programId, organisationId: NATIONAL, name: 'Child safety refresher', description: 'Yearly.', validForMonths: 12 },
  ];
  const levels = ['FOUNDATION', 'PRACTITIONER', 'ADVANCED', 'TRAINER'] as const;
  const records: Partial<TrainingRecord>[] = [];
  for (const f of facilitators) {
    courses.forEach((c, ci) => {
      if (ci > 0 && rnd() < 0.3) return;
      const completed = new Date(Date.UTC(year - 1 - Math.floor(rnd() * 3), Math.floor(rnd() * 12), 1 + Math.floor(rnd() * 27)));
      records.push({
        id: newId(f.organisationId as string, 'trr'),
        organisationId: f.organisationId,
        facilitatorId: f.id,
        courseId: c.id,
        completedOn: isoDay(completed),
        accreditationLevel: levels[Math.min(3, Math.floor(rnd() * 4))] as TrainingRecord['accreditationLevel'],
        expiresOn: c.validForMonths ? isoDay(new Date(Date.UTC(completed.getUTCFullYear(), completed.getUTCMonth() + c.validForMonths, completed.getUTCDate()))) : null,
      });
    });
  }

  // sessions: 200+ groups meeting fortnightly, five national CoPs meeting quarterly
  const communities: Partial<Community>[] = [];
  const sessions: Partial<Session>[] = [];
  const sessionFacilitators: Partial<SessionFacilitator>[] = [];
  const rsvps: Partial<Rsvp>[] = [];
  const attendance: Partial<Attendance>[] = [];
  const feedbackTargets: FeedbackTarget[] = [];
  const memberships: Partial<CommunityMembership>[] = [];
  const nowMs = now.getTime();

  const addSession = (community: Partial<Community>, startsAt: Date, topic: string, facilitatorIds: string[], attendees: { ref: string; kind: 'PARTICIPANT' | 'FACILITATOR' }[], unidentified: number) => {
    const org = community.organisationId as string;
    const id = newId(org, 'ses');
    const past = startsAt.getTime() + 2 * 3_600_000 < nowMs;
    sessions.push({
      id,
      communityId: community.id,
      organisationId: org,
      programId,
      topic,
      startsAt,
      endsAt: new Date(startsAt.getTime() + 2 * 3_600_000),
      mode: community.mode,
      location: community.mode === 'ONLINE' ? null : 'Community centre meeting room',
      status: (past ? 'ENDED' : 'SCHEDULED') as Session['status'],
      formatPhases: community.formatPhases,
      currentPhase: null,
      unidentifiedAttendees: past ? unidentified : 0,
    });
    facilitatorIds.forEach((facilitatorId, position) => sessionFacilitators.push({ sessionId: id, facilitatorId, position }));
    if (past) {
      for (const a of attendees) attendance.push({ id: newId(org, 'att'), sessionId: id, organisationId: org, attendeeRef: a.ref, kind: a.kind as Attendance['kind'] });
    } else if (startsAt.getTime() - nowMs < 21 * DAY) {
      for (const a of attendees) {
        const r = rnd();
        rsvps.push({ id: newId(org, 'rsv'), sessionId: id, organisationId: org, participantRef: a.ref, response: (r < 0.7 ? 'GOING' : r < 0.85 ? 'MAYBE' : 'NOT_GOING') as Rsvp['response'] });
      }
    }
    return { id, past, day: isoDay(startsAt), attendees: attendees.map((a) => a.ref) };
  };

  let groupNo = 0;
  for (const p of DELIVERY_PARTNERS) {
    const team = byPartner.get(p.id) as string[];
    for (let g = 0; g < p.groups; g++) {
      groupNo++;
      const online = rnd() < 0.25;
      const community: Partial<Community> = {
        id: newId(p.id, 'com'),
        organisationId: p.id,
        programId,
        kind: 'GROUP' as Community['kind'],
        tier: null,
        name: `${pick(regionsOf(p.state).map((r) => regions.find((x) => x.id === r)?.name as string))} parents group ${g + 1}`,
        purpose: 'Peer support for parents and carers of children with additional needs.',
        termsOfReference: '',
        codeOfPractice: 'What is shared in the group stays in the group.',
        cadence: 'fortnightly',
        mode: (online ? 'ONLINE' : 'IN_PERSON') as Community['mode'],
        regionId: pick(regionsOf(p.state)),
        maturityStage: pick(['COALESCING', 'MATURING', 'MATURING', 'STEWARDSHIP']) as Community['maturityStage'],
        formatPhases: ['Welcome', 'Share', 'Discuss', 'Close'],
      };
      communities.push(community);
      const lead = team[g % team.length];
      const co = team[(g + 3) % team.length];
      const members = Array.from({ length: 6 + Math.floor(rnd() * 7) }, (_, k) => `p${groupNo}-${k + 1}`);
      const firstDay = Date.UTC(year, 1, 1 + Math.floor(rnd() * 14), online ? 9 : 0, 30);
      const sessionIds: FeedbackTarget['sessions'] = [];
      for (let s = 0; s < 23; s++) {
        const startsAt = new Date(firstDay + s * 14 * DAY + 9 * 3_600_000);
        // attendance drifts down over the year, as the source documents warn
        const stay = 0.88 - (0.25 * s) / 23;
        const came = members.filter(() => rnd() < stay).map((ref) => ({ ref, kind: 'PARTICIPANT' as const }));
        sessionIds.push(addSession(community, startsAt, GROUP_TOPICS[s % GROUP_TOPICS.length], s % 4 === 3 ? [co] : [lead, co], came, Math.floor(rnd() * 3)));
      }
      feedbackTargets.push({ organisationId: p.id, communityId: community.id as string, sessions: sessionIds, members });
    }
  }
  // five national CoPs, owned by the national manager, each with ~30 facilitators from every partner
  const everyone = facilitators.filter((f) => f.status !== FacilitatorStatus.INACTIVE);
  COPS.forEach((name, c) => {
    const community: Partial<Community> = {
      id: newId(NATIONAL, 'com'),
      organisationId: NATIONAL,
      programId,
      kind: 'COMMUNITY_OF_PRACTICE' as Community['kind'],
      tier: null,
      name,
      purpose: 'A space for facilitators to share successes, challenges and ideas, and for the national manager to hear from them directly.',
      termsOfReference: 'Meets online four times a year, facilitated by the national program manager.',
      codeOfPractice: 'Respect, confidentiality, and sharing the facilitation load.',
      cadence: 'quarterly',
      mode: 'ONLINE' as Community['mode'],
      regionId: 'au',
      maturityStage: (c < 2 ? 'MATURING' : 'COALESCING') as Community['maturityStage'],
      formatPhases: ['Share', 'Discuss', 'Apply'],
    };
    communities.push(community);
    const members = everyone.filter((_, i) => i % COPS.length === c);
    for (const f of members) {
      memberships.push({
        id: newId(f.organisationId as string, 'mem'),
        organisationId: f.organisationId,
        facilitatorId: f.id,
        communityId: community.id,
        role: 'MEMBER' as CommunityMembership['role'],
        joinedOn: `${year - 1}-11-01`,
        leftOn: null,
        confidentialityAgreed: true,
      });
    }
    const sessionIds: FeedbackTarget['sessions'] = [];
    for (let q = 0; q < 4; q++) {
      const startsAt = new Date(Date.UTC(year, 1 + q * 3, 10 + c, 0, 0));
      const came = members.filter(() => rnd() < 0.7).map((f) => ({ ref: f.id as string, kind: 'FACILITATOR' as const }));
      sessionIds.push(addSession(community, startsAt, COP_TOPICS[q], [members[q % members.length].id as string], came, 0));
    }
    feedbackTargets.push({ organisationId: NATIONAL, communityId: community.id as string, sessions: sessionIds, members: members.map((m) => m.id as string) });
  });

  await hub.subgraphs.facilitators.dataSource.transaction(async (m) => {
    await insertAll(m, Facilitator, facilitators);
    await insertAll(m, TrainingCourse, courses);
    await insertAll(m, TrainingRecord, records);
    await insertAll(m, CommunityMembership, memberships);
  });
  await hub.subgraphs.sessions.dataSource.transaction(async (m) => {
    await insertAll(m, Community, communities);
    await insertAll(m, Session, sessions);
    await insertAll(m, SessionFacilitator, sessionFacilitators);
    await insertAll(m, Rsvp, rsvps);
    await insertAll(m, Attendance, attendance);
  });
  // the community-of-practice lifecycle: co-designed structure, versioned documents, learnings and
  // resources; the three-tier forums and overlapping engagements; membership rules
  const structure = await seedDemoStructure(hub, programId, now);
  const forums = await seedDemoForums(hub, programId, {
    nationalId: NATIONAL,
    partnerIds: [DELIVERY_PARTNERS[0].id, DELIVERY_PARTNERS[1].id],
    regionId: DELIVERY_PARTNERS[0].state,
    now,
  });
  const membership = await seedDemoMembershipRules(hub, { programId });
  // the feedback database is written last: its polls mark a complete seed
  const feedback = await seedDemoFeedback(hub.subgraphs.feedback.dataSource, { programId, targets: feedbackTargets, random: rnd });
  const maturity = await seedDemoMaturity(hub.subgraphs.feedback.dataSource, { programId, nationalOrganisationId: NATIONAL, targets: feedbackTargets, random: rnd, now });

  const counts = {
    organisations: orgs.length,
    facilitators: facilitators.length,
    trainingRecords: records.length,
    groups: communities.filter((c) => c.kind === 'GROUP').length,
    communitiesOfPractice: COPS.length,
    sessions: sessions.length,
    attendance: attendance.length,
    rsvps: rsvps.length,
    ...structure.counts,
    ...forums,
    ...membership,
    ...feedback,
    ...maturity,
  };
  log(`Seeded in ${((Date.now() - started) / 1000).toFixed(1)} s: ${Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ')}.`);
  return { programId, yearStart, yearEnd, counts };
}
