import { badField, forbidden, refTo, seesDetail } from '@hub/core';
import { Arg, Ctx, Field, FieldResolver, Float, Int, ObjectType, registerEnumType, Resolver, Root } from 'type-graphql';
import { Community } from './community.entity';
import type { SessionsContext } from './context';
import { OrganisationRef } from './organisation-ref';
import { ProgramRef } from './program-ref';

export enum TrendInterval {
  WEEK = 'WEEK',
  MONTH = 'MONTH',
}
registerEnumType(TrendInterval, { name: 'TrendInterval', description: 'WEEK starts on Monday, MONTH on the 1st, both in UTC.' });

@ObjectType({ description: 'Sessions held (ENDED) and attendance in one interval.' })
export class AttendancePoint {
  @Field({ description: 'Start of the interval (UTC).' })
  periodStart: Date;

  @Field(() => Int)
  sessionsHeld: number;

  @Field(() => Int, { description: 'People at those sessions, identified or not.' })
  attendance: number;

  @Field(() => Float, { nullable: true, description: 'attendance / sessionsHeld; null without sessions.' })
  averagePerSession: number | null;
}

@ObjectType({ description: 'Someone who came to the community before but to none of its last sessions.' })
export class MemberAtRisk {
  @Field({ description: 'The opaque attendance reference.' })
  attendeeRef: string;

  @Field({ description: 'Start of the last session they came to.' })
  lastAttendedAt: Date;

  @Field(() => Int, { description: 'Ended sessions since then.' })
  missedSessions: number;
}

@ObjectType({ description: 'The k-th session of each community, and how many of its first session\'s attendees came.' })
export class RetentionPoint {
  @Field(() => Int, { description: 'k: 1 for each community\'s first ended session.' })
  sessionNumber: number;

  @Field(() => Int, { description: 'Communities that have held a k-th session.' })
  communities: number;

  @Field(() => Int, { description: 'Identified attendees of those communities\' first sessions.' })
  cohort: number;

  @Field(() => Int, { description: 'Of the cohort, how many came to session k.' })
  retained: number;

  @Field(() => Float, { nullable: true, description: 'retained / cohort; null when the cohort is empty.' })
  share: number | null;

  @Field(() => Int, { description: 'Everyone at session k, identified or not.' })
  attendance: number;
}

@ObjectType({ description: 'One delivery partner\'s participation in a program: counts only.' })
export class PartnerParticipation {
  @Field(() => OrganisationRef, { nullable: true })
  organisation: OrganisationRef;

  @Field(() => Int, { description: 'Communities that held sessions in the period.' })
  communities: number;

  @Field(() => Int, { description: 'ENDED sessions starting in the period.' })
  sessionsHeld: number;

  @Field(() => Int, { description: 'People at those sessions, identified or not.' })
  attendance: number;

  @Field(() => Float, { nullable: true })
  averagePerSession: number | null;

  @Field(() => Int, { description: 'Distinct identified attendees, counted once per community.' })
  members: number;

  @Field(() => Int, { description: 'Identified attendees (at any time) who missed the last `missedLast` sessions of their community.' })
  membersAtRisk: number;
}

const DAY = 86_400_000;
const MAX_POINTS = 270;

/** Interval starts covering [from, to), in UTC: Mondays, or the 1st of each month. */
function periodStarts(from: Date, to: Date, interval: TrendInterval): Date[] {
  const starts: Date[] = [];
  let d = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), interval === TrendInterval.MONTH ? 1 : from.getUTCDate()));
  if (interval === TrendInterval.WEEK) d = new Date(d.getTime() - ((d.getUTCDay() + 6) % 7) * DAY);
  while (d < to) {
    starts.push(d);
    if (starts.length > MAX_POINTS) throw badField('to', `spans more than ${MAX_POINTS} intervals`);
    d = interval === TrendInterval.WEEK ? new Date(d.getTime() + 7 * DAY) : new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
  }
  return starts;
}

const average = (total: number, n: number) => (n > 0 ? total / n : null);

/** Every interval from `from` to `to`, zeros where nothing was held. */
async function attendancePoints(loader: SessionsContext['loaders']['attendanceTrendOfCommunity'], id: string, from: Date, to: Date, interval: TrendInterval): Promise<AttendancePoint[]> {
  if (to <= from) throw badField('to', 'must be after from');
  const starts = periodStarts(from, to, interval);
  const rows = await loader.load({ id, filter: { from: from.toISOString(), to: to.toISOString(), interval } });
  const byStart = new Map(rows.map((r) => [r.periodStart.getTime(), r]));
  return starts.map((periodStart) => {
    const r = byStart.get(periodStart.getTime());
    const sessionsHeld = r?.sessions ?? 0;
    const attendance = r?.attendance ?? 0;
    return Object.assign(new AttendancePoint(), { periodStart, sessionsHeld, attendance, averagePerSession: average(attendance, sessionsHeld) });
  });
}

function checkMissedLast(missedLast: number): void {
  if (!Number.isInteger(missedLast) || missedLast < 1 || missedLast > 100) throw badField('missedLast', 'must be between 1 and 100');
}

/**
 * Participation and drop-off (issue 6 item 5). Counts follow the tenant wall like every count;
 * who is at risk is an identifying list, so it follows who-came rules.
 */
