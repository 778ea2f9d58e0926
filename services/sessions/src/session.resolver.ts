import { assertManage, badField, connectionOf, forbidden, inTransaction, newId, notFound, PageArgs, paginate, recordIdPattern, refTo, seesDetail, withinWall } from '@hub/core';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsOptional, Matches, MaxLength, MinLength } from 'class-validator';
import { Arg, Args, Ctx, Field, FieldResolver, ID, InputType, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { EntityManager } from 'typeorm';
import { Attendance } from './attendance.entity';
import { Community, MeetingMode } from './community.entity';
import type { SessionsContext } from './context';
import { compact } from './criteria';
import { FacilitatorRef } from './facilitator-ref';
import { OrganisationRef } from './organisation-ref';
import { ProgramRef } from './program-ref';
import { Rsvp, RsvpCounts } from './rsvp.entity';
import { Session, SessionStatus } from './session.entity';
import { SessionFacilitator } from './session-facilitator.entity';
import { publishSessionChange } from './session-events';
import { requireStatus, sessionForUpdate } from './session-for-update';
import { checkPeriod, SESSION_ORDER, whereSessions } from './session-query';
import { isRostered, readable } from './wall';

@ObjectType()
export class SessionConnection extends connectionOf(Session, 'Session') {}

@InputType({ description: 'Sessions whose startsAt is in [from, to), optionally of one status.' })
export class SessionPeriodFilter {
  @Field(() => SessionStatus, { nullable: true })
  status?: SessionStatus;

  @Field(() => Date, { nullable: true, description: 'Sessions starting at or after this instant.' })
  from?: Date;

  @Field(() => Date, { nullable: true, description: 'Sessions starting before this instant.' })
  to?: Date;
}

@InputType()
export class SessionFilter extends SessionPeriodFilter {
  @Field(() => ID, { nullable: true })
  communityId?: string;

  @Field(() => ID, { nullable: true })
  organisationId?: string;

  @Field(() => ID, { nullable: true })
  programId?: string;

  @Field(() => ID, { nullable: true, description: 'Only sessions this facilitator facilitates.' })
  facilitatorId?: string;
}

const FACILITATOR_ID = recordIdPattern('fac');

@InputType()
export class ScheduleSessionInput {
  @Field(() => ID)
  @Matches(recordIdPattern('com'), { message: 'must be a community ID' })
  communityId: string;

  @Field()
  @MinLength(1)
  @MaxLength(200)
  topic: string;

  @Field()
  startsAt: Date;

  @Field({ description: 'Must be after startsAt.' })
  endsAt: Date;

  @Field(() => MeetingMode, { nullable: true, description: 'The community\'s mode unless given.' })
  mode?: MeetingMode;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MinLength(1)
  @MaxLength(300)
  location?: string | null;

  @Field(() => [String], { nullable: true, description: 'The community\'s format phases unless given.' })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(12)
  @ArrayUnique()
  @MinLength(1, { each: true })
  @MaxLength(50, { each: true })
  formatPhases?: string[];

  @Field(() => [ID], { defaultValue: [], description: 'Who facilitates this session, lead first.' })
  @ArrayMaxSize(20)
  @ArrayUnique()
  @Matches(FACILITATOR_ID, { each: true, message: 'must be facilitator IDs' })
  facilitatorIds: string[];
}

@InputType({ description: 'Leave a field out to keep it. Times and phases change only while the session is SCHEDULED.' })
export class UpdateSessionInput {
  @Field({ nullable: true })
  @IsOptional()
  @MinLength(1)
  @MaxLength(200)
  topic?: string;

  @Field({ nullable: true })
  startsAt?: Date;

  @Field({ nullable: true })
  endsAt?: Date;

  @Field(() => MeetingMode, { nullable: true })
  mode?: MeetingMode;

  @Field(() => String, { nullable: true, description: 'null clears it.' })
  @IsOptional()
  @MinLength(1)
  @MaxLength(300)
  location?: string | null;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(12)
  @ArrayUnique()
  @MinLength(1, { each: true })
  @MaxLength(50, { each: true })
  formatPhases?: string[];

  @Field(() => [ID], { nullable: true, description: 'Replaces the facilitators, lead first.' })
  @IsOptional()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @Matches(FACILITATOR_ID, { each: true, message: 'must be facilitator IDs' })
  facilitatorIds?: string[];
}

async function replaceFacilitators(m: EntityManager, sessionId: string, facilitatorIds: string[]): Promise<void> {
  await m.delete(SessionFacilitator, { sessionId });
  if (facilitatorIds.length) {
    await m.insert(
      SessionFacilitator,
      facilitatorIds.map((facilitatorId, position) => ({ sessionId, facilitatorId, position })),
    );
  }
}

/**
 * Who answered and who came are identifying: the organisation's administrators, the session's own
 * facilitators and a national manager whose partner shares session details see them; FORBIDDEN otherwise.
 */
async function assertSeesWhoCame(session: Session, ctx: SessionsContext): Promise<void> {
  const { scope } = ctx;
  if (seesDetail(scope, session.organisationId, 'sessions')) return;
  if (scope.role === 'facilitator' && scope.facilitator) {
    const links = await ctx.loaders.facilitatorsOfSession.load(session.id);
    if (isRostered(scope, links.map((l) => l.facilitatorId))) return;
  }
  throw forbidden(`Who answered or came to ${session.organisationId}'s sessions is only for its administrators and the session's facilitators`);
}

@Resolver(() => Session)
export class SessionResolver {
  @Query(() => Session, { nullable: true })
  session(@Arg('id', () => ID) id: string, @Ctx() ctx: SessionsContext): Promise<Session | null> {
    return ctx.loaders.session.load(id);
  }

  @Query(() => SessionConnection, { description: 'Sessions by start time.' })
  async sessions(
    @Args() page: PageArgs,
    @Ctx() ctx: SessionsContext,
    @Arg('filter', () => SessionFilter, { nullable: true }) filter?: SessionFilter,
  ): Promise<SessionConnection> {
    checkPeriod(filter ?? {}, 'filter.');
    const qb = whereSessions(ctx.db.getRepository(Session).createQueryBuilder('session'), compact({ ...filter }));
    withinWall(qb, ctx.scope, 'session.organisation_id');
    return new SessionConnection(await paginate(qb, page, SESSION_ORDER));
  }

  @FieldResolver(() => Community)
  async community(@Root() session: Session, @Ctx() ctx: SessionsContext): Promise<Community> {
    return (await ctx.loaders.community.load(session.communityId)) as Community;
  }

  @FieldResolver(() => OrganisationRef, { nullable: true, description: 'The community\'s organisation, which owns the session.' })
  organisation(@Root() session: Session): OrganisationRef {
    return refTo(OrganisationRef, session.organisationId);
  }

  @FieldResolver(() => ProgramRef, { nullable: true })
  program(@Root() session: Session): ProgramRef {
    return refTo(ProgramRef, session.programId);
  }

  @FieldResolver(() => [FacilitatorRef], { nullable: 'itemsAndList', description: 'Who facilitates this session, lead first.' })
  async facilitators(@Root() session: Session, @Ctx() ctx: SessionsContext): Promise<FacilitatorRef[]> {
    const links = await ctx.loaders.facilitatorsOfSession.load(session.id);
    return links.map((l) => refTo(FacilitatorRef, l.facilitatorId));
  }

  @FieldResolver(() => [Rsvp], {
    nullable: true,
    description: 'Who answered how: for the organisation\'s administrators, the session\'s facilitators and a national manager the organisation shares session details with; otherwise null (FORBIDDEN). rsvpCounts is for everyone.',
  })
  async rsvps(@Root() session: Session, @Ctx() ctx: SessionsContext): Promise<Rsvp[]> {
    await assertSeesWhoCame(session, ctx);
    return ctx.loaders.rsvpsOfSession.load(session.id);
  }

  @FieldResolver(() => RsvpCounts)
  rsvpCounts(@Root() session: Session, @Ctx() ctx: SessionsContext): Promise<RsvpCounts> {
    return ctx.loaders.rsvpCounts.load({ id: session.id, filter: null });
  }

  @FieldResolver(() => [Attendance], {
    nullable: true,
    description: 'Identified attendees: for the organisation\'s administrators, the session\'s facilitators and a national manager the organisation shares session details with; otherwise null (FORBIDDEN). attendanceCount is for everyone.',
  })
  async attendance(@Root() session: Session, @Ctx() ctx: SessionsContext): Promise<Attendance[]> {
    await assertSeesWhoCame(session, ctx);
    return ctx.loaders.attendanceOfSession.load(session.id);
  }

  @FieldResolver(() => Int, { description: 'Identified attendees plus unidentifiedAttendees.' })
  async attendanceCount(@Root() session: Session, @Ctx() ctx: SessionsContext): Promise<number> {
    return (await ctx.loaders.identifiedAttendance.load({ id: session.id, filter: null })) + session.unidentifiedAttendees;
  }

  @Mutation(() => Session, { description: 'For the administrators of the community\'s organisation.' })
  scheduleSession(@Arg('input') input: ScheduleSessionInput, @Ctx() ctx: SessionsContext): Promise<Session> {
    if (input.endsAt <= input.startsAt) throw badField('input.endsAt', 'must be after startsAt');
    return inTransaction(ctx.db, async (m) => {
      const community = readable(ctx.scope, await m.findOneBy(Community, { id: input.communityId }));
      if (!community) throw notFound('Community', input.communityId, 'input.communityId');
      assertManage(ctx.scope, community.organisationId, 'input.communityId');
      const session = await m.save(
        Session,
        m.create(Session, {
          id: newId(community.organisationId, 'ses'),
          communityId: community.id,
          organisationId: community.organisationId,
          programId: community.programId,
          topic: input.topic,
          startsAt: input.startsAt,
          endsAt: input.endsAt,
          mode: input.mode ?? community.mode,
          location: input.location ?? null,
          status: SessionStatus.SCHEDULED,
          formatPhases: input.formatPhases ?? community.formatPhases,
          currentPhase: null,
          unidentifiedAttendees: 0,
        }),
      );
      await replaceFacilitators(m, session.id, input.facilitatorIds);
      return session;
    });
  }

  @Mutation(() => Session, { description: 'Changes a session (its organisation\'s administrators). A CANCELLED session cannot change; times and phases only while SCHEDULED.' })
  updateSession(@Arg('id', () => ID) id: string, @Arg('input') input: UpdateSessionInput, @Ctx() ctx: SessionsContext): Promise<Session> {
    return inTransaction(ctx.db, async (m) => {
      const session = await sessionForUpdate(m, ctx.scope, id, 'id');
      assertManage(ctx.scope, session.organisationId, 'id');
      requireStatus(session, [SessionStatus.SCHEDULED, SessionStatus.LIVE, SessionStatus.ENDED], 'be changed', 'id');
      for (const key of ['startsAt', 'endsAt', 'formatPhases'] as const) {
        if (input[key] !== undefined && input[key] !== null) requireStatus(session, [SessionStatus.SCHEDULED], 'have its times or phases changed', `input.${key}`);
      }
      const startsAt = input.startsAt ?? session.startsAt;
      const endsAt = input.endsAt ?? session.endsAt;
      if (endsAt <= startsAt) throw badField(input.endsAt ? 'input.endsAt' : 'input.startsAt', input.endsAt ? 'must be after startsAt' : 'must be before endsAt');
      Object.assign(session, { startsAt, endsAt });
      if (input.topic) session.topic = input.topic;
      if (input.mode) session.mode = input.mode;
      if (input.location !== undefined) session.location = input.location;
      if (input.formatPhases) session.formatPhases = input.formatPhases;
      const saved = await m.save(Session, session);
      if (input.facilitatorIds) await replaceFacilitators(m, id, input.facilitatorIds);
      await publishSessionChange(m, saved);
      return saved;
    });
  }
}
