import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The facilitators subgraph's Facilitator, extended here with the sessions facilitated. */
@Directive('@key(fields: "id")')
@ObjectType('Facilitator')
export class FacilitatorRef {
  @Field(() => ID)
  id: string;
}
