import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';

export enum CommunityDocumentKind {
  TERMS_OF_REFERENCE = 'TERMS_OF_REFERENCE',
  CODE_OF_PRACTICE = 'CODE_OF_PRACTICE',
}
registerEnumType(CommunityDocumentKind, {
  name: 'CommunityDocumentKind',
  description: 'The documents a community co-designs and keeps up to date: its terms of reference and its code of practice.',
});

/** One version of a community's terms of reference or code of practice. Versions are never changed: a revision appends one. */
@ObjectType({ description: 'One version of a community\'s terms of reference or code of practice: who changed what, when, and why.' })
@Entity('community_document')
export class CommunityDocument {
  @Field(() => ID, { description: '`<organisation>.doc_<ulid>`: the prefix is the community\'s organisation.' })
  @PrimaryColumn('text')
  id: string;

  @Column('text', { name: 'community_id' })
  communityId: string;

  @Column('text', { name: 'organisation_id' })
  organisationId: string;

  @Column('text', { name: 'program_id' })
  programId: string;

  @Field(() => CommunityDocumentKind)
  @Column('text')
  kind: CommunityDocumentKind;

  @Field(() => Int, { description: '1 for the first text, one more for each revision of the same document.' })
  @Column('integer')
  version: number;

  @Field({ description: 'The whole text of this version.' })
  @Column('text')
  text: string;

  @Field({ description: 'What changed and why, in the reviser\'s words; may be empty.' })
  @Column('text', { name: 'change_note' })
  changeNote: string;

  @Field({ description: 'Who made this version: the subject of the reviser\'s token.' })
  @Column('text', { name: 'changed_by' })
  changedBy: string;

  @Field()
  @Column('timestamptz', { name: 'changed_at' })
  changedAt: Date;
}
