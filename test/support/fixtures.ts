import type { TestHub } from './hub';

/** Runs a mutation through the gateway and fails loudly on any error, returning `data`. */
export async function mutate<T = Record<string, any>>(hub: TestHub, query: string, variables?: Record<string, unknown>): Promise<T> {
  const res = await hub.query<T>(query, variables);
  if (res.errors?.length) throw new Error(`${query.slice(0, 80)}…: ${JSON.stringify(res.errors)}`);
  return res.data as T;
}

export interface SmallProgram {
  programId: string;
  partners: { id: string; facilitatorIds: string[]; groupIds: string[] }[];
}

const HOUR = 3_600_000;

/**
 * A small program built entirely through the gateway's public API, the way a national manager
 * and partner admins would: a manager, `partners` delivery partners each with facilitators,
 * groups, past sessions with attendance, and answered check-ins.
 */
export async function createSmallProgram(hub: TestHub, shape: { partners: number; facilitators: number; groups: number; sessionsPerGroup: number; answersPerSession: number }): Promise<SmallProgram> {
  await mutate(hub, `mutation { createOrganisation(input: { id: "natmgr", name: "National manager", kind: NATIONAL_MANAGER }) { id } }`);
  const { createProgram } = await mutate(hub, `mutation { createProgram(input: { name: "Test program", managingOrganisationId: "natmgr" }) { id } }`);
  const programId: string = createProgram.id;
  const partners: SmallProgram['partners'] = [];
  for (let p = 0; p < shape.partners; p++) {
    const orgId = `partner-${p}`;
    await mutate(hub, `mutation($id: ID!, $name: String!) { createOrganisation(input: { id: $id, name: $name }) { id } }`, { id: orgId, name: orgId });
    await mutate(hub, `mutation($p: ID!, $o: ID!) { setProgramPartner(programId: $p, organisationId: $o) { joinedOn } }`, { p: programId, o: orgId });
    const facilitatorIds: string[] = [];
    for (let f = 0; f < shape.facilitators; f++) {
      const { createFacilitator } = await mutate(
        hub,
        `mutation($o: ID!, $e: String!) { createFacilitator(input: { organisationId: $o, givenName: "Fac", familyName: "Ilitator", email: $e }) { id } }`,
        { o: orgId, e: `f${f}@${orgId}.example` },
      );
      facilitatorIds.push(createFacilitator.id);
    }
    const groupIds: string[] = [];
    for (let g = 0; g < shape.groups; g++) {
      const { createCommunity } = await mutate(
        hub,
        `mutation($o: ID!, $p: ID!, $n: String!) { createCommunity(input: { organisationId: $o, programId: $p, kind: GROUP, name: $n, mode: IN_PERSON }) { id } }`,
        { o: orgId, p: programId, n: `Group ${g}` },
      );
      groupIds.push(createCommunity.id);
      for (let s = 0; s < shape.sessionsPerGroup; s++) {
        const startsAt = new Date(Date.now() - (s + 1) * 24 * HOUR);
        const { scheduleSession } = await mutate(
          hub,
          `mutation($c: ID!, $s: DateTimeISO!, $e: DateTimeISO!, $f: [ID!]!) { scheduleSession(input: { communityId: $c, topic: "Check in", startsAt: $s, endsAt: $e, facilitatorIds: $f }) { id } }`,
          { c: createCommunity.id, s: startsAt.toISOString(), e: new Date(startsAt.getTime() + 2 * HOUR).toISOString(), f: facilitatorIds.slice(0, 2) },
        );
        const sessionId: string = scheduleSession.id;
        await mutate(hub, `mutation($id: ID!) { endSession(id: $id) { status } }`, { id: sessionId });
        const attendees = Array.from({ length: shape.answersPerSession }, (_, i) => ({ attendeeRef: `p-${g}-${i}` }));
        await mutate(hub, `mutation($i: RecordAttendanceInput!) { recordAttendance(input: $i) { id } }`, { i: { sessionId, attendees, unidentifiedAttendees: 1 } });
        const { createPoll } = await mutate(
          hub,
          `mutation($o: ID!, $p: ID!, $s: ID!) { createPoll(input: { organisationId: $o, programId: $p, sessionId: $s, kind: CHECK_IN, question: "Still meeting your needs?", answerType: RATING }) { id } }`,
          { o: orgId, p: programId, s: sessionId },
        );
        for (const a of attendees) {
          await mutate(hub, `mutation($i: SubmitResponseInput!) { submitResponse(input: $i) { accepted } }`, { i: { pollId: createPoll.id, participantRef: a.attendeeRef, rating: 4 } });
        }
      }
    }
    partners.push({ id: orgId, facilitatorIds, groupIds });
  }
  return { programId, partners };
}
