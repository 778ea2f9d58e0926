import { assertManage, badField, conflict, inTransaction } from '@hub/core';
import { Arg, Ctx, Field, ID, InputType, Mutation, Resolver } from 'type-graphql';
import type { SessionsContext } from './context';
import { Session, SessionStatus } from './session.entity';
import { publishSessionChange } from './session-events';
import { requireStatus, sessionForUpdate } from './session-for-update';
import { assertRunSession } from './wall';

@InputType()
export class SetSessionPhaseInput {
  @Field(() => ID)
  sessionId: string;

  @Field({ description: 'One of the session\'s formatPhases.' })
  phase: string;
}

/**
 * The session lifecycle: SCHEDULED → LIVE → ENDED, SCHEDULED → ENDED (recorded afterwards), SCHEDULED → CANCELLED.
 * Starting, moving through phases and ending are for the owning organisation's administrators and the
 * session's facilitators; cancelling for the administrators only.
 */
@Resolver(() => Session)
export class SessionStatusResolver {
  @Mutation(() => Session, { description: 'SCHEDULED → LIVE, in the first format phase.' })
  startSession(@Arg('id', () => ID) id: string, @Ctx() ctx: SessionsContext): Promise<Session> {
    return inTransaction(ctx.db, async (m) => {
      const session = await sessionForUpdate(m, ctx.scope, id, 'id');
      await assertRunSession(m, ctx.scope, session, 'id');
      requireStatus(session, [SessionStatus.SCHEDULED], 'start', 'id');
      session.status = SessionStatus.LIVE;
      session.currentPhase = session.formatPhases[0] ?? null;
      const saved = await m.save(Session, session);
      await publishSessionChange(m, saved, { lifecycle: true });
      return saved;
    });
  }

  @Mutation(() => Session, { description: 'Moves a LIVE session to another of its format phases.' })
  setSessionPhase(@Arg('input') input: SetSessionPhaseInput, @Ctx() ctx: SessionsContext): Promise<Session> {
    return inTransaction(ctx.db, async (m) => {
      const session = await sessionForUpdate(m, ctx.scope, input.sessionId, 'input.sessionId');
      await assertRunSession(m, ctx.scope, session, 'input.sessionId');
      requireStatus(session, [SessionStatus.LIVE], 'change phase', 'input.sessionId');
      if (!session.formatPhases.includes(input.phase)) {
        throw badField('input.phase', `must be one of the session's phases: ${session.formatPhases.join(', ')}`);
      }
      session.currentPhase = input.phase;
      const saved = await m.save(Session, session);
      await publishSessionChange(m, saved, { lifecycle: true });
      return saved;
    });
  }

  @Mutation(() => Session, { description: 'LIVE → ENDED, or SCHEDULED → ENDED to record a session after it took place.' })
  endSession(@Arg('id', () => ID) id: string, @Ctx() ctx: SessionsContext): Promise<Session> {
    return inTransaction(ctx.db, async (m) => {
      const session = await sessionForUpdate(m, ctx.scope, id, 'id');
      await assertRunSession(m, ctx.scope, session, 'id');
      requireStatus(session, [SessionStatus.LIVE, SessionStatus.SCHEDULED], 'end', 'id');
      if (session.status === SessionStatus.SCHEDULED && session.startsAt > new Date()) {
        throw conflict('Session has not started yet: a SCHEDULED session can be ended only once its start time has passed', [
          { field: 'id', message: 'session starts in the future' },
        ]);
      }
      session.status = SessionStatus.ENDED;
      session.currentPhase = null;
      const saved = await m.save(Session, session);
      await publishSessionChange(m, saved, { lifecycle: true });
      return saved;
    });
  }

  @Mutation(() => Session, { description: 'SCHEDULED → CANCELLED.' })
  cancelSession(@Arg('id', () => ID) id: string, @Ctx() ctx: SessionsContext): Promise<Session> {
    return inTransaction(ctx.db, async (m) => {
      const session = await sessionForUpdate(m, ctx.scope, id, 'id');
      assertManage(ctx.scope, session.organisationId, 'id');
      requireStatus(session, [SessionStatus.SCHEDULED], 'be cancelled', 'id');
      session.status = SessionStatus.CANCELLED;
      const saved = await m.save(Session, session);
      await publishSessionChange(m, saved, { lifecycle: true });
      return saved;
    });
  }
}
