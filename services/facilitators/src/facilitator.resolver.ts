import {
  assertManage,
  conflict,
  connectionOf,
  forbidden,
  inTransaction,
  mayManage,
  newId,
  notFound,
  ORGANISATION_KEY,
  PageArgs,
  paginate,
  refTo,
  REGION_ID,
  type AccessScope,
} from '@hub/core';
import { IsEmail, IsOptional, Matches, MaxLength, MinLength } from 'class-validator';
import { Arg, Args, Ctx, Field, FieldResolver, ID, InputType, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { EntityManager } from 'typeorm';
import { emptyPage, facilitatorOrganisations, mayReadFacilitatorsOf, nameVisibility, seesPerson, visibleOwner } from './access-rules';
import { CommunityMembership } from './community-membership.entity';
import type { FacilitatorsContext } from './context';
import { Facilitator, FacilitatorStatus } from './facilitator.entity';
import { facilitatorOrder, facilitatorQuery } from './facilitator-query';
import { checkRecordId } from './record-ids';
import { OrganisationRef, RegionRef } from './refs';
import { AccreditationLevel, TrainingRecord } from './training-record.entity';
import { todayUtc } from './dates';
import { highestCurrentLevel } from './membership-rules';

const NOT_BLANK = /\S/;
const PHONE = /^\+?[0-9][0-9 ()-]{4,27}[0-9]$/;

@ObjectType()
export class FacilitatorConnection extends connectionOf(Facilitator, 'Facilitator') {}

/**
 * Fields a facilitator may change on its own record; the rest is its administrators'. Not its
 * email: an address must be unique in the organisation, so a refused change would tell the
 * facilitator that a colleague uses it.
 */
const OWN_CONTACT_FIELDS = new Set(['phone']);

/**
 * Who may update facilitator `id`: its organisation's administrators; the facilitator itself,
 * its contact details only. NOT_FOUND when the record is outside the caller's wall; FORBIDDEN
 * naming the field otherwise. Checked before anything is read or written.
 */
function checkMayUpdate(scope: AccessScope, id: string, input: UpdateFacilitatorInput): void {
  const owner = visibleOwner(scope, id, 'Facilitator', 'id');
  if (mayManage(scope, owner)) return;
  if (scope.role === 'facilitator' && scope.facilitator === id) {
    const other = Object.keys(input).find((k) => (input as Record<string, unknown>)[k] !== undefined && !OWN_CONTACT_FIELDS.has(k));
    if (other) throw forbidden('A facilitator may change only its own phone; its administrators change the rest', `input.${other}`);
    return;
  }
  throw forbidden(`Only ${owner}'s administrators may change this facilitator`, 'id');
}

@InputType()
export class FacilitatorFilter {
  @Field(() => ID, { nullable: true })
  organisationId?: string;

  @Field(() => ID, { nullable: true })
  regionId?: string;

  @Field(() => FacilitatorStatus, { nullable: true })
  status?: FacilitatorStatus;

  @Field({ nullable: true, description: 'Part of the display name, any case.' })
  @IsOptional()
  @MaxLength(200)
  nameContains?: string;
}

@InputType()
export class CreateFacilitatorInput {
  @Field(() => ID, { description: 'The employing organisation; prefixes the new ID and cannot change.' })
  @Matches(ORGANISATION_KEY, { message: 'must be an organisation key' })
  organisationId: string;

  @Field()
  @MinLength(1)
  @MaxLength(100)
  @Matches(NOT_BLANK, { message: 'must not be blank' })
  givenName: string;

  @Field()
  @MinLength(1)
  @MaxLength(100)
  @Matches(NOT_BLANK, { message: 'must not be blank' })
  familyName: string;

  @Field({ description: 'Unique within the organisation, in any case.' })
  @IsEmail()
  @MaxLength(320)
  email: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(PHONE, { message: 'must be a phone number: digits, spaces, brackets or dashes, optionally starting with +' })
  phone?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @Matches(REGION_ID, { message: 'must be a region id' })
  regionId?: string | null;

  @Field(() => FacilitatorStatus, { defaultValue: FacilitatorStatus.ACTIVE })
  status: FacilitatorStatus;
}

@InputType({ description: 'Leave a field out to keep it; null clears phone and region.' })
export class UpdateFacilitatorInput {
  @Field({ nullable: true })
  @IsOptional()
  @MinLength(1)
  @MaxLength(100)
  @Matches(NOT_BLANK, { message: 'must not be blank' })
  givenName?: string;

  @Field({ nullable: true })
  @IsOptional()
  @MinLength(1)
  @MaxLength(100)
  @Matches(NOT_BLANK, { message: 'must not be blank' })
  familyName?: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsEmail()
  @MaxLength(320)
  email?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(PHONE, { message: 'must be a phone number: digits, spaces, brackets or dashes, optionally starting with +' })
  phone?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @Matches(REGION_ID, { message: 'must be a region id' })
  regionId?: string | null;

  @Field(() => FacilitatorStatus, { nullable: true })
  @IsOptional()
  status?: FacilitatorStatus;
}

async function checkEmailFree(m: EntityManager, organisationId: string, email: string, exceptId?: string): Promise<void> {
  const qb = m
    .createQueryBuilder(Facilitator, 'facilitator')
    .where('facilitator.organisationId = :organisationId', { organisationId })
    .andWhere('lower(facilitator.email) = lower(:email)', { email });
  if (exceptId) qb.andWhere('facilitator.id <> :exceptId', { exceptId });
  if (await qb.getExists()) {
    throw conflict('Another facilitator of this organisation has this email', [
      { field: 'input.email', message: 'is used by another facilitator of this organisation' },
    ]);
  }
}

@Resolver(() => Facilitator)
export class FacilitatorResolver {
  @Query(() => Facilitator, { nullable: true })
  facilitator(@Arg('id', () => ID) id: string, @Ctx() ctx: FacilitatorsContext): Promise<Facilitator | null> {
    return ctx.loaders.facilitator.load(id);
  }

  @Query(() => FacilitatorConnection, {
    description:
      'Facilitators within the caller\'s reach: those whose names it may see by family name, then given name; then those whose names are withheld.',
  })
  async facilitators(
    @Args() page: PageArgs,
    @Ctx() ctx: FacilitatorsContext,
    @Arg('filter', () => FacilitatorFilter, { nullable: true }) filter?: FacilitatorFilter,
  ): Promise<FacilitatorConnection> {
    // the whole wall: only organisations the caller may read, never a participant
    let organisationIds = facilitatorOrganisations(ctx.scope) ?? undefined;
    if (filter?.organisationId) {
      if (organisationIds && !organisationIds.includes(filter.organisationId)) organisationIds = [];
      else organisationIds = [filter.organisationId];
    }
    if (organisationIds && organisationIds.length === 0) return new FacilitatorConnection(emptyPage());
    const names = nameVisibility(ctx.scope);
    const qb = facilitatorQuery(
      ctx.db,
      { organisationIds, regionId: filter?.regionId, status: filter?.status, nameContains: filter?.nameContains },
      names,
    );
    return new FacilitatorConnection(await paginate(qb, page, facilitatorOrder(names)));
  }

  @FieldResolver(() => Boolean, {
    description: 'True when the names and contacts are withheld from this caller (they are then null): see docs/access.md.',
  })
  detailsWithheld(@Root() facilitator: Facilitator, @Ctx() ctx: FacilitatorsContext): boolean {
    return !seesPerson(ctx.scope, facilitator);
  }

  @FieldResolver(() => String, { nullable: true, description: 'Null when withheld (detailsWithheld).' })
  givenName(@Root() facilitator: Facilitator, @Ctx() ctx: FacilitatorsContext): string | null {
    return seesPerson(ctx.scope, facilitator) ? facilitator.givenName : null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'Null when withheld (detailsWithheld).' })
  familyName(@Root() facilitator: Facilitator, @Ctx() ctx: FacilitatorsContext): string | null {
    return seesPerson(ctx.scope, facilitator) ? facilitator.familyName : null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'Given and family name; null when withheld (detailsWithheld).' })
  displayName(@Root() facilitator: Facilitator, @Ctx() ctx: FacilitatorsContext): string | null {
    return seesPerson(ctx.scope, facilitator) ? facilitator.displayName : null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'Null when withheld (detailsWithheld).' })
  email(@Root() facilitator: Facilitator, @Ctx() ctx: FacilitatorsContext): string | null {
    return seesPerson(ctx.scope, facilitator) ? facilitator.email : null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'Null when there is none or when withheld (detailsWithheld).' })
  phone(@Root() facilitator: Facilitator, @Ctx() ctx: FacilitatorsContext): string | null {
    return seesPerson(ctx.scope, facilitator) ? facilitator.phone : null;
  }

  @FieldResolver(() => OrganisationRef, { nullable: true, description: 'The employing organisation.' })
  organisation(@Root() facilitator: Facilitator): OrganisationRef {
    return refTo(OrganisationRef, facilitator.organisationId);
  }

  @FieldResolver(() => RegionRef, { nullable: true })
  region(@Root() facilitator: Facilitator): RegionRef | null {
    return facilitator.regionId ? refTo(RegionRef, facilitator.regionId) : null;
  }

  @FieldResolver(() => [TrainingRecord], { description: 'Completed training, most recent first.' })
  trainingRecords(@Root() facilitator: Facilitator, @Ctx() ctx: FacilitatorsContext): Promise<TrainingRecord[]> {
    return ctx.loaders.trainingRecordsOfFacilitator.load(facilitator.id);
  }

  @FieldResolver(() => AccreditationLevel, {
    nullable: true,
    description: 'The highest accreditation level among the training records current today (UTC, not expired); null when none is.',
  })
  async accreditation(@Root() facilitator: Facilitator, @Ctx() ctx: FacilitatorsContext): Promise<AccreditationLevel | null> {
    return highestCurrentLevel(await ctx.loaders.trainingRecordsOfFacilitator.load(facilitator.id), todayUtc());
  }

  @FieldResolver(() => [CommunityMembership], { description: 'Communities the facilitator belongs to, in the order joined.' })
  async memberships(
    @Root() facilitator: Facilitator,
    @Ctx() ctx: FacilitatorsContext,
    @Arg('includeLeft', { defaultValue: false, description: 'Also memberships that have ended.' }) includeLeft: boolean,
  ): Promise<CommunityMembership[]> {
    const all = await ctx.loaders.membershipsOfFacilitator.load(facilitator.id);
    return includeLeft ? all : all.filter((m) => m.leftOn === null);
  }

  @Mutation(() => Facilitator, { description: 'By the organisation\'s administrators.' })
  createFacilitator(@Arg('input') input: CreateFacilitatorInput, @Ctx() ctx: FacilitatorsContext): Promise<Facilitator> {
    assertManage(ctx.scope, input.organisationId, 'input.organisationId');
    return inTransaction(ctx.db, async (m) => {
      await checkEmailFree(m, input.organisationId, input.email);
      return m.save(
        Facilitator,
        m.create(Facilitator, {
          id: newId(input.organisationId, 'fac'),
          organisationId: input.organisationId,
          givenName: input.givenName.trim(),
          familyName: input.familyName.trim(),
          email: input.email,
          phone: input.phone ?? null,
          regionId: input.regionId ?? null,
          status: input.status,
        }),
      );
    });
  }

  @Mutation(() => Facilitator, { description: 'By the organisation\'s administrators; a facilitator may change its own phone.' })
  updateFacilitator(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: UpdateFacilitatorInput,
    @Ctx() ctx: FacilitatorsContext,
  ): Promise<Facilitator> {
    checkRecordId(id, 'fac', 'id');
    checkMayUpdate(ctx.scope, id, input);
    return inTransaction(ctx.db, async (m) => {
      const facilitator = await m.findOne(Facilitator, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!facilitator || !mayReadFacilitatorsOf(ctx.scope, facilitator.organisationId)) throw notFound('Facilitator', id);
      if (input.email != null) {
        await checkEmailFree(m, facilitator.organisationId, input.email, id);
        facilitator.email = input.email;
      }
      if (input.givenName != null) facilitator.givenName = input.givenName.trim();
      if (input.familyName != null) facilitator.familyName = input.familyName.trim();
      if (input.status != null) facilitator.status = input.status;
      if (input.phone !== undefined) facilitator.phone = input.phone;
      if (input.regionId !== undefined) facilitator.regionId = input.regionId;
      return m.save(Facilitator, facilitator);
    });
  }
}
