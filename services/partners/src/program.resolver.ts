import { badField, connectionOf, containing, inTransaction, IsDay, newId, notFound, PageArgs, paginate, TIER_KEY } from '@hub/core';
import { ArrayMaxSize, IsInt, IsOptional, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { Arg, Args, Ctx, Field, FieldResolver, ID, InputType, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { PartnersContext } from './context';
import { Organisation } from './organisation.entity';
import { Program } from './program.entity';
import { ProgramPartner } from './program-partner.entity';

@ObjectType()
export class ProgramConnection extends connectionOf(Program, 'Program') {}

@InputType()
export class ProgramTierInput {
  @Field()
  @Matches(TIER_KEY, { message: 'must be a lowercase slug' })
  key: string;

  @Field()
  @MinLength(1)
  @MaxLength(100)
  name: string;

  @Field(() => Int)
  @IsInt()
  @Min(1)
  @Max(9)
  level: number;
}

@InputType()
export class ReportingPeriodInput {
  @Field()
  @MinLength(1)
  @MaxLength(100)
  name: string;

  @Field()
  @IsDay()
  startsOn: string;

  @Field()
  @IsDay()
  endsOn: string;
}

@InputType()
export class CreateProgramInput {
  @Field()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @Field({ defaultValue: '' })
  @MaxLength(5000)
  description: string;

  @Field(() => ID, { description: 'The national program manager.' })
  managingOrganisationId: string;

  @Field(() => Int, { defaultValue: 5, description: 'Never below 3.' })
  @IsInt()
  @Min(3, { message: 'must be at least 3 so that nobody can be identified from feedback' })
  @Max(1000)
  minimumGroupSize: number;

  @Field(() => [ProgramTierInput], { defaultValue: [] })
  @ArrayMaxSize(9)
  @ValidateNested({ each: true })
  tiers: ProgramTierInput[];

  @Field(() => [ReportingPeriodInput], { defaultValue: [] })
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  reportingPeriods: ReportingPeriodInput[];
}

@InputType()
export class UpdateProgramInput {
  @Field({ nullable: true })
  @IsOptional()
  @MinLength(1)
  @MaxLength(200)
  name?: string;

  @Field({ nullable: true })
  @IsOptional()
  @MaxLength(5000)
  description?: string;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(3, { message: 'must be at least 3 so that nobody can be identified from feedback' })
  @Max(1000)
  minimumGroupSize?: number;

  @Field(() => [ProgramTierInput], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(9)
  @ValidateNested({ each: true })
  tiers?: ProgramTierInput[];

  @Field(() => [ReportingPeriodInput], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  reportingPeriods?: ReportingPeriodInput[];
}

@InputType({ description: 'Leave a flag out to keep its current value (a new partner shares session details only).' })
export class SharingAgreementInput {
  @Field({ nullable: true })
  shareFacilitatorContacts?: boolean;

  @Field({ nullable: true })
  shareSessionDetails?: boolean;

  @Field({ nullable: true })
  shareEngagementPlans?: boolean;
}

function checkTiersAndPeriods(input: { tiers?: ProgramTierInput[]; reportingPeriods?: ReportingPeriodInput[] }): void {
  const keys = new Set<string>();
  input.tiers?.forEach((t, i) => {
    if (keys.has(t.key)) throw badField(`input.tiers.${i}.key`, 'is used by another tier');
    keys.add(t.key);
  });
  input.reportingPeriods?.forEach((p, i) => {
    if (p.endsOn < p.startsOn) throw badField(`input.reportingPeriods.${i}.endsOn`, 'is before startsOn');
  });
}

@Resolver(() => Program)
export class ProgramResolver {
  @Query(() => Program, { nullable: true })
  program(@Arg('id', () => ID) id: string, @Ctx() ctx: PartnersContext): Promise<Program | null> {
    return ctx.loaders.program.load(id);
  }

  @Query(() => ProgramConnection)
  async programs(
    @Args() page: PageArgs,
    @Ctx() ctx: PartnersContext,
    @Arg('nameContains', { nullable: true }) nameContains?: string,
  ): Promise<ProgramConnection> {
    const qb = ctx.db.getRepository(Program).createQueryBuilder('program');
    if (nameContains) qb.andWhere('program.name ILIKE :name', { name: containing(nameContains) });
    return new ProgramConnection(await paginate(qb, page, { columns: ['program.id'], values: (p) => [p.id] }));
  }

  @FieldResolver(() => Organisation)
  async managingOrganisation(@Root() program: Program, @Ctx() ctx: PartnersContext): Promise<Organisation> {
    return (await ctx.loaders.organisation.load(program.managingOrganisationId)) as Organisation;
  }

  @FieldResolver(() => [Organisation], { description: 'The organisations delivering the program, by key.' })
  async deliveryPartners(@Root() program: Program, @Ctx() ctx: PartnersContext): Promise<Organisation[]> {
    const links = await ctx.loaders.partnersOfProgram.load(program.id);
    const orgs = await ctx.loaders.organisation.loadMany(links.map((l) => l.organisationId));
    return orgs.filter((o): o is Organisation => o instanceof Organisation);
  }

  @FieldResolver(() => [ProgramPartner], { description: 'Each delivery partner\'s sharing agreement with this program.' })
  sharingAgreements(@Root() program: Program, @Ctx() ctx: PartnersContext): Promise<ProgramPartner[]> {
    return ctx.loaders.partnersOfProgram.load(program.id);
  }

  @Mutation(() => Program)
  createProgram(@Arg('input') input: CreateProgramInput, @Ctx() ctx: PartnersContext): Promise<Program> {
    checkTiersAndPeriods(input);
    return inTransaction(ctx.db, async (m) => {
      const manager = await m.findOneBy(Organisation, { id: input.managingOrganisationId });
      if (!manager) throw notFound('Organisation', input.managingOrganisationId, 'input.managingOrganisationId');
      return m.save(
        Program,
        m.create(Program, { ...input, id: newId(manager.id, 'prg'), managingOrganisationId: manager.id }),
      );
    });
  }

  @Mutation(() => Program)
  updateProgram(@Arg('id', () => ID) id: string, @Arg('input') input: UpdateProgramInput, @Ctx() ctx: PartnersContext): Promise<Program> {
    checkTiersAndPeriods(input);
    return inTransaction(ctx.db, async (m) => {
      const program = await m.findOne(Program, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!program) throw notFound('Program', id);
      for (const key of ['name', 'description', 'minimumGroupSize', 'tiers', 'reportingPeriods'] as const) {
        if (input[key] !== undefined && input[key] !== null) Object.assign(program, { [key]: input[key] });
      }
      return m.save(Program, program);
    });
  }

  @Mutation(() => ProgramPartner, { description: 'Adds a delivery partner to a program, or changes its sharing agreement.' })
  setProgramPartner(
    @Arg('programId', () => ID) programId: string,
    @Arg('organisationId', () => ID) organisationId: string,
    @Ctx() ctx: PartnersContext,
    @Arg('sharing', () => SharingAgreementInput, { nullable: true }) sharing?: SharingAgreementInput,
  ): Promise<ProgramPartner> {
    return inTransaction(ctx.db, async (m) => {
      if (!(await m.existsBy(Program, { id: programId }))) throw notFound('Program', programId, 'programId');
      if (!(await m.existsBy(Organisation, { id: organisationId }))) throw notFound('Organisation', organisationId, 'organisationId');
      const existing = await m.findOne(ProgramPartner, { where: { programId, organisationId }, lock: { mode: 'pessimistic_write' } });
      const link =
        existing ??
        m.create(ProgramPartner, {
          programId,
          organisationId,
          joinedOn: new Date().toISOString().slice(0, 10),
          shareFacilitatorContacts: false,
          shareSessionDetails: true,
          shareEngagementPlans: false,
        });
      for (const key of ['shareFacilitatorContacts', 'shareSessionDetails', 'shareEngagementPlans'] as const) {
        const value = sharing?.[key];
        if (value !== undefined && value !== null) link[key] = value;
      }
      return m.save(ProgramPartner, link);
    });
  }
}

@Resolver(() => ProgramPartner)
export class SharingAgreementResolver {
  @FieldResolver(() => Organisation)
  async organisation(@Root() link: ProgramPartner, @Ctx() ctx: PartnersContext): Promise<Organisation> {
    return (await ctx.loaders.organisation.load(link.organisationId)) as Organisation;
  }

  @FieldResolver(() => Program)
  async program(@Root() link: ProgramPartner, @Ctx() ctx: PartnersContext): Promise<Program> {
    return (await ctx.loaders.program.load(link.programId)) as Program;
  }
}
