import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';

/*
 * Entities owned by other subgraphs that this one extends with feedback fields. Only the key
 * lives here, and the fields owned elsewhere that feedback fields `@requires` (marked @external:
 * the gateway fetches them from their owner and hands them over in the representation). Class
 * names end in Ref so they don't collide with the owners' classes when all subgraphs are built in
 * one process.
 */

@Directive('@key(fields: "id")')
@ObjectType('Program')
export class ProgramRef {
  @Field(() => ID)
  id: string;

  /** Owned by partners; required by every field that suppresses small groups (here: Program.feedbackResponseCount). */
  @Directive('@external')
  @Field(() => Int)
  minimumGroupSize?: number | null;
}

@Directive('@key(fields: "id")')
@ObjectType('Session')
export class SessionRef {
  @Field(() => ID)
  id: string;

  /** Owned by sessions; only its minimum group size is ever asked for. */
  @Directive('@external')
  @Field(() => ProgramRef, { nullable: true })
  program?: ProgramRef | null;
}

@Directive('@key(fields: "id")')
@ObjectType('Community')
export class CommunityRef {
  @Field(() => ID)
  id: string;

  /** Owned by sessions; only its minimum group size is ever asked for. */
  @Directive('@external')
  @Field(() => ProgramRef, { nullable: true })
  program?: ProgramRef | null;
}

@Directive('@key(fields: "id")')
@ObjectType('Organisation')
export class OrganisationRef {
  @Field(() => ID)
  id: string;
}

@Directive('@key(fields: "id")')
@ObjectType('Facilitator')
export class FacilitatorRef {
  @Field(() => ID)
  id: string;
}
