import { badField, forbidden, inTransaction, newId } from '@hub/core';
import { ArrayMaxSize, IsInt, Matches, Max, Min, ValidateNested } from 'class-validator';
import { Arg, Ctx, Field, FieldResolver, ID, InputType, Int, Mutation, Resolver, Root } from 'type-graphql';
import { Attendance, AttendeeKind } from './attendance.entity';
import type { SessionsContext } from './context';
import { PERSON_REF, PERSON_REF_MESSAGE } from './person-ref';
import { Session, SessionStatus } from './session.entity';
import { publishSessionChange } from './session-events';
import { requireStatus, sessionForUpdate } from './session-for-update';
import { assertRunSession } from './wall';

@InputType()
export class AttendeeInput {
  @Field({ description: 'An opaque pseudonymous reference to the attendee, never a name.' })
  @Matches(PERSON_REF, { message: PERSON_REF_MESSAGE })
  attendeeRef: string;

  @Field(() => AttendeeKind, { defaultValue: AttendeeKind.PARTICIPANT })
  kind: AttendeeKind;
}

@InputType()
export class RecordAttendanceInput {
  @Field(() => ID)
  sessionId: string;

  @Field(() => [AttendeeInput], { description: 'Everyone identified who came; replaces what was recorded before.' })
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  attendees: AttendeeInput[];

  @Field(() => Int, { defaultValue: 0, description: 'People who came but are not identified.' })
  @IsInt()
  @Min(0)
  @Max(100000)
  unidentifiedAttendees: number;
}

@Resolver(() => Attendance)
export class AttendanceResolver {
  @FieldResolver(() => Session)
  async session(@Root() attendance: Attendance, @Ctx() ctx: SessionsContext): Promise<Session> {
    return (await ctx.loaders.session.load(attendance.sessionId)) as Session;
  }

  @Mutation(() => Session, { description: 'Records who came to a LIVE or ENDED session, replacing the previous record. For the owning organisation\'s administrators and the session\'s facilitators.' })
  recordAttendance(@Arg('input') input: RecordAttendanceInput, @Ctx() ctx: SessionsContext): Promise<Session> {
    const seen = new Set<string>();
    input.attendees.forEach((a, i) => {
      if (seen.has(a.attendeeRef)) throw badField(`input.attendees.${i}.attendeeRef`, 'is listed twice');
      seen.add(a.attendeeRef);
    });
    return inTransaction(ctx.db, async (m) => {
      const session = await sessionForUpdate(m, ctx.scope, input.sessionId, 'input.sessionId');
      await assertRunSession(m, ctx.scope, session, 'input.sessionId');
      requireStatus(session, [SessionStatus.LIVE, SessionStatus.ENDED], 'have attendance recorded', 'input.sessionId');
      await m.delete(Attendance, { sessionId: session.id });
      if (input.attendees.length) {
        await m.insert(
          Attendance,
          input.attendees.map((a) => ({
            id: newId(session.organisationId, 'att'),
            sessionId: session.id,
            organisationId: session.organisationId,
            attendeeRef: a.attendeeRef,
            kind: a.kind,
          })),
        );
      }
      session.unidentifiedAttendees = input.unidentifiedAttendees;
      const saved = await m.save(Session, session);
      await publishSessionChange(m, saved, { attendance: true });
      return saved;
    });
  }

  @Mutation(() => Session, {
    description:
      'The caller (a participant or facilitator, as the token\'s subject) checks itself in to a LIVE session it can see; checking in again changes nothing. ' +
      'A facilitator is recorded as FACILITATOR, anyone else as PARTICIPANT. Administrators and the session\'s facilitators record everyone with recordAttendance.',
  })
  checkIn(@Arg('sessionId', () => ID) sessionId: string, @Ctx() ctx: SessionsContext): Promise<Session> {
    const { scope } = ctx;
    if (scope.role !== 'participant' && scope.role !== 'facilitator') throw forbidden(`A ${scope.role} does not check in to sessions; record attendance instead`);
    // the subject is stored as the opaque reference, so it must be one (never a name)
    if (!PERSON_REF.test(scope.subject)) throw forbidden('This caller\'s subject cannot be kept as an opaque attendance reference');
    return inTransaction(ctx.db, async (m) => {
      // locked, so a check-in never lands on a session that is ending at the same time
      const session = await sessionForUpdate(m, scope, sessionId, 'sessionId');
      if (session.status !== SessionStatus.LIVE) throw badField('sessionId', `session is ${session.status}: only a LIVE session takes check-ins`);
      const added: { id: string }[] = await m.query(
        `INSERT INTO attendance (id, session_id, organisation_id, attendee_ref, kind) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (session_id, attendee_ref) DO NOTHING RETURNING id`,
        [
          newId(session.organisationId, 'att'),
          session.id,
          session.organisationId,
          scope.subject,
          scope.role === 'facilitator' ? AttendeeKind.FACILITATOR : AttendeeKind.PARTICIPANT,
        ],
      );
      if (added.length) await publishSessionChange(m, session, { attendance: true });
      return session;
    });
  }
}
