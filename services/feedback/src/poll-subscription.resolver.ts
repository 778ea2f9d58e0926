import { badField, badUserInput, isRecordId, type ChangeEvent, type SubscriptionContext } from '@hub/core';
import { Arg, Ctx, ID, Resolver, Root, Subscription } from 'type-graphql';
import type { FeedbackContext } from './context';
import { CHECK_IN_TOPIC, POLL_TOPIC, type PollEventData } from './poll-events';
import { resultsWithheld } from './poll-state';
import { Poll, PollKind } from './poll.entity';

/*
 * Live feedback. Each subscription listens to committed change events (poll-events.ts) and, per
 * event, loads the poll afresh in its own transaction under the subscriber's scope
 * (subgraph-subscriptions.ts in @hub/core): a poll the subscriber may not read resolves to null,
 * and an event whose root resolves to null is not sent. Results obey the minimum group size as in
 * any query; resolved here (without the gateway's `@requires` representation) it is the default 5.
 */

interface PollResultsArgs {
  pollId: string;
}

interface CheckInArgs {
  communityId?: string | null;
  sessionId?: string | null;
}

/** The community or session whose check-ins to follow: exactly one of them, well formed. */
function checkInKey(args: CheckInArgs): string {
  if (Boolean(args.communityId) === Boolean(args.sessionId)) {
    const message = 'give exactly one of communityId and sessionId';
    throw badUserInput(`Invalid input: ${message}`, [
      { field: 'communityId', message },
      { field: 'sessionId', message },
    ]);
  }
  if (args.communityId && !isRecordId(args.communityId, 'com')) throw badField('communityId', 'is not a community ID');
  if (args.sessionId && !isRecordId(args.sessionId, 'ses')) throw badField('sessionId', 'is not a session ID');
  return (args.communityId ?? args.sessionId) as string;
}

function pollIdOf(event: ChangeEvent): string | null {
  const id = (event.data as Partial<PollEventData> | undefined)?.pollId;
  return typeof id === 'string' && isRecordId(id, 'pol') ? id : null;
}

@Resolver()
export class PollSubscriptionResolver {
  @Subscription(() => Poll, {
    nullable: true,
    description:
      'The poll each time the results its subscriber may see could have changed: on every accepted answer and when it closes. ' +
      'Results obey the minimum group size as always; an AFTER_CLOSE poll is sent only once it has closed. ' +
      'Nothing is sent for a poll the subscriber may not read.',
    subscribe: ({ args, context }) => {
      const { pollId } = args as PollResultsArgs;
      if (!isRecordId(pollId, 'pol')) throw badField('pollId', 'is not a poll ID');
      return (context as SubscriptionContext).events.subscribe(POLL_TOPIC, pollId);
    },
  })
  async pollResults(@Root() event: ChangeEvent, @Arg('pollId', () => ID) pollId: string, @Ctx() ctx: FeedbackContext): Promise<Poll | null> {
    if (pollIdOf(event) !== pollId) return null;
    const poll = await ctx.loaders.poll.load(pollId);
    // an AFTER_CLOSE poll still open: what its subscriber may see has not changed (still withheld)
    if (!poll || resultsWithheld(poll)) return null;
    return poll;
  }

  @Subscription(() => Poll, {
    nullable: true,
    description:
      'Each CHECK_IN poll of one community or one session (give exactly one) when it receives an answer; never the answer or who gave it. ' +
      'Only for those who run the group (facilitators, administrators, national managers) within their wall; participants receive nothing. ' +
      'A session\'s check-ins are not the community\'s: follow the session for them. Results obey the minimum group size and the poll\'s resultsVisibility.',
    subscribe: ({ args, context }) => (context as SubscriptionContext).events.subscribe(CHECK_IN_TOPIC, checkInKey(args as CheckInArgs)),
  })
  async checkInResponses(
    @Root() event: ChangeEvent,
    @Ctx() ctx: FeedbackContext,
    @Arg('communityId', () => ID, { nullable: true }) communityId?: string,
    @Arg('sessionId', () => ID, { nullable: true }) sessionId?: string,
  ): Promise<Poll | null> {
    if (ctx.scope.role === 'participant') return null;
    const pollId = pollIdOf(event);
    const poll = pollId ? await ctx.loaders.poll.load(pollId) : null;
    if (!poll || poll.kind !== PollKind.CHECK_IN) return null;
    const key = communityId ?? sessionId;
    if (key !== poll.communityId && key !== poll.sessionId) return null;
    return poll;
  }
}
