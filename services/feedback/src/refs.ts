import { Directive, Field, ID, ObjectType } from 'type-graphql';

/*
 * Entities owned by other subgraphs that this one extends with feedback fields. Only the key
 * lives here; class names end in Ref so they don't collide with the owners' classes when all
 * subgraphs are built in one process.
 */

@Directive('@key(fields: "id")')
@ObjectType('Session')
export class SessionRef {
  @Field(() => ID)
  id: string;
}

@Directive('@key(fields: "id")')
@ObjectType('Community')
export class CommunityRef {
  @Field(() => ID)
  id: string;
}

@Directive('@key(fields: "id")')
@ObjectType('Program')
export class ProgramRef {
  @Field(() => ID)
  id: string;
}

@Directive('@key(fields: "id")')
@ObjectType('Organisation')
export class OrganisationRef {
  @Field(() => ID)
  id: string;
}
