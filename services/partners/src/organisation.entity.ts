import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export enum OrganisationKind {
  NATIONAL_MANAGER = 'NATIONAL_MANAGER',
  DELIVERY_PARTNER = 'DELIVERY_PARTNER',
}
registerEnumType(OrganisationKind, { name: 'OrganisationKind' });

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A delivery partner or a national program manager. Its ID is its short key, which prefixes the IDs of every record it owns.' })
@Entity('organisation')
export class Organisation {
  @Field(() => ID)
  @PrimaryColumn('text')
  id: string;

  @Field()
  @Column('text')
  name: string;

  @Field(() => OrganisationKind)
  @Column('text')
  kind: OrganisationKind;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  website: string | null;

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Field()
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
