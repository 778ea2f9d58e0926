import { Field, Float, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'How many chose one option; null (for every option) when too few chose one of them to show it.' })
export class PollOptionResult {
  @Field()
  label: string;

  @Field(() => Int, { nullable: true })
  count: number | null;
}

@ObjectType({ description: 'How many gave one rating; null (for every rating) when too few gave one of them to show it.' })
export class PollRatingResult {
  @Field(() => Int)
  rating: number;

  @Field(() => Int, { nullable: true })
  count: number | null;
}

@ObjectType({ description: 'The scale of a rating poll; always 1 to 5.' })
export class PollRatingScale {
  @Field(() => Int)
  min: number;

  @Field(() => Int)
  max: number;
}

@ObjectType({
  description:
    'Aggregated answers. Nothing below the minimum group size is shown: with fewer respondents the whole result is suppressed; ' +
    'when any option or rating count is below it (but above zero), every count is hidden, zeros included, and only the total ' +
    '(and for ratings the mean) is shown, so no hidden count can be recovered by subtraction.',
})
export class PollResults {
  /** Not fields: what the textAnswers resolver needs. */
  pollId: string;
  showText: boolean;

  @Field(() => Int, { nullable: true, description: 'Null when suppressed.' })
  responseCount: number | null;

  @Field({ description: 'True when fewer people than minimumGroupSize answered: no counts are shown.' })
  suppressed: boolean;

  @Field(() => Int)
  minimumGroupSize: number;

  @Field(() => [PollOptionResult], { description: 'One per option, in order (CHOICE polls; empty otherwise).' })
  options: PollOptionResult[];

  @Field(() => [PollRatingResult], { description: 'One per rating 1 to 5 (RATING polls; empty otherwise).' })
  ratingDistribution: PollRatingResult[];

  @Field(() => Float, { nullable: true, description: 'Mean rating, rounded to 2 decimals; null when the result is suppressed (fewer answers than the minimum group size).' })
  averageRating: number | null;
}
