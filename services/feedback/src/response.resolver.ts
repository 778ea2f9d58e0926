import { badField, conflict, forbidden, inTransaction, isRecordId, mayRead, newUntimedId, notFound } from '@hub/core';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { Arg, Ctx, Field, ID, InputType, Int, Mutation, ObjectType, Resolver } from 'type-graphql';
import type { EntityManager } from 'typeorm';
import type { FeedbackContext } from './context';
import { pairCode, PAIRING_CODE_MAX_LENGTH, PAIRING_CODE_MIN_LENGTH } from './pair-code';
import { participantHash } from './participant-hash';
import { publishAnswer } from './poll-events';
import { Poll, PollAnswerType, PollStatus, RATING_MAX, RATING_MIN } from './poll.entity';


@InputType({ description: 'An anonymous answer: give only the field matching the poll\'s answer type.' })
export class SubmitResponseInput {
  @Field(() => ID)
  pollId: string;

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

  @Field(() => String, {
    nullable: true,
    description:
      `The participant's anonymous pairing code, ${PAIRING_CODE_MIN_LENGTH} to ${PAIRING_CODE_MAX_LENGTH} characters: required on a confidence pair's two polls ` +
      '(`Poll.confidencePair` is set), refused on any other poll. It links a person\'s before and after answers to each other without the server ' +
      'knowing whose they are: only SHA-256(pair ID + ":" + code) is stored, never the code, and nothing on the server side can derive it from the ' +
      'person. The client\'s duty: generate it once per participant (e.g. 32 random bytes, base64url), keep it on the participant\'s device only, ' +
      'and send the same code with both answers of a pair (it may be reused for every pair). A participant may also make one up. It must be ' +
      'random or secret, never a name, email or anything else about the person: a guessable code could be recomputed.',
  })
  @IsOptional()
  @IsString()
  @MinLength(PAIRING_CODE_MIN_LENGTH)
  @MaxLength(PAIRING_CODE_MAX_LENGTH)
  pairingCode?: string | null;
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

/**
 * Records that `subject` answered, as a keyed hash added to the poll's one sorted array of them;
 * false when it was there already. One atomic statement: the poll's participation row is locked
 * by the insert or update, so of two simultaneous answers by the same person the second sees the
 * first's hash once it commits, and is refused.
 */
async function recordParticipation(m: EntityManager, pollId: string, subject: string): Promise<boolean> {
  const rows: unknown[] = await m.query(
    `INSERT INTO participation AS pt (poll_id, hashes) VALUES ($1, ARRAY[$2::text])
     ON CONFLICT (poll_id) DO UPDATE SET hashes = (SELECT array_agg(h ORDER BY h) FROM unnest(pt.hashes || EXCLUDED.hashes) AS h)
     WHERE NOT (pt.hashes @> EXCLUDED.hashes)
     RETURNING pt.poll_id`,
    [pollId, participantHash(pollId, subject)],
  );
  return rows.length === 1;
}

/**
 * What to store as the answer's pairing code (see pair-code.ts): on a confidence pair's two polls
 * the hash of the pair and the code the participant's device sent, which is required there;
 * elsewhere null, and a code sent anyway is refused.
 */
async function pairCodeFor(m: EntityManager, poll: Poll, pairingCode: string | null | undefined): Promise<string | null> {
  const pairs: { id: string }[] = await m.query(`SELECT id FROM confidence_pair WHERE before_poll_id = $1 OR after_poll_id = $1`, [poll.id]);
  if (!pairs.length) {
    if (pairingCode != null) throw badField('input.pairingCode', 'must be left out: the poll is not part of a confidence pair');
    return null;
  }
  if (pairingCode == null) throw badField('input.pairingCode', 'is required for a confidence pair\'s poll: the code the participant\'s device keeps for both answers');
  return pairCode(pairs[0].id, pairingCode);
}

/** A unique violation of the one-answer-per-code-and-poll index: someone else sent the same code. */
function isPairCodeTaken(e: unknown): boolean {
  const err = e as { code?: unknown; constraint?: unknown } | null;
  return err?.code === '23505' && err.constraint === 'response_pair_code';
}

@Resolver()
export class ResponseResolver {
  @Mutation(() => SubmitResponsePayload, {
    description:
      'Answers a poll anonymously, once per person: the answerer is the caller (the token\'s subject), kept only as a keyed hash apart from the answer. ' +
      'Anyone who can read the poll may answer. A confidence pair\'s polls need the participant\'s own pairingCode as well (see SubmitResponseInput.pairingCode).',
  })
  submitResponse(@Arg('input') input: SubmitResponseInput, @Ctx() ctx: FeedbackContext): Promise<SubmitResponsePayload> {
    if (!isRecordId(input.pollId, 'pol')) throw badField('input.pollId', 'is not a poll ID');
    if (ctx.scope.role === 'system') throw forbidden('Only a person answers a poll', 'input.pollId');
    return inTransaction(ctx.db, async (m) => {
      // A shared lock: answers may come in together, but not while the poll is being closed.
      const poll = await m.findOne(Poll, { where: { id: input.pollId }, lock: { mode: 'pessimistic_read' } });
      if (!poll || !mayRead(ctx.scope, poll.organisationId)) throw notFound('Poll', input.pollId, 'input.pollId');
      checkOpen(poll, 'input.pollId');
      const answer = checkedAnswer(poll, input);
      const code = await pairCodeFor(m, poll, input.pairingCode);
      if (!(await recordParticipation(m, poll.id, ctx.scope.subject))) {
        throw conflict('You have already answered this poll', [{ field: 'input.pollId', message: 'has already been answered by this caller' }]);
      }
      // A random ID (no time in it: newUntimedId); the day comes from the database default, the UTC date.
      // On a confidence pair's poll, the stored code links this answer to the other answer of the pair sent with the same code, to no person.
      // A failed statement aborts the transaction, so a taken code is refused after it (and the participation recorded above rolls back).
      await m
        .query(`INSERT INTO response (id, poll_id, choice, rating, text, pair_code) VALUES ($1, $2, $3, $4, $5, $6)`, [
          newUntimedId(poll.organisationId, 'rsp'),
          poll.id,
          answer.choice,
          answer.rating,
          answer.text,
          code,
        ])
        .catch((e: unknown) => {
          if (!isPairCodeTaken(e)) throw e;
          throw conflict('This pairing code has already answered this poll', [
            { field: 'input.pairingCode', message: 'has already been sent with an answer to this poll: generate a new random code' },
          ]);
        });
      // delivered to subscribers only if this answer commits (pollResults, checkInResponses)
      await publishAnswer(m, poll);
      return Object.assign(new SubmitResponsePayload(), { accepted: true });
    });
  }
}
