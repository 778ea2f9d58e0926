import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** Where an organisation's facilitators, sessions and feedback records are kept. */
export enum PartnerHosting {
  HUB = 'HUB',
  NODE = 'NODE',
}
registerEnumType(PartnerHosting, { name: 'PartnerHosting', description: 'HUB: in the hub\'s own databases. NODE: on the organisation\'s own partner node.' });

export enum PartnerNodeStatus {
  ACTIVE = 'ACTIVE',
  RETIRED = 'RETIRED',
}
registerEnumType(PartnerNodeStatus, { name: 'PartnerNodeStatus' });

/** The subgraphs a partner may run on its own node. */
export enum PartnerSubgraph {
  FACILITATORS = 'FACILITATORS',
  SESSIONS = 'SESSIONS',
  FEEDBACK = 'FEEDBACK',
}
registerEnumType(PartnerSubgraph, { name: 'PartnerSubgraph' });

@ObjectType({ description: 'Where one subgraph of a partner node answers.' })
export class PartnerNodeEndpoint {
  @Field(() => PartnerSubgraph)
  subgraph: PartnerSubgraph;

  @Field({ description: 'GraphQL over HTTP(S).' })
  url: string;

  @Field({ description: 'graphql-ws (subscriptions).' })
  wsUrl: string;
}

@ObjectType({ description: 'An organisation\'s own deployment of the facilitators, sessions and feedback subgraphs, as the hub routes to it.' })
@Entity('partner_node')
export class PartnerNode {
  @Field(() => ID, { description: 'The organisation the node holds the records of.' })
  @PrimaryColumn('text', { name: 'organisation_id' })
  organisationId: string;

  @Field(() => PartnerHosting, { description: 'NODE once the organisation\'s records have moved to the node; the hub routes to it only then.' })
  @Column('text')
  hosting: PartnerHosting;

  @Field(() => PartnerNodeStatus)
  @Column('text')
  status: PartnerNodeStatus;

  @Field(() => [PartnerNodeEndpoint])
  @Column('jsonb')
  endpoints: PartnerNodeEndpoint[];

  @Field({ description: 'Fingerprint of the hub signing key the node trusts (`sha256:…`); the gateway routes to the node only while it signs with that key.' })
  @Column('text', { name: 'hub_key_fingerprint' })
  hubKeyFingerprint: string;

  @Field(() => Int, { description: 'How long the gateway waits for the node before answering without it.' })
  @Column('integer', { name: 'time_budget_ms' })
  timeBudgetMs: number;

  @Field()
  @CreateDateColumn({ name: 'registered_at', type: 'timestamptz' })
  registeredAt: Date;

  @Field()
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
