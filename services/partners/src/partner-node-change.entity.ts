import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { PartnerHosting, PartnerNodeEndpoint, PartnerNodeStatus } from './partner-node.entity';

export enum PartnerNodeAction {
  REGISTER = 'REGISTER',
  MOVE = 'MOVE',
  RETIRE = 'RETIRE',
}
registerEnumType(PartnerNodeAction, { name: 'PartnerNodeAction' });

@ObjectType({ description: 'A partner node\'s registration at one moment.' })
export class PartnerNodeState {
  @Field(() => PartnerHosting)
  hosting: PartnerHosting;

  @Field(() => PartnerNodeStatus)
  status: PartnerNodeStatus;

  @Field(() => [PartnerNodeEndpoint])
  endpoints: PartnerNodeEndpoint[];

  @Field()
  hubKeyFingerprint: string;

  @Field(() => Int)
  timeBudgetMs: number;
}

/** One change to a partner node's registration: append-only, for everyone (the audit trail). */
@ObjectType({ description: 'Who changed a partner node\'s registration, when, and what it was before and after.' })
@Entity('partner_node_change')
export class PartnerNodeChange {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID)
  @Column('text', { name: 'organisation_id' })
  organisationId: string;

  @Field(() => PartnerNodeAction)
  @Column('text')
  action: PartnerNodeAction;

  @Field({ description: 'The subject of the token that made the change (`hub` for the hub itself).' })
  @Column('text', { name: 'changed_by' })
  changedBy: string;

  @Field()
  @Column('text', { name: 'changed_by_role' })
  changedByRole: string;

  @Field()
  @Column('timestamptz', { name: 'changed_at', default: () => 'now()' })
  changedAt: Date;

  @Field(() => PartnerNodeState, { nullable: true, description: 'The registration before (null when first registered).' })
  @Column('jsonb', { nullable: true })
  before: PartnerNodeState | null;

  @Field(() => PartnerNodeState)
  @Column('jsonb')
  after: PartnerNodeState;
}
