import { assertRole, forbidden, inTransaction, newId } from '@hub/core';
import { Arg, Ctx, Field, FieldResolver, ID, InputType, Mutation, Resolver, Root } from 'type-graphql';
import type { SessionsContext } from './context';
import { PERSON_REF } from './person-ref';
import { Rsvp, RsvpResponse } from './rsvp.entity';
import { Session, SessionStatus } from './session.entity';
import { publishSessionChange } from './session-events';
import { requireStatus, sessionForUpdate } from './session-for-update';

@InputType({ description: 'The caller\'s own answer: who answers is the token\'s subject.' })
export class SetRsvpInput {
  @Field(() => ID)
  sessionId: string;

  @Field(() => RsvpResponse)
  response: RsvpResponse;
}

@Resolver(() => Rsvp)
export class RsvpResolver {
  @FieldResolver(() => Session)
  async session(@Root() rsvp: Rsvp, @Ctx() ctx: SessionsContext): Promise<Session> {
    return (await ctx.loaders.session.load(rsvp.sessionId)) as Session;
  }

  @Mutation(() => Rsvp, {
    description: 'Gives or changes the caller\'s own RSVP (a participant or facilitator, as the token\'s subject) to a SCHEDULED or LIVE session it can see; one per person and session.',
  })
  setRsvp(@Arg('input') input: SetRsvpInput, @Ctx() ctx: SessionsContext): Promise<Rsvp> {
    const { scope } = ctx;
    assertRole(scope, ['participant', 'facilitator'], 'RSVP to a session');
    // the subject is stored as the opaque reference, so it must be one (never a name)
    if (!PERSON_REF.test(scope.subject)) throw forbidden('This caller\'s subject cannot be kept as an opaque RSVP reference');
    return inTransaction(ctx.db, async (m) => {
      const session = await sessionForUpdate(m, scope, input.sessionId, 'input.sessionId');
      requireStatus(session, [SessionStatus.SCHEDULED, SessionStatus.LIVE], 'take RSVPs', 'input.sessionId');
      // An upsert, so two answers of the same person at once leave one RSVP, the later one.
      const [{ id }]: { id: string }[] = await m.query(
        `INSERT INTO rsvp (id, session_id, organisation_id, participant_ref, response) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (session_id, participant_ref) DO UPDATE SET response = EXCLUDED.response, updated_at = now()
         RETURNING id`,
        [newId(session.organisationId, 'rsv'), session.id, session.organisationId, scope.subject, input.response],
      );
      await publishSessionChange(m, session);
      return m.findOneByOrFail(Rsvp, { id });
    });
  }
}
