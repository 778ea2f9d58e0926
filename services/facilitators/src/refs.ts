import { Directive, Field, ID, ObjectType } from 'type-graphql';

/*
 * Stubs of types other subgraphs own. Class names end in `Ref` so they never collide with the
 * owners' classes when all subgraphs are built in one process.
 */

/** Extended here with its facilitators and their count. */
@Directive('@key(fields: "id")')
@ObjectType('Organisation')
export class OrganisationRef {
  @Field(() => ID)
  id: string;
}

/** Extended here with its members and their count. */
@Directive('@key(fields: "id")')
@ObjectType('Community')
export class CommunityRef {
  @Field(() => ID)
  id: string;
}

@Directive('@key(fields: "id", resolvable: false)')
@ObjectType('Program')
export class ProgramRef {
  @Field(() => ID)
  id: string;
}

@Directive('@key(fields: "id", resolvable: false)')
@ObjectType('Region')
export class RegionRef {
  @Field(() => ID)
  id: string;
}
