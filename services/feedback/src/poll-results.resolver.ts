import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { FeedbackContext } from './context';
import { PollResults } from './poll-results.type';

@Resolver(() => PollResults)
export class PollResultsResolver {
  @FieldResolver(() => [String], { description: 'Free-text answers in no meaningful order (TEXT polls), only when at least minimumGroupSize people answered; empty otherwise.' })
  async textAnswers(@Root() results: PollResults, @Ctx() ctx: FeedbackContext): Promise<string[]> {
    if (!results.showText) return [];
    return (await ctx.loaders.textAnswers.load(results.pollId)).map((a) => a.text);
  }
}
