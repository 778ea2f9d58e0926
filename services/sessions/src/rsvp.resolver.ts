import { inTransaction, newId } from '@hub/core';
import { Matches } from 'class-validator';
import { Arg, Ctx, Field, FieldResolver, ID, InputType, Mutation, Resolver, Root } from 'type-graphql';
import type { SessionsContext } from './context';
import { PERSON_REF, PERSON_REF_MESSAGE } from './person-ref';
import { Rsvp, RsvpResponse } from './rsvp.entity';
import { Session, SessionStatus } from './session.entity';
import { requireStatus, sessionForUpdate } from './session-for-update';

@InputType()
export class SetRsvpInput {
  @Field(() => ID)
  sessionId: string;

  @Field({ description: 'An opaque pseudonymous reference to the participant, never a name.' })
  @Matches(PERSON_REF, { message: PERSON_REF_MESSAGE })
  participantRef: string;

  @Field(() => RsvpResponse)
  response: RsvpResponse;
}

@Resolver(() => Rsvp)
export class RsvpResolver {
  @FieldResolver(() => Session)
  async session(@Root() rsvp: Rsvp, @Ctx() ctx: SessionsContext): Promise<Session> {
    return (await ctx.loaders.session.load(rsvp.sessionId)) as Session;
  }

  @Mutation(() => Rsvp, { description: 'Gives or changes a participant\'s RSVP to a SCHEDULED or LIVE session (one per participant).' })
  setRsvp(@Arg('input') input: SetRsvpInput, @Ctx() ctx: SessionsContext): Promise<Rsvp> {
    return inTransaction(ctx.db, async (m) => {
      const session = await sessionForUpdate(m, input.sessionId, 'input.sessionId');
      requireStatus(session, [SessionStatus.SCHEDULED, SessionStatus.LIVE], 'take RSVPs', 'input.sessionId');
      // An upsert, so two answers of the same participant at once leave one RSVP, the later one.
      const [{ id }]: { id: string }[] = await m.query(
        `INSERT INTO rsvp (id, session_id, organisation_id, participant_ref, response) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (session_id, participant_ref) DO UPDATE SET response = EXCLUDED.response, updated_at = now()
         RETURNING id`,
        [newId(session.organisationId, 'rsv'), session.id, session.organisationId, input.participantRef, input.response],
      );
      return m.findOneByOrFail(Rsvp, { id });
    });
  }
}
