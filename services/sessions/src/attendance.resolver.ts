import { badField, inTransaction, newId } from '@hub/core';
import { ArrayMaxSize, IsInt, Matches, Max, Min, ValidateNested } from 'class-validator';
import { Arg, Ctx, Field, FieldResolver, ID, InputType, Int, Mutation, Resolver, Root } from 'type-graphql';
import { Attendance, AttendeeKind } from './attendance.entity';
import type { SessionsContext } from './context';
import { PERSON_REF, PERSON_REF_MESSAGE } from './person-ref';
import { Session, SessionStatus } from './session.entity';
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
      return m.save(Session, session);
    });
  }
}
