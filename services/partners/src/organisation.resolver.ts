import { assertManage, assertRole, badField, conflict, connectionOf, containing, inTransaction, notFound, ORGANISATION_KEY, PageArgs, paginate } from '@hub/core';
import { ArrayMaxSize, IsOptional, IsUrl, Matches, MaxLength, MinLength } from 'class-validator';
import { Arg, Args, Ctx, Field, FieldResolver, ID, InputType, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { In, type EntityManager } from 'typeorm';
import type { PartnersContext } from './context';
import { Organisation, OrganisationKind } from './organisation.entity';
import { OrganisationRegion } from './organisation-region.entity';
import { Program } from './program.entity';
import { Region } from './region.entity';

@ObjectType()
export class OrganisationConnection extends connectionOf(Organisation, 'Organisation') {}

@InputType()
export class OrganisationFilter {
  @Field(() => OrganisationKind, { nullable: true })
  kind?: OrganisationKind;

  @Field(() => ID, { nullable: true, description: 'Only organisations taking part in this program.' })
  programId?: string;

  @Field(() => ID, { nullable: true, description: 'Only organisations serving this region.' })
  regionId?: string;

  @Field({ nullable: true })
  @MaxLength(200)
  nameContains?: string;
}

@InputType()
export class CreateOrganisationInput {
  @Field(() => ID, { description: 'Short key, e.g. `uniting-vic`; prefixes the IDs of everything the organisation owns. Cannot change.' })
  @Matches(ORGANISATION_KEY, { message: 'must be 2 to 32 lowercase letters, digits or dashes, starting with a letter' })
  id: string;

  @Field()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @Field(() => OrganisationKind, { defaultValue: OrganisationKind.DELIVERY_PARTNER })
  kind: OrganisationKind;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsUrl({ require_protocol: true })
  website?: string | null;

  @Field(() => [ID], { defaultValue: [] })
  @ArrayMaxSize(200)
  regionIds: string[];
}

@InputType()
export class UpdateOrganisationInput {
  @Field({ nullable: true })
  @IsOptional()
  @MinLength(1)
  @MaxLength(200)
  name?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsUrl({ require_protocol: true })
  website?: string | null;

  @Field(() => [ID], { nullable: true, description: 'Replaces the regions served.' })
  @IsOptional()
  @ArrayMaxSize(200)
  regionIds?: string[];
}

async function replaceRegions(m: EntityManager, organisationId: string, regionIds: string[]): Promise<void> {
  const unique = [...new Set(regionIds)];
  const found = unique.length ? await m.findBy(Region, { id: In(unique) }) : [];
  const missing = unique.filter((id) => !found.some((r) => r.id === id));
  if (missing.length) throw badField('input.regionIds', `unknown regions: ${missing.join(', ')}`);
  await m.delete(OrganisationRegion, { organisationId });
  if (unique.length) await m.insert(OrganisationRegion, unique.map((regionId) => ({ organisationId, regionId })));
}

@Resolver(() => Organisation)
export class OrganisationResolver {
  @Query(() => Organisation, { nullable: true })
  organisation(@Arg('id', () => ID) id: string, @Ctx() ctx: PartnersContext): Promise<Organisation | null> {
    return ctx.loaders.organisation.load(id);
  }

  @Query(() => OrganisationConnection)
  async organisations(
    @Args() page: PageArgs,
    @Ctx() ctx: PartnersContext,
    @Arg('filter', () => OrganisationFilter, { nullable: true }) filter?: OrganisationFilter,
  ): Promise<OrganisationConnection> {
    const qb = ctx.db.getRepository(Organisation).createQueryBuilder('org');
    if (filter?.kind) qb.andWhere('org.kind = :kind', { kind: filter.kind });
    if (filter?.nameContains) qb.andWhere('org.name ILIKE :name', { name: containing(filter.nameContains) });
    if (filter?.programId) {
      qb.andWhere(
        `(org.id IN (SELECT organisation_id FROM program_partner WHERE program_id = :programId)
          OR org.id IN (SELECT managing_organisation_id FROM program WHERE id = :programId))`,
        { programId: filter.programId },
      );
    }
    if (filter?.regionId) {
      qb.andWhere('org.id IN (SELECT organisation_id FROM organisation_region WHERE region_id = :regionId)', { regionId: filter.regionId });
    }
    return new OrganisationConnection(await paginate(qb, page, { columns: ['org.id'], values: (o) => [o.id] }));
  }

  @FieldResolver(() => [Region], { description: 'Regions the organisation serves.' })
  async regions(@Root() org: Organisation, @Ctx() ctx: PartnersContext): Promise<Region[]> {
    const links = (await ctx.loaders.organisationRegions.load(org.id)) as (OrganisationRegion & { region: Region })[];
    return links.map((l) => l.region);
  }

  @FieldResolver(() => [Program], { description: 'Programs the organisation delivers or manages.' })
  async programs(@Root() org: Organisation, @Ctx() ctx: PartnersContext): Promise<Program[]> {
    const links = await ctx.loaders.programsOfOrganisation.load(org.id);
    const programs = await ctx.loaders.program.loadMany(links.map((l) => l.programId));
    return programs.filter((p): p is Program => p instanceof Program);
  }

  @Mutation(() => Organisation, { description: 'A national manager registers an organisation.' })
  createOrganisation(@Arg('input') input: CreateOrganisationInput, @Ctx() ctx: PartnersContext): Promise<Organisation> {
    assertRole(ctx.scope, ['national-manager'], 'register organisations');
    return inTransaction(ctx.db, async (m) => {
      if (await m.existsBy(Organisation, { id: input.id })) {
        throw conflict('That organisation key is taken', [{ field: 'input.id', message: 'is already taken' }]);
      }
      // insert, not save: a concurrent create of the same key must fail on the primary key, not overwrite
      await m.insert(Organisation, { id: input.id, name: input.name, kind: input.kind, website: input.website ?? null });
      await replaceRegions(m, input.id, input.regionIds);
      return m.findOneByOrFail(Organisation, { id: input.id });
    });
  }

  @Mutation(() => Organisation, { description: 'The organisation\'s own administrators only.' })
  updateOrganisation(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: UpdateOrganisationInput,
    @Ctx() ctx: PartnersContext,
  ): Promise<Organisation> {
    return inTransaction(ctx.db, async (m) => {
      // the directory is open to all, so an unknown ID is NOT_FOUND whoever asks
      if (!(await m.existsBy(Organisation, { id }))) throw notFound('Organisation', id);
      assertManage(ctx.scope, id, 'id');
      const org = await m.findOne(Organisation, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!org) throw notFound('Organisation', id);
      if (input.name !== undefined) org.name = input.name;
      if (input.website !== undefined) org.website = input.website;
      const saved = await m.save(Organisation, org);
      if (input.regionIds) await replaceRegions(m, id, input.regionIds);
      return saved;
    });
  }
}
