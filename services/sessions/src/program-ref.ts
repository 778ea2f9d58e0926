import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The partners subgraph's Program, extended here with its communities and session counts. */
@Directive('@key(fields: "id")')
@ObjectType('Program')
export class ProgramRef {
  @Field(() => ID)
  id: string;
}

export const programRef = (id: string): ProgramRef => Object.assign(new ProgramRef(), { id });
