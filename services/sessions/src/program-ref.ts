import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The partners subgraph's Program, extended here with its communities and session counts. */
@Directive('@key(fields: "id")')
@ObjectType('Program')
export class ProgramRef {
  @Field(() => ID)
  id: string;
}
