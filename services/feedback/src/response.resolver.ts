import { badField, conflict, inTransaction, isRecordId, notFound } from '@hub/core';
import { IsInt, IsOptional, Max, MaxLength, Min, MinLength } from 'class-validator';
import { Arg, Ctx, Field, ID, InputType, Int, Mutation, ObjectType, Resolver } from 'type-graphql';
import type { EntityManager } from 'typeorm';
import type { FeedbackContext } from './context';
import { participantHash } from './participant-hash';
import { Poll, PollAnswerType, PollStatus, RATING_MAX, RATING_MIN } from './poll.entity';

@InputType({ description: 'An anonymous answer: give only the field matching the poll\'s answer type.' })
export class SubmitResponseInput {
  @Field(() => ID)
  pollId: string;

  @Field({ description: 'Who is answering (e.g. a participant or user ID). Only a keyed hash of it is kept, apart from the answer, to refuse a second answer.' })
  @MinLength(1)
  @MaxLength(200)
  participantRef: string;

  @Field(() => Int, { nullable: true, description: 'Index of the chosen option (CHOICE polls).' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(19)
  choice?: number | null;

  @Field(() => Int, { nullable: true, description: '1 to 5 (RATING polls).' })
  @IsOptional()
  @IsInt()
  @Min(RATING_MIN)
  @Max(RATING_MAX)
  rating?: number | null;

  @Field(() => String, { nullable: true, description: '1 to 2000 characters (TEXT polls).' })
  @IsOptional()
  @MinLength(1)
  @MaxLength(2000)
  text?: string | null;
}

@ObjectType({ description: 'Only whether the answer was taken: nothing that could tie it to the participant later.' })
export class SubmitResponsePayload {
  @Field()
  accepted: boolean;
}

const ANSWER_FIELD = { [PollAnswerType.CHOICE]: 'choice', [PollAnswerType.RATING]: 'rating', [PollAnswerType.TEXT]: 'text' } as const;

/** The answer to store: exactly the field of the poll's answer type, within range. */
function checkedAnswer(poll: Poll, input: SubmitResponseInput): { choice: number | null; rating: number | null; text: string | null } {
  const wanted = ANSWER_FIELD[poll.answerType];
  if (input[wanted] == null) throw badField(`input.${wanted}`, `is required for a ${poll.answerType} poll`);
  for (const field of Object.values(ANSWER_FIELD)) {
    if (field !== wanted && input[field] != null) throw badField(`input.${field}`, `must be left out for a ${poll.answerType} poll`);
  }
  const text = input.text?.trim() ?? null;
  if (text === '') throw badField('input.text', 'must not be blank');
  if (input.choice != null && input.choice >= (poll.options?.length ?? 0)) throw badField('input.choice', `must be an option index from 0 to ${(poll.options?.length ?? 0) - 1}`);
  return { choice: input.choice ?? null, rating: input.rating ?? null, text };
}

function checkOpen(poll: Poll, field: string): void {
  const now = Date.now();
  const refuse = (message: string) => conflict(`The poll ${message}`, [{ field, message }]);
  if (poll.status !== PollStatus.OPEN) throw refuse('is closed');
  if (poll.opensAt && now < poll.opensAt.getTime()) throw refuse('is not open yet');
  if (poll.closesAt && now >= poll.closesAt.getTime()) throw refuse('is closed');
}

/** Records that this participant answered; false when they already had. */
async function recordParticipation(m: EntityManager, pollId: string, participantRef: string): Promise<boolean> {
  const rows: unknown[] = await m.query(
    `INSERT INTO participation (poll_id, participant_hash) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING poll_id`,
    [pollId, participantHash(pollId, participantRef)],
  );
  return rows.length === 1;
}

@Resolver()
export class ResponseResolver {
  @Mutation(() => SubmitResponsePayload, { description: 'Answers a poll anonymously, once per participant.' })
  submitResponse(@Arg('input') input: SubmitResponseInput, @Ctx() ctx: FeedbackContext): Promise<SubmitResponsePayload> {
    if (!isRecordId(input.pollId, 'pol')) throw badField('input.pollId', 'is not a poll ID');
    return inTransaction(ctx.db, async (m) => {
      // A shared lock: answers may come in together, but not while the poll is being closed.
      const poll = await m.findOne(Poll, { where: { id: input.pollId }, lock: { mode: 'pessimistic_read' } });
      if (!poll) throw notFound('Poll', input.pollId, 'input.pollId');
      checkOpen(poll, 'input.pollId');
      const answer = checkedAnswer(poll, input);
      if (!(await recordParticipation(m, poll.id, input.participantRef))) {
        throw conflict('This participant has already answered the poll', [{ field: 'input.participantRef', message: 'has already answered' }]);
      }
      // The id and the day come from the database defaults: a random UUID and the UTC date.
      await m.query(`INSERT INTO response (poll_id, choice, rating, text) VALUES ($1, $2, $3, $4)`, [poll.id, answer.choice, answer.rating, answer.text]);
      return Object.assign(new SubmitResponsePayload(), { accepted: true });
    });
  }
}
