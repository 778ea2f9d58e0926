import { assertRole, badField, conflict, inTransaction, notFound, REGION_ID } from '@hub/core';
import { Matches, MaxLength, MinLength } from 'class-validator';
import { Arg, Ctx, Field, FieldResolver, ID, InputType, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { PartnersContext } from './context';
import { Region, RegionLevel } from './region.entity';

@InputType()
export class CreateRegionInput {
  @Field(() => ID, { description: 'Slug, e.g. `au-qld-central`.' })
  @Matches(REGION_ID, { message: 'must be a lowercase slug of 2 to 64 letters, digits or dashes' })
  id: string;

  @Field()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @Field(() => RegionLevel)
  level: RegionLevel;

  @Field(() => ID, { nullable: true, description: 'Required for states (a country) and regions (a state).' })
  parentId?: string | null;
}

const PARENT_LEVEL: Record<RegionLevel, RegionLevel | null> = {
  [RegionLevel.COUNTRY]: null,
  [RegionLevel.STATE]: RegionLevel.COUNTRY,
  [RegionLevel.REGION]: RegionLevel.STATE,
};

@Resolver(() => Region)
export class RegionResolver {
  @Query(() => Region, { nullable: true })
  region(@Arg('id', () => ID) id: string, @Ctx() ctx: PartnersContext): Promise<Region | null> {
    return ctx.loaders.region.load(id);
  }

  @Query(() => [Region], { description: 'Regions, optionally only one level or the children of one region.' })
  regions(
    @Ctx() ctx: PartnersContext,
    @Arg('level', () => RegionLevel, { nullable: true }) level?: RegionLevel,
    @Arg('parentId', () => ID, { nullable: true }) parentId?: string,
  ): Promise<Region[]> {
    const qb = ctx.db.getRepository(Region).createQueryBuilder('region').orderBy('region.name');
    if (level) qb.andWhere('region.level = :level', { level });
    if (parentId) qb.andWhere('region.parentId = :parentId', { parentId });
    return qb.getMany();
  }

  @FieldResolver(() => Region, { nullable: true })
  parent(@Root() region: Region, @Ctx() ctx: PartnersContext): Promise<Region | null> | null {
    return region.parentId ? ctx.loaders.region.load(region.parentId) : null;
  }

  @FieldResolver(() => [Region])
  children(@Root() region: Region, @Ctx() ctx: PartnersContext): Promise<Region[]> {
    return ctx.loaders.regionChildren.load(region.id);
  }

  @Mutation(() => Region, { description: 'A national manager only.' })
  async createRegion(@Arg('input') input: CreateRegionInput, @Ctx() ctx: PartnersContext): Promise<Region> {
    assertRole(ctx.scope, ['national-manager'], 'create regions');
    return inTransaction(ctx.db, async (m) => {
      const wanted = PARENT_LEVEL[input.level];
      if (wanted === null && input.parentId) throw badField('input.parentId', 'a country has no parent');
      if (wanted !== null) {
        if (!input.parentId) throw badField('input.parentId', `a ${input.level.toLowerCase()} needs a parent ${wanted.toLowerCase()}`);
        const parent = await m.findOneBy(Region, { id: input.parentId });
        if (!parent) throw notFound('Region', input.parentId, 'input.parentId');
        if (parent.level !== wanted) throw badField('input.parentId', `must be a ${wanted.toLowerCase()}`);
      }
      if (await m.existsBy(Region, { id: input.id })) throw conflict('That region id is taken', [{ field: 'input.id', message: 'is already taken' }]);
      // insert, not save: a concurrent create of the same id must fail on the primary key, not overwrite
      await m.insert(Region, { id: input.id, name: input.name, level: input.level, parentId: input.parentId ?? null });
      return m.findOneByOrFail(Region, { id: input.id });
    });
  }
}
