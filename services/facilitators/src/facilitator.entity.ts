import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export enum FacilitatorStatus {
  ACTIVE = 'ACTIVE',
  ON_LEAVE = 'ON_LEAVE',
  INACTIVE = 'INACTIVE',
}
registerEnumType(FacilitatorStatus, { name: 'FacilitatorStatus' });

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A person who facilitates groups and practises in communities, employed by one organisation.' })
@Entity('facilitator')
export class Facilitator {
  @Field(() => ID, { description: '`<organisation>.fac_<ulid>`.' })
  @PrimaryColumn('text')
  id: string;

  @Column('text', { name: 'organisation_id' })
  organisationId: string;

  /** Names and contacts are resolved by FacilitatorResolver: null unless the caller may see them. */
  @Column('text', { name: 'given_name' })
  givenName: string;

  @Column('text', { name: 'family_name' })
  familyName: string;

  /** The names in lower case, compared byte by byte: what lists sort by (migration 1767000100000); written by PostgreSQL. */
  @Column({ type: 'text', name: 'family_key', insert: false, update: false })
  readonly familyKey: string;

  @Column({ type: 'text', name: 'given_key', insert: false, update: false })
  readonly givenKey: string;

  get displayName(): string {
    return `${this.givenName} ${this.familyName}`;
  }

  @Column('text')
  email: string;

  @Column('text', { nullable: true })
  phone: string | null;

  @Column('text', { name: 'region_id', nullable: true })
  regionId: string | null;

  @Field(() => FacilitatorStatus)
  @Column('text')
  status: FacilitatorStatus;

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Field()
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
