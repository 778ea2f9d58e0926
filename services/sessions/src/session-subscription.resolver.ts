import { badField, badUserInput, isRecordId, type ChangeEvent, type SubscriptionContext } from '@hub/core';
import { Arg, Ctx, ID, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import type { SessionsContext } from './context';
import { Session } from './session.entity';
import { ATTENDANCE_TOPIC, LIVE_SESSIONS_TOPIC, SESSION_TOPIC } from './session-events';

type Subscribe = SubscribeResolverData<unknown, Record<string, unknown>, SubscriptionContext>;

function sessionIdArg(args: Record<string, unknown>, name: string): string {
  const id = args[name];
  if (typeof id !== 'string' || !isRecordId(id, 'ses')) throw badField(name, 'is not a session ID');
  return id;
}

/**
 * The session an event concerns, loaded anew in the event's own transaction under the subscriber's
 * scope: null (so the event is not sent) when the subscriber may not see it or it is gone.
 */
async function visibleSession(event: ChangeEvent, ctx: SessionsContext): Promise<Session | null> {
  const id = typeof event.data?.sessionId === 'string' ? event.data.sessionId : event.key;
  return ctx.loaders.session.load(id);
}

/**
 * Live sessions over graphql-ws (packages/core/src/subgraph-subscriptions.ts). Each event is a
 * committed change (session-events.ts); what a subscriber receives is the session as it may see
 * it now, with the same field rules as a query (who came only for those who may see it).
 */
@Resolver(() => Session)
export class SessionSubscriptionResolver {
  @Subscription(() => Session, {
    nullable: true,
    description: 'The session each time it changes: details, status, phase, facilitators, RSVPs, attendance. Nothing for a session the subscriber cannot see.',
    subscribe: ({ args, context }: Subscribe) => context.events.subscribe(SESSION_TOPIC, sessionIdArg(args, 'id')),
  })
  sessionChanged(@Root() event: ChangeEvent, @Arg('id', () => ID) _id: string, @Ctx() ctx: SessionsContext): Promise<Session | null> {
    return visibleSession(event, ctx);
  }

  @Subscription(() => Session, {
    nullable: true,
    description: 'The session each time someone checks in or its attendance is recorded (select attendanceCount, or attendance where you may see who came).',
    subscribe: ({ args, context }: Subscribe) => context.events.subscribe(ATTENDANCE_TOPIC, sessionIdArg(args, 'sessionId')),
  })
  sessionCheckIns(@Root() event: ChangeEvent, @Arg('sessionId', () => ID) _sessionId: string, @Ctx() ctx: SessionsContext): Promise<Session | null> {
    return visibleSession(event, ctx);
  }

  @Subscription(() => Session, {
    nullable: true,
    description: 'A session of the program, or of the community, each time one starts, changes phase, ends or is cancelled. Give exactly one of programId and communityId.',
    subscribe: ({ args, context }: Subscribe) => {
      const { programId, communityId } = args;
      const given = [programId, communityId].filter((v) => v !== undefined && v !== null);
      if (given.length !== 1) {
        throw badUserInput('Give exactly one of programId and communityId', [
          { field: 'programId', message: 'give either programId or communityId' },
          { field: 'communityId', message: 'give either programId or communityId' },
        ]);
      }
      if (programId != null && (typeof programId !== 'string' || !isRecordId(programId, 'prg'))) throw badField('programId', 'is not a program ID');
      if (communityId != null && (typeof communityId !== 'string' || !isRecordId(communityId, 'com'))) throw badField('communityId', 'is not a community ID');
      return context.events.subscribe(LIVE_SESSIONS_TOPIC, (programId ?? communityId) as string);
    },
  })
  liveSessions(
    @Root() event: ChangeEvent,
    @Ctx() ctx: SessionsContext,
    // parameter decorators register last first: this order prints programId first
    @Arg('communityId', () => ID, { nullable: true }) _communityId?: string,
    @Arg('programId', () => ID, { nullable: true }) _programId?: string,
  ): Promise<Session | null> {
    return visibleSession(event, ctx);
  }
}
