import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The partners subgraph's Organisation, extended here with its communities and activity counts. */
@Directive('@key(fields: "id")')
@ObjectType('Organisation')
export class OrganisationRef {
  @Field(() => ID)
  id: string;
}
