import type { Caller, TestHub } from './hub';

/** Runs a mutation through the gateway as `caller` and fails loudly on any error, returning `data`. */
export async function mutate<T = Record<string, any>>(caller: Caller, query: string, variables?: Record<string, unknown>): Promise<T> {
  const res = await caller.query<T>(query, variables);
  if (res.errors?.length) throw new Error(`${query.slice(0, 80)}…: ${JSON.stringify(res.errors)}`);
  return res.data as T;
}

export interface SmallProgram {
  programId: string;
  /** The program's national manager (organisation `natmgr`). */
  manager: Caller;
  partners: { id: string; admin: Caller; facilitatorIds: string[]; groupIds: string[] }[];
}

const HOUR = 3_600_000;

/**
 * A small program built entirely through the gateway's public API, the way a national manager
 * and partner admins would: a manager, `partners` delivery partners each with facilitators,
 * groups, past sessions with attendance, and answered check-ins.
 */
export async function createSmallProgram(hub: TestHub, shape: { partners: number; facilitators: number; groups: number; sessionsPerGroup: number; answersPerSession: number }): Promise<SmallProgram> {
  // the national manager registers itself, its program and the partners; each partner's admin does the rest
  const founder = await hub.as({ role: 'national-manager', org: 'natmgr' });
  await mutate(founder, `mutation { createOrganisation(input: { id: "natmgr", name: "National manager", kind: NATIONAL_MANAGER }) { id } }`);
  const { createProgram } = await mutate(founder, `mutation { createProgram(input: { name: "Test program", managingOrganisationId: "natmgr" }) { id } }`);
  const programId: string = createProgram.id;
  const manager = await hub.as({ role: 'national-manager', org: 'natmgr', programs: [programId] });
  const partners: SmallProgram['partners'] = [];
  for (let p = 0; p < shape.partners; p++) {
    const orgId = `partner-${p}`;
    await mutate(manager, `mutation($id: ID!, $name: String!) { createOrganisation(input: { id: $id, name: $name }) { id } }`, { id: orgId, name: orgId });
    await mutate(manager, `mutation($p: ID!, $o: ID!) { setProgramPartner(programId: $p, organisationId: $o) { joinedOn } }`, { p: programId, o: orgId });
    const admin = await hub.as({ role: 'partner-admin', org: orgId });
    const facilitatorIds: string[] = [];
    for (let f = 0; f < shape.facilitators; f++) {
      const { createFacilitator } = await mutate(
        admin,
        `mutation($o: ID!, $e: String!) { createFacilitator(input: { organisationId: $o, givenName: "Fac", familyName: "Ilitator", email: $e }) { id } }`,
        { o: orgId, e: `f${f}@${orgId}.example` },
      );
      facilitatorIds.push(createFacilitator.id);
    }
    const groupIds: string[] = [];
    for (let g = 0; g < shape.groups; g++) {
      const { createCommunity } = await mutate(
        admin,
        `mutation($o: ID!, $p: ID!, $n: String!) { createCommunity(input: { organisationId: $o, programId: $p, kind: GROUP, name: $n, mode: IN_PERSON }) { id } }`,
        { o: orgId, p: programId, n: `Group ${g}` },
      );
      groupIds.push(createCommunity.id);
      for (let s = 0; s < shape.sessionsPerGroup; s++) {
        const startsAt = new Date(Date.now() - (s + 1) * 24 * HOUR);
        const { scheduleSession } = await mutate(
          admin,
          `mutation($c: ID!, $s: DateTimeISO!, $e: DateTimeISO!, $f: [ID!]!) { scheduleSession(input: { communityId: $c, topic: "Check in", startsAt: $s, endsAt: $e, facilitatorIds: $f }) { id } }`,
          { c: createCommunity.id, s: startsAt.toISOString(), e: new Date(startsAt.getTime() + 2 * HOUR).toISOString(), f: facilitatorIds.slice(0, 2) },
        );
        const sessionId: string = scheduleSession.id;
        await mutate(admin, `mutation($id: ID!) { endSession(id: $id) { status } }`, { id: sessionId });
        const attendees = Array.from({ length: shape.answersPerSession }, (_, i) => ({ attendeeRef: `p-${g}-${i}` }));
        await mutate(admin, `mutation($i: RecordAttendanceInput!) { recordAttendance(input: $i) { id } }`, { i: { sessionId, attendees, unidentifiedAttendees: 1 } });
        const { createPoll } = await mutate(
          admin,
          `mutation($o: ID!, $p: ID!, $s: ID!) { createPoll(input: { organisationId: $o, programId: $p, sessionId: $s, kind: CHECK_IN, question: "Still meeting your needs?", answerType: RATING }) { id } }`,
          { o: orgId, p: programId, s: sessionId },
        );
        for (const a of attendees) {
          const participant = await hub.as({ role: 'participant', org: orgId, programs: [programId], sub: a.attendeeRef });
          await mutate(participant, `mutation($i: SubmitResponseInput!) { submitResponse(input: $i) { accepted } }`, { i: { pollId: createPoll.id, rating: 4 } });
        }
      }
    }
    partners.push({ id: orgId, admin, facilitatorIds, groupIds });
  }
  return { programId, manager, partners };
}
