import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';

export enum RegionLevel {
  COUNTRY = 'COUNTRY',
  STATE = 'STATE',
  REGION = 'REGION',
}
registerEnumType(RegionLevel, { name: 'RegionLevel', description: 'country > state > region' });

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A place programs are delivered in: a country, a state, or a region within a state.' })
@Entity('region')
export class Region {
  @Field(() => ID, { description: 'A short slug, e.g. `au-qld-central`.' })
  @PrimaryColumn('text')
  id: string;

  @Field()
  @Column('text')
  name: string;

  @Field(() => RegionLevel)
  @Column('text')
  level: RegionLevel;

  @Column('text', { name: 'parent_id', nullable: true })
  parentId: string | null;
}