@Resolver(() => Community)
export class CommunityParticipationResolver {
  @FieldResolver(() => [AttendancePoint], { nullable: true, description: 'Per interval from `from` to `to`, every interval listed (zeros where nothing was held).' })
  async attendanceTrend(
    @Root() community: Community,
    @Ctx() ctx: SessionsContext,
    @Arg('from', () => Date) from: Date,
    @Arg('to', () => Date) to: Date,
    @Arg('interval', () => TrendInterval, { defaultValue: TrendInterval.MONTH }) interval: TrendInterval,
  ): Promise<AttendancePoint[]> {
    return attendancePoints(ctx.loaders.attendanceTrendOfCommunity, community.id, from, to, interval);
  }

  @FieldResolver(() => [MemberAtRisk], {
    nullable: true,
    description:
      'Identified attendees who came to an earlier session but to none of the last `missedLast` ENDED sessions, most recently seen first: for the organisation\'s administrators and a national manager it shares session details with; otherwise null (FORBIDDEN).',
  })
  async membersAtRisk(
    @Root() community: Community,
    @Ctx() ctx: SessionsContext,
    @Arg('missedLast', () => Int, { defaultValue: 3 }) missedLast: number,
  ): Promise<MemberAtRisk[]> {
    checkMissedLast(missedLast);
    if (!seesDetail(ctx.scope, community.organisationId, 'sessions')) {
      throw forbidden(`Who came to ${community.organisationId}'s sessions is only for its administrators`);
    }
    const rows = await ctx.loaders.membersAtRisk.load({ id: community.id, filter: { missedLast } });
    return rows.map((r) => Object.assign(new MemberAtRisk(), r));
  }

  @FieldResolver(() => [RetentionPoint], { nullable: true, description: 'Of the first session\'s attendees, how many came to each later ENDED session, up to `maxSessions`.' })
  async retention(
    @Root() community: Community,
    @Ctx() ctx: SessionsContext,
    @Arg('maxSessions', () => Int, { defaultValue: 12 }) maxSessions: number,
  ): Promise<RetentionPoint[]> {
    if (maxSessions < 1 || maxSessions > 100) throw badField('maxSessions', 'must be between 1 and 100');
    return retentionPoints(await ctx.loaders.retentionOfCommunity.load({ id: community.id, filter: { maxSessions } }));
  }
}

function retentionPoints(rows: { sessionNumber: number; communities: number; cohort: number; retained: number; attendance: number }[]): RetentionPoint[] {
  return rows.map((r) => Object.assign(new RetentionPoint(), { ...r, share: r.cohort > 0 ? r.retained / r.cohort : null }));
}

@Resolver(() => ProgramRef)
export class ProgramParticipationResolver {
  @FieldResolver(() => [AttendancePoint], {
    nullable: true,
    description: 'Sessions held and attendance over all the program\'s communities (within the caller\'s wall) per interval from `from` to `to`, every interval listed (zeros where nothing was held): the national attendance trend.',
  })
  async attendanceTrend(
    @Root() program: ProgramRef,
    @Ctx() ctx: SessionsContext,
    @Arg('from', () => Date) from: Date,
    @Arg('to', () => Date) to: Date,
    @Arg('interval', () => TrendInterval, { defaultValue: TrendInterval.MONTH }) interval: TrendInterval,
  ): Promise<AttendancePoint[]> {
    return attendancePoints(ctx.loaders.attendanceTrendOfProgram, program.id, from, to, interval);
  }

  @FieldResolver(() => [RetentionPoint], {
    nullable: true,
    description:
      'Retention over the program\'s communities: each community\'s ENDED sessions in order; at session k, how many of its first session\'s attendees came, summed over the communities that reached k.',
  })
  async retention(
    @Root() program: ProgramRef,
    @Ctx() ctx: SessionsContext,
    @Arg('maxSessions', () => Int, { defaultValue: 12 }) maxSessions: number,
  ): Promise<RetentionPoint[]> {
    if (maxSessions < 1 || maxSessions > 100) throw badField('maxSessions', 'must be between 1 and 100');
    return retentionPoints(await ctx.loaders.retentionOfProgram.load({ id: program.id, filter: { maxSessions } }));
  }

  @FieldResolver(() => [PartnerParticipation], {
    nullable: true,
    description:
      'The national view: per organisation delivering the program (within the caller\'s wall), sessions held starting in [from, to), attendance, members and members at risk. Counts only.',
  })
  async participationByPartner(
    @Root() program: ProgramRef,
    @Ctx() ctx: SessionsContext,
    @Arg('from', () => Date) from: Date,
    @Arg('to', () => Date) to: Date,
    @Arg('missedLast', () => Int, { defaultValue: 3 }) missedLast: number,
  ): Promise<PartnerParticipation[]> {
    if (to <= from) throw badField('to', 'must be after from');
    checkMissedLast(missedLast);
    const rows = await ctx.loaders.participationByPartner.load({ id: program.id, filter: { from: from.toISOString(), to: to.toISOString(), missedLast } });
    return rows.map((r) =>
      Object.assign(new PartnerParticipation(), {
        organisation: refTo(OrganisationRef, r.organisationId),
        communities: r.communities,
        sessionsHeld: r.sessionsHeld,
        attendance: r.attendance,
        averagePerSession: average(r.attendance, r.sessionsHeld),
        members: r.members,
        membersAtRisk: r.membersAtRisk,
      }),
    );
  }
}
