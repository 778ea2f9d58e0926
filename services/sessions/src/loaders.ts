import { aggregateLoader, loaderById, loaderGrouped } from '@hub/core';
import { In, type DataSource } from 'typeorm';
import { Attendance } from './attendance.entity';
import { Community } from './community.entity';
import { COMMUNITY_ORDER, whereCommunities, type CommunityCriteria } from './community-query';
import { countBy } from './count-by';
import { pagedLoader, rankedIds } from './paged-loader';
import { Rsvp, RsvpCounts, RsvpResponse } from './rsvp.entity';
import { Session } from './session.entity';
import { SessionFacilitator } from './session-facilitator.entity';
import { SESSION_ORDER, whereSessions, type SessionCriteria } from './session-query';

/** Identified attendance plus the unidentified count of every session. */
const ATTENDANCE_SUM = 'COALESCE(SUM(session.unidentified_attendees + (SELECT COUNT(*) FROM attendance a WHERE a.session_id = session.id)), 0)';

/** Per-request loaders of the sessions subgraph: one statement per relation, list or count per request. */
export function createSessionsLoaders(ds: DataSource) {
  const sessions = () => ds.getRepository(Session).createQueryBuilder('session');
  const facilitatedSessions = () => sessions().innerJoin(SessionFacilitator, 'sf', 'sf.session_id = session.id');
  const communities = () => ds.getRepository(Community).createQueryBuilder('community');

  const community = loaderById((ids: readonly string[]) => ds.getRepository(Community).findBy({ id: In([...ids]) }), (c) => c.id);
  const session = loaderById((ids: readonly string[]) => ds.getRepository(Session).findBy({ id: In([...ids]) }), (s) => s.id);

  const sessionCountBy = (parent: string) =>
    aggregateLoader((ids: string[], c: SessionCriteria) => countBy(whereSessions(sessions(), c).andWhere(`${parent} IN (:...ids)`, { ids }), parent), 0);
  const communityCountBy = (parent: string) =>
    aggregateLoader((ids: string[], c: CommunityCriteria) => countBy(whereCommunities(communities(), c).andWhere(`${parent} IN (:...ids)`, { ids }), parent), 0);

  const sessionCountOfCommunity = sessionCountBy('session.community_id');
  const sessionCountOfFacilitator = aggregateLoader(
    (ids: string[], c: SessionCriteria) =>
      countBy(whereSessions(facilitatedSessions(), c).andWhere('sf.facilitator_id IN (:...ids)', { ids }), 'sf.facilitator_id'),
    0,
  );
  const communityCountOfOrganisation = communityCountBy('community.organisation_id');
  const communityCountOfProgram = communityCountBy('community.program_id');

  const sessionPages = {
    load: (ids: string[]) => session.loadMany(ids),
    cursorOf: SESSION_ORDER.values,
  };
  const communityPages = {
    load: (ids: string[]) => community.loadMany(ids),
    cursorOf: COMMUNITY_ORDER.values,
  };

  return {
    community,
    session,
    facilitatorsOfSession: loaderGrouped(
      (ids: readonly string[]) =>
        ds.getRepository(SessionFacilitator).find({ where: { sessionId: In([...ids]) }, order: { sessionId: 'ASC', position: 'ASC' } }),
      (f) => f.sessionId,
    ),
    rsvpsOfSession: loaderGrouped(
      (ids: readonly string[]) => ds.getRepository(Rsvp).find({ where: { sessionId: In([...ids]) }, order: { updatedAt: 'ASC', id: 'ASC' } }),
      (r) => r.sessionId,
    ),
    attendanceOfSession: loaderGrouped(
      (ids: readonly string[]) => ds.getRepository(Attendance).find({ where: { sessionId: In([...ids]) }, order: { attendeeRef: 'ASC' } }),
      (a) => a.sessionId,
    ),
    rsvpCounts: aggregateLoader(async (ids: string[]) => {
      const rows: { id: string; response: RsvpResponse; n: string }[] = await ds
        .getRepository(Rsvp)
        .createQueryBuilder('rsvp')
        .select('rsvp.session_id', 'id')
        .addSelect('rsvp.response', 'response')
        .addSelect('COUNT(*)', 'n')
        .where('rsvp.session_id IN (:...ids)', { ids })
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
        countBy(ds.getRepository(Attendance).createQueryBuilder('attendance').where('attendance.session_id IN (:...ids)', { ids }), 'attendance.session_id'),
      0,
    ),
    sessionCountOfCommunity,
    sessionCountOfOrganisation: sessionCountBy('session.organisation_id'),
    sessionCountOfProgram: sessionCountBy('session.program_id'),
    sessionCountOfFacilitator,
    attendanceOfOrganisation: aggregateLoader(
      (ids: string[], c: SessionCriteria) =>
        countBy(whereSessions(sessions(), c).andWhere('session.organisation_id IN (:...ids)', { ids }), 'session.organisation_id', ATTENDANCE_SUM),
      0,
    ),
    communityCountOfOrganisation,
    sessionsOfCommunity: pagedLoader<SessionCriteria, Session>({
      ...sessionPages,
      rank: (ids, c, after, limit) =>
        rankedIds(whereSessions(sessions(), c).andWhere('session.community_id IN (:...ids)', { ids }), 'session.community_id', SESSION_ORDER.columns, after, limit),
      count: (id, c) => sessionCountOfCommunity.load({ id, filter: c }),
    }),
    sessionsOfFacilitator: pagedLoader<SessionCriteria, Session>({
      ...sessionPages,
      rank: (ids, c, after, limit) =>
        rankedIds(whereSessions(facilitatedSessions(), c).andWhere('sf.facilitator_id IN (:...ids)', { ids }), 'sf.facilitator_id', SESSION_ORDER.columns, after, limit),
      count: (id, c) => sessionCountOfFacilitator.load({ id, filter: c }),
    }),
    communitiesOfOrganisation: pagedLoader<CommunityCriteria, Community>({
      ...communityPages,
      rank: (ids, c, after, limit) =>
        rankedIds(
          whereCommunities(communities(), c).andWhere('community.organisation_id IN (:...ids)', { ids }),
          'community.organisation_id',
          COMMUNITY_ORDER.columns,
          after,
          limit,
        ),
      count: (id, c) => communityCountOfOrganisation.load({ id, filter: c }),
    }),
    communitiesOfProgram: pagedLoader<CommunityCriteria, Community>({
      ...communityPages,
      rank: (ids, c, after, limit) =>
        rankedIds(
          whereCommunities(communities(), c).andWhere('community.program_id IN (:...ids)', { ids }),
          'community.program_id',
          COMMUNITY_ORDER.columns,
          after,
          limit,
        ),
      count: (id, c) => communityCountOfProgram.load({ id, filter: c }),
    }),
  };
}

export type SessionsLoaders = ReturnType<typeof createSessionsLoaders>;
