import { badField, connectionOf, forbidden, inTransaction, isRecordId, mayManage, newId, notFound, PageArgs, recordIdPattern, type AccessScope } from '@hub/core';
import { Matches, MaxLength } from 'class-validator';
import { Arg, Args, Ctx, Field, FieldResolver, ID, InputType, Mutation, ObjectType, Resolver, Root } from 'type-graphql';
import type { EntityManager } from 'typeorm';
import { Community } from './community.entity';
import { CommunityDocument, CommunityDocumentKind } from './community-document.entity';
import type { SessionsContext } from './context';
import { compact } from './criteria';
import { Session, SessionStatus } from './session.entity';
import { SessionFacilitator } from './session-facilitator.entity';
import { readable } from './wall';

@ObjectType()
export class CommunityDocumentConnection extends connectionOf(CommunityDocument, 'CommunityDocument') {}

@InputType({ description: 'A new version of a community\'s terms of reference or code of practice: the whole text, and a note of what changed.' })
export class ReviseCommunityDocumentInput {
  @Field(() => ID)
  @Matches(recordIdPattern('com'), { message: 'must be a community ID' })
  communityId: string;

  @Field(() => CommunityDocumentKind)
  kind: CommunityDocumentKind;

  @Field({ description: 'The whole new text (it replaces the latest version; the earlier ones stay in the history).' })
  @MaxLength(20000)
  text: string;

  @Field({ defaultValue: '', description: 'What changed and why, e.g. `Added the confidentiality clause agreed at session 2`.' })
  @MaxLength(500)
  changeNote: string;
}

const COLUMN = {
  [CommunityDocumentKind.TERMS_OF_REFERENCE]: 'termsOfReference',
  [CommunityDocumentKind.CODE_OF_PRACTICE]: 'codeOfPractice',
} as const;

/**
 * Appends a version of one of `community`'s documents and keeps the community's copy of the latest
 * text. The caller has locked the community row (or just created it), so versions never clash.
 */
export async function appendDocumentVersion(
  m: EntityManager,
  community: Community,
  kind: CommunityDocumentKind,
  text: string,
  changedBy: string,
  changeNote = '',
): Promise<CommunityDocument> {
  const latest = await m.findOne(CommunityDocument, { where: { communityId: community.id, kind }, order: { version: 'DESC' } });
  const document = await m.save(
    CommunityDocument,
    m.create(CommunityDocument, {
      id: newId(community.organisationId, 'doc'),
      communityId: community.id,
      organisationId: community.organisationId,
      programId: community.programId,
      kind,
      version: (latest?.version ?? 0) + 1,
      text,
      changeNote,
      changedBy,
      changedAt: new Date(),
    }),
  );
  community[COLUMN[kind]] = text;
  return document;
}

/**
 * Revising a community's terms of reference or code of practice is for the owning organisation's
 * administrators and for that organisation's facilitators who facilitate one of the community's
 * (not cancelled) sessions: they draft with the members. Facilitators of other organisations
 * rostered on a national CoP propose changes to its organisation instead.
 */
async function assertReviseDocuments(m: EntityManager, scope: AccessScope, community: Community, field: string): Promise<void> {
  if (mayManage(scope, community.organisationId)) return;
  if (scope.role === 'facilitator' && scope.facilitator && scope.organisation === community.organisationId) {
    const rostered = await m
      .createQueryBuilder(SessionFacilitator, 'sf')
      .innerJoin(Session, 'session', 'session.id = sf.session_id')
      .where('session.community_id = :community AND sf.facilitator_id = :facilitator AND session.status <> :cancelled', {
        community: community.id,
        facilitator: scope.facilitator,
        cancelled: SessionStatus.CANCELLED,
      })
      .getExists();
    if (rostered) return;
  }
  throw forbidden(`Only ${community.organisationId}'s administrators or its facilitators of the community's sessions may revise its documents`, field);
}

@Resolver(() => Community)
export class CommunityDocumentResolver {
  @FieldResolver(() => CommunityDocumentConnection, { description: 'Every version of its terms of reference and code of practice, newest first: who changed what, when.' })
  async documents(
    @Root() community: Community,
    @Args() page: PageArgs,
    @Ctx() ctx: SessionsContext,
    @Arg('kind', () => CommunityDocumentKind, { nullable: true }) kind?: CommunityDocumentKind,
  ): Promise<CommunityDocumentConnection> {
    const key = { id: community.id, filter: compact({ kind }), first: page.first, after: page.after ?? null };
    return new CommunityDocumentConnection(await ctx.loaders.documentsOfCommunity.load(key));
  }

  @Mutation(() => CommunityDocument, {
    description: 'Appends a version of a community\'s terms of reference or code of practice, which becomes the community\'s latest text. For the owning organisation\'s administrators and its facilitators of the community\'s sessions.',
  })
  reviseCommunityDocument(@Arg('input') input: ReviseCommunityDocumentInput, @Ctx() ctx: SessionsContext): Promise<CommunityDocument> {
    if (!isRecordId(input.communityId, 'com')) throw badField('input.communityId', 'must be a community ID');
    return inTransaction(ctx.db, async (m) => {
      const community = readable(ctx.scope, await m.findOne(Community, { where: { id: input.communityId }, lock: { mode: 'pessimistic_write' } }));
      if (!community) throw notFound('Community', input.communityId, 'input.communityId');
      await assertReviseDocuments(m, ctx.scope, community, 'input.communityId');
      if (community[COLUMN[input.kind]] === input.text) throw badField('input.text', 'is the same as the latest version');
      const document = await appendDocumentVersion(m, community, input.kind, input.text, ctx.scope.subject, input.changeNote);
      await m.save(Community, community);
      return document;
    });
  }
}

@Resolver(() => CommunityDocument)
export class CommunityDocumentFieldsResolver {
  @FieldResolver(() => Community, { nullable: true })
  community(@Root() document: CommunityDocument, @Ctx() ctx: SessionsContext): Promise<Community | null> {
    return ctx.loaders.community.load(document.communityId);
  }
}
