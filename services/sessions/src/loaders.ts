import { aggregateLoader, countBy, countEach, loaderById, loaderGrouped, paginateEach, type AccessScope, withinWall } from '@hub/core';
import { In, type EntityManager } from 'typeorm';
import { Attendance } from './attendance.entity';
import { Community } from './community.entity';
import { COMMUNITY_ORDER, whereCommunities, type CommunityCriteria } from './community-query';
import { createCopLoaders } from './cop-loaders';
import { createForumLoaders } from './cop-forum-loaders';
import { facilitationShareLoader } from './facilitation-share.resolver';
import { Rsvp, RsvpCounts, RsvpResponse } from './rsvp.entity';
import { Session } from './session.entity';
import { SessionFacilitator } from './session-facilitator.entity';
import { SESSION_ORDER, whereSessions, type SessionCriteria } from './session-query';
import { readable } from './wall';

/** Identified attendance plus the unidentified count of every session. */
const ATTENDANCE_SUM = 'COALESCE(SUM(session.unidentified_attendees + (SELECT COUNT(*) FROM attendance a WHERE a.session_id = session.id)), 0)';

/**
 * Per-request loaders of the sessions subgraph: one statement per relation, list or count per request.
 * Every query keeps to the organisations the caller may read (row-level security does too): records
 * outside its wall are absent from lists and counts, and null by ID.
 */
export function createSessionsLoaders(ds: EntityManager, scope: AccessScope) {
  const sessions = () => withinWall(ds.getRepository(Session).createQueryBuilder('session'), scope, 'session.organisation_id');
  const facilitatedSessions = () => sessions().innerJoin(SessionFacilitator, 'sf', 'sf.session_id = session.id');
  const communities = () => withinWall(ds.getRepository(Community).createQueryBuilder('community'), scope, 'community.organisation_id');
  const readableOnly = <T extends { organisationId: string }>(rows: T[]) => rows.filter((r) => readable(scope, r));

  const community = loaderById(
    async (ids: readonly string[]) => readableOnly(await ds.getRepository(Community).findBy({ id: In([...ids]) })),
    (c) => c.id,
  );
  const session = loaderById(async (ids: readonly string[]) => readableOnly(await ds.getRepository(Session).findBy({ id: In([...ids]) })), (s) => s.id);

  // A parent's count and its pages are taken from the same rows, so the two always agree.
  const sessionsBy = (parent: string, from = sessions) => ({
    parent,
    query: (ids: string[], c: SessionCriteria) => whereSessions(from(), c).andWhere(`${parent} IN (:...ids)`, { ids }),
  });
  const communitiesBy = (parent: string) => ({
    parent,
    query: (ids: string[], c: CommunityCriteria) => whereCommunities(communities(), c).andWhere(`${parent} IN (:...ids)`, { ids }),
  });

  const sessionCountOfCommunity = countEach(sessionsBy('session.community_id'));
  const sessionCountOfFacilitator = countEach(sessionsBy('sf.facilitator_id', facilitatedSessions));
  const communityCountOfOrganisation = countEach(communitiesBy('community.organisation_id'));
  const communityCountOfProgram = countEach(communitiesBy('community.program_id'));

  return {
    ...createCopLoaders(ds, scope),
    ...createForumLoaders(ds, scope),
    facilitationShare: facilitationShareLoader(ds, scope),
    community,
    session,
    facilitatorsOfSession: loaderGrouped(
      (ids: readonly string[]) =>
        ds.getRepository(SessionFacilitator).find({ where: { sessionId: In([...ids]) }, order: { sessionId: 'ASC', position: 'ASC' } }),
      (f) => f.sessionId,
    ),
    rsvpsOfSession: loaderGrouped(
      async (ids: readonly string[]) =>
        readableOnly(await ds.getRepository(Rsvp).find({ where: { sessionId: In([...ids]) }, order: { updatedAt: 'ASC', id: 'ASC' } })),
      (r) => r.sessionId,
    ),
    attendanceOfSession: loaderGrouped(
      async (ids: readonly string[]) =>
        readableOnly(await ds.getRepository(Attendance).find({ where: { sessionId: In([...ids]) }, order: { attendeeRef: 'ASC' } })),
      (a) => a.sessionId,
    ),
    rsvpCounts: aggregateLoader(async (ids: string[]) => {
      const rsvps = ds.getRepository(Rsvp).createQueryBuilder('rsvp').where('rsvp.session_id IN (:...ids)', { ids });
      const rows: { id: string; response: RsvpResponse; n: string }[] = await withinWall(rsvps, scope, 'rsvp.organisation_id')
        .select('rsvp.session_id', 'id')
        .addSelect('rsvp.response', 'response')
        .addSelect('COUNT(*)', 'n')
        .groupBy('rsvp.session_id')
        .addGroupBy('rsvp.response')
        .getRawMany();
      const counts = new Map<string, RsvpCounts>();
      for (const r of rows) {
        const c = counts.get(r.id) ?? Object.assign(new RsvpCounts(), { going: 0, maybe: 0, notGoing: 0 });
        if (r.response === RsvpResponse.GOING) c.going = Number(r.n);
        if (r.response === RsvpResponse.MAYBE) c.maybe = Number(r.n);
        if (r.response === RsvpResponse.NOT_GOING) c.notGoing = Number(r.n);
        counts.set(r.id, c);
      }
      return counts;
    }, Object.assign(new RsvpCounts(), { going: 0, maybe: 0, notGoing: 0 })),
    identifiedAttendance: aggregateLoader(
      (ids: string[]) =>
        countBy(
          withinWall(ds.getRepository(Attendance).createQueryBuilder('attendance').where('attendance.session_id IN (:...ids)', { ids }), scope, 'attendance.organisation_id'),
          'attendance.session_id',
        ),
      0,
    ),
    sessionCountOfCommunity,
    sessionCountOfOrganisation: countEach(sessionsBy('session.organisation_id')),
    sessionCountOfProgram: countEach(sessionsBy('session.program_id')),
    sessionCountOfFacilitator,
    attendanceOfOrganisation: countEach(sessionsBy('session.organisation_id'), ATTENDANCE_SUM),
    communityCountOfOrganisation,
    sessionsOfCommunity: paginateEach<SessionCriteria, Session>({
      ...sessionsBy('session.community_id'),
      order: SESSION_ORDER,
      count: (id, c) => sessionCountOfCommunity.load({ id, filter: c }),
    }),
    sessionsOfFacilitator: paginateEach<SessionCriteria, Session>({
      ...sessionsBy('sf.facilitator_id', facilitatedSessions),
      order: SESSION_ORDER,
      count: (id, c) => sessionCountOfFacilitator.load({ id, filter: c }),
    }),
    communitiesOfOrganisation: paginateEach<CommunityCriteria, Community>({
      ...communitiesBy('community.organisation_id'),
      order: COMMUNITY_ORDER,
      count: (id, c) => communityCountOfOrganisation.load({ id, filter: c }),
    }),
    communitiesOfProgram: paginateEach<CommunityCriteria, Community>({
      ...communitiesBy('community.program_id'),
      order: COMMUNITY_ORDER,
      count: (id, c) => communityCountOfProgram.load({ id, filter: c }),
    }),
  };
}

export type SessionsLoaders = ReturnType<typeof createSessionsLoaders>;
