import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The partners subgraph's Region, only referenced. */
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType('Region')
export class RegionRef {
  @Field(() => ID)
  id: string;
}
